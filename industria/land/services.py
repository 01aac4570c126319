"""Workflows of the land app."""
