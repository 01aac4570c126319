"""``industria evaluate RULESET FILE [--out OUT.csv|.xlsx|.json] [--as-of DATE]``: a spreadsheet through a rule set.

Runs with no database at all: the rule set comes from ``fixtures/reference/rulesets/<RULESET>.yaml`` (or a
YAML/JSON file given by path), the facts from the csv/xlsx file read as text, the engine from
``engines.registry``.  A malformed file prints one line per bad cell (row and column) and exits with status 2.
``--template`` writes the rule set's empty template to FILE instead.
"""

from __future__ import annotations

import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from industria.engines.common.evaluate import RulesNotEffectiveError
from industria.engines.common.parsing import RulesError
from industria.evaluations import rulesets, spreadsheet

EXIT_BAD_INPUT = 2


class Command(BaseCommand):
    help = "Evaluate a spreadsheet (csv/xlsx) with a rule set, without a database."
    requires_system_checks: list[str] = []  # no checks: they may touch the database
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "ruleset", help=f"built-in rule-set code ({', '.join(rulesets.builtin_codes())}) or a YAML/JSON file"
        )
        parser.add_argument("file", help="csv or xlsx with the rule set's columns (or the template to write)")
        parser.add_argument("--out", help="results file: .csv, .xlsx or .json (default: csv on standard output)")
        parser.add_argument("--as-of", dest="as_of", help="YYYY-MM-DD: the rule set must be in force on this day")
        parser.add_argument("--template", action="store_true", help="write the rule set's empty template to FILE")
        parser.add_argument("--lang", default=None, help="language of messages (zh-hans or en)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["lang"]:
            translation.activate(options["lang"])
        started = time.perf_counter()
        document = self._document(options["ruleset"])
        try:
            engine, rules = rulesets.parse(document)
        except RulesError as exc:
            raise CommandError(f"rule set: {exc}", returncode=EXIT_BAD_INPUT) from exc
        if options["template"]:
            Path(options["file"]).write_bytes(spreadsheet.template_csv(rules))
            self.stderr.write(f"template written to {options['file']}")
            return
        as_of = self._date(options["as_of"])
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file", returncode=EXIT_BAD_INPUT)
        try:
            raw = spreadsheet.read_text_table(path)
            results = spreadsheet.evaluate_table(raw, engine, rules, as_of=as_of)
        except spreadsheet.FileProblems as exc:
            lines = [str(p) if not hasattr(p, "code") else spreadsheet.describe(p) for p in exc.problems]
            shown = lines[: spreadsheet.MAX_ERRORS_SHOWN]
            more = len(lines) - len(shown)
            message = f"{path}: {len(lines)} problem(s)\n" + "\n".join(shown) + (f"\n… and {more} more" if more else "")
            raise CommandError(message, returncode=EXIT_BAD_INPUT) from exc
        except RulesNotEffectiveError as exc:
            raise CommandError(str(exc), returncode=EXIT_BAD_INPUT) from exc
        out = options["out"]
        try:
            spreadsheet.write_results(
                results, out if out else sys.stdout.buffer if hasattr(sys.stdout, "buffer") else self.stdout
            )
        except spreadsheet.FileProblems as exc:
            raise CommandError(str(exc), returncode=EXIT_BAD_INPUT) from exc
        summary = _summary(results)
        self.stderr.write(
            f"{rules.code} {rules.version}: {results.height} row(s) in {time.perf_counter() - started:.2f} s; {summary}"
            + (f" → {out}" if out else "")
        )

    @staticmethod
    def _document(name: str) -> Any:
        path = Path(name)
        try:
            if path.suffix.lower() in (".yaml", ".yml", ".json") and path.is_file():
                return rulesets.load_document(path.read_text(encoding="utf-8"))
            return rulesets.builtin_document(name)
        except rulesets.RuleSetNotFound as exc:
            raise CommandError(
                f"unknown rule set {name!r} (built in: {', '.join(rulesets.builtin_codes())})",
                returncode=EXIT_BAD_INPUT,
            ) from exc
        except RulesError as exc:
            raise CommandError(f"rule set: {exc}", returncode=EXIT_BAD_INPUT) from exc

    @staticmethod
    def _date(text: str | None) -> date | None:
        if not text:
            return None
        try:
            return date.fromisoformat(text)
        except ValueError as exc:
            raise CommandError(f"--as-of: expected YYYY-MM-DD, got {text!r}", returncode=EXIT_BAD_INPUT) from exc


def _summary(results: Any) -> str:
    if "grade" in results.columns:
        counts = results.group_by("grade").len().sort("grade").rows()
        return "grades " + ", ".join(f"{g} {n}" for g, n in counts)
    if "passed" in results.columns:
        passed = int(results["passed"].fill_null(False).sum())
        return f"passed {passed}, not passed {results.height - passed}"
    return ""
