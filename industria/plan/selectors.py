"""Reads of the plan app."""
