"""Reads of the land app: scoped querysets and read models for the engines."""
