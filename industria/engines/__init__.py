"""Pure, columnar computational engines.

Nothing under this package imports Django, Celery, DRF or any ``industria.<app>``; engines read no
clock and do no I/O (enforced by import-linter, see pyproject.toml).  Each engine takes a Polars facts
table and versioned rules and returns a results table that explains itself row by row.
"""
