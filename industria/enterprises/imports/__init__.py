"""Bulk import of enterprises, yearly facts, monthly facts and tiers (xlsx/csv): read, validate set-based, write."""
