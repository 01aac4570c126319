"""``industria projects-warnings [--as-of YYYY-MM-DD]``: colour every project and raise due supervision orders.

The command line counterpart of the daily task ``projects.warnings_evaluate_task`` (same service).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import CommandParser
from django.utils import timezone

from industria.core.cli import AuditedCommand


class Command(AuditedCommand):
    help = "Evaluate the warning colours of every key project and raise the supervision orders that are due."

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--as-of", type=dt.date.fromisoformat, default=None, help="day of the evaluation")

    def handle(self, *args: Any, **options: Any) -> None:
        from industria.projects.services import warnings_evaluate

        counts = warnings_evaluate(as_of=options["as_of"] or timezone.localdate())
        self.stdout.write(", ".join(f"{k} {v:,}" for k, v in counts.items()))
