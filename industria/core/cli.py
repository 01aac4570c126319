"""Base class for management commands that write: every write is attributed to an actor through channel "cli".

(Not a file of the standard app anatomy: it is the CLI counterpart of the request middleware in changelog.py.)
"""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from .changelog import change_context, current
from .choices import ChangeSource
from .exceptions import DomainError


class AuditedCommand(BaseCommand):
    """A command whose writes land in the change log as channel ``cli`` with ``--actor`` as the user."""

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--actor", help="user name the changes are attributed to (default: $USER if it is a user)")

    def execute(self, *args: Any, **options: Any) -> Any:
        actor = self._actor(options.get("actor"))
        with change_context(actor=actor, source=ChangeSource.CLI):
            return super().execute(*args, **options)

    @staticmethod
    def _actor(name: str | None) -> Any:
        user_model = get_user_model()
        if name:
            try:
                return user_model.objects.get(username=name)
            except user_model.DoesNotExist as exc:
                raise CommandError(f"--actor: no user named {name!r}") from exc
        try:
            return user_model.objects.filter(username=getpass.getuser()).first()
        except Exception:
            return None


PROBLEMS_PRINTED = 1000


class ImportCommand(AuditedCommand):
    """``KIND FILE [--dry-run] [--actor USER] [--rejected OUT.xlsx]`` for an app's all-or-nothing bulk import.

    One command shape for every importer (registry, land): a subclass names its ``kinds`` and ``file_help`` and
    implements ``run_import`` by calling its service; progress goes to stderr, counts and every problem as
    ``row R, column C: message`` to stdout, and a malformed file or any rejected row exits with status 2.
    """

    kinds: tuple[str, ...] | list[str] = ()
    file_help = "the xlsx or csv file"

    def run_import(
        self, *, actor: Any, kind: str, path: Path, dry_run: bool, progress: Any, rejected_path: Path | None
    ) -> Any:
        raise NotImplementedError

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("kind", help=f"one of: {', '.join(self.kinds)}")
        parser.add_argument("file", help=self.file_help)
        parser.add_argument("--dry-run", action="store_true", help="check and count, write nothing")
        parser.add_argument("--rejected", help="write the rejected rows with their problems to this xlsx file")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"no such file: {path}", returncode=2)
        context = current()
        try:
            result = self.run_import(
                actor=context.actor if context else None,
                kind=options["kind"],
                path=path,
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
        self.stdout.write(
            f"{result.kind} from {file['name']} ({file.get('format', '?')}"
            f"{', ' + file['encoding'] if file.get('encoding') else ''})"
        )
        if result.counts:
            counts = result.counts
            self.stdout.write(
                f"rows {counts['rows']}: new {counts['new']}, changed {counts['changed']}, "
                f"unchanged {counts['unchanged']}, rejected {counts['rejected']}"
            )
        for column in result.ignored_columns:
            self.stdout.write(f"ignored column: {column}")
        for problem in result.problems[:PROBLEMS_PRINTED]:
            where = (
                f"row {problem['row']}, column {problem['column']}"
                if problem["row"]
                else (f"column {problem['column']}" if problem.get("column") else "file")
            )
            self.stdout.write(f"{where}: {problem['message']}")
        hidden = result.problems_total - min(len(result.problems), PROBLEMS_PRINTED)
        if hidden > 0:
            self.stdout.write(f"… and {hidden} more problem(s); use --rejected OUT.xlsx to get them all")
        if result.rejected_file:
            self.stdout.write(f"rejected rows written to {result.rejected_file}")
        verdict = {"committed": "imported", "checked": "dry run: the file is valid; nothing was written"}
        if result.outcome in verdict:
            self.stdout.write(self.style.SUCCESS(verdict[result.outcome]))
