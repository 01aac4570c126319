"""Land views."""
