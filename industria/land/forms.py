"""Land forms: shape validation only."""
