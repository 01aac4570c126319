"""Workflows of the plan app."""
