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

from django.core.management.base import CommandError, CommandParser

from industria.core.changelog import current
from industria.core.cli import AuditedCommand
from industria.core.exceptions import DomainError
from industria.land.imports.kinds import KINDS
from industria.land.imports.services import land_import_run

PROBLEMS_PRINTED = 1000


class Command(AuditedCommand):
    help = "Import parks, parcels or land uses from an xlsx, csv or GeoJSON file (all or nothing)."

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("kind", help=f"one of: {', '.join(KINDS)}")
        parser.add_argument("file", help="the xlsx, csv or GeoJSON file")
        parser.add_argument("--dry-run", action="store_true", help="check and count, write nothing")
        parser.add_argument("--rejected", help="write the rejected rows with their problems to this xlsx file")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"no such file: {path}", returncode=2)
        context = current()
        try:
            result = land_import_run(
                actor=context.actor if context else None,
                kind=options["kind"],
                file=path,
                dry_run=options["dry_run"],
                progress=self._progress,
                rejected_path=Path(options["rejected"]) if options.get("rejected") else None,
            )
        except DomainError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        finally:
            self.stderr.write("")
        self._report(result)
        if not result.ok:
            raise CommandError(
                f"{result.outcome}: {result.problems_total} problem(s); nothing was written", returncode=2
            )

    def _progress(self, done: int, total: int, phase: str) -> None:
        self.stderr.write(f"\r{phase:<10} {100 * done // max(total, 1):3d}%", ending="")
        self.stderr.flush()

    def _report(self, result: Any) -> None:
        file = result.file
        self.stdout.write(f"{result.kind} from {file['name']} ({file.get('format', '?')})")
        if result.counts:
            counts = result.counts
            self.stdout.write(
                f"rows {counts['rows']}: new {counts['new']}, changed {counts['changed']}, "
                f"unchanged {counts['unchanged']}, rejected {counts['rejected']}"
            )
        for column in result.ignored_columns:
            self.stdout.write(f"ignored column: {column}")
        for problem in result.problems[:PROBLEMS_PRINTED]:
            where = f"row {problem['row']}, column {problem['column']}" if problem["row"] else "file"
            self.stdout.write(f"{where}: {problem['message']}")
        if result.rejected_file:
            self.stdout.write(f"rejected rows written to {result.rejected_file}")
        verdict = {"committed": "imported", "checked": "dry run: the file is valid; nothing was written"}
        if result.outcome in verdict:
            self.stdout.write(self.style.SUCCESS(verdict[result.outcome]))
