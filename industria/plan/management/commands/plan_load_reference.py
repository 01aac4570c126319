"""Load or refresh a plan from its reference YAML (idempotent; writes are logged with channel "cli")."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.apps import apps
from django.core.management.base import CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from industria.core.cli import AuditedCommand
from industria.plan.reference import SHANGHAI_PLAN, PlanReferenceError, plan_reference_load


class Command(AuditedCommand):
    help = "Load or refresh a plan (targets, actuals with sources, actions, tasks) from fixtures/reference/plan/."

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--path", default=str(SHANGHAI_PLAN), help="plan YAML (default: the Shanghai plan)")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        if not path.exists():
            raise CommandError(f"--path: no such file {path}")
        try:
            with transaction.atomic():
                counts = plan_reference_load(apps.get_model, path, now=timezone.now())
        except PlanReferenceError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(", ".join(f"{name}: {count}" for name, count in counts.items()))
