"""Forms of the plan app."""
