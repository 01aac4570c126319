"""UI of the registry: registry.py (enterprises, facts, tiers, taxonomy), imports.py (bulk import)."""
