"""UI of the plan app."""
