"""``industria land-import KIND FILE [--dry-run] [--actor USER] [--rejected OUT.xlsx]``: import parks, parcels or
land uses from xlsx, csv (UTF-8 or GBK) or a GeoJSON FeatureCollection, all or nothing.

Runs ``land_import_run`` in this process with a progress line on stderr, prints the counts and every problem as
``row R, column C: message`` (for GeoJSON the row is the feature's number), and exits with status 2 when the file
is malformed or any row is rejected (nothing is written then).  Writes are attributed to ``--actor`` through
channel "cli" (AuditedCommand), like ``industria import``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from industria.core.cli import ImportCommand
from industria.land.imports.kinds import KINDS
from industria.land.imports.services import land_import_run


class Command(ImportCommand):
    help = "Import parks, parcels or land uses from an xlsx, csv or GeoJSON file (all or nothing)."
    kinds = tuple(KINDS)
    file_help = "the xlsx, csv or GeoJSON file"

    def run_import(self, *, path: Path, **kwargs: Any) -> Any:
        return land_import_run(file=path, **kwargs)
