"""``industria import KIND FILE [--dry-run] [--actor USER] [--rejected OUT.xlsx]``: bulk import from the command line.

Runs ``import_file_run`` in this process with a progress line on stderr, prints the counts and every problem as
``row R, column C: message``, and exits with status 2 when the file is malformed or any row is rejected
(nothing is written then).  Writes are attributed to ``--actor`` through channel "cli" (AuditedCommand).
The module is named after the command the brief asks for (``industria import``), hence not a valid identifier.
"""

# ruff: noqa: N999

from __future__ import annotations

from typing import Any

from industria.core.cli import ImportCommand
from industria.enterprises.imports.kinds import KINDS
from industria.enterprises.imports.services import import_file_run


class Command(ImportCommand):
    help = "Import enterprises, yearly facts, monthly facts or tiers from an xlsx or csv file (all or nothing)."
    kinds = tuple(KINDS)

    def run_import(self, **kwargs: Any) -> Any:
        return import_file_run(**kwargs)
