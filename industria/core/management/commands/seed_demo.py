"""``industria seed-demo --scale tiny|city|province|nation --seed N``: load the synthetic demo city.

Each installed app may provide ``<app>.demo.seed(scale=, seed=, log=)``; they run in INSTALLED_APPS order (the
dependency order), so the registry exists before the apps that hang on it.  Deterministic for a seed.
"""

from __future__ import annotations

import importlib
import time
from typing import Any

from django.apps import apps
from django.core.management.base import CommandParser

from industria.core.cli import AuditedCommand

SCALES = ("tiny", "city", "province", "nation")


class Command(AuditedCommand):
    help = "Load the synthetic demo data (labelled synthetic everywhere) and the demo accounts."

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--scale", choices=SCALES, default="city")
        parser.add_argument("--seed", type=int, default=2025)

    def handle(self, *args: Any, **options: Any) -> None:
        for config in apps.get_app_configs():
            if not config.name.startswith("industria."):
                continue
            try:
                module = importlib.import_module(f"{config.name}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.demo":
                    raise
                continue
            started = time.perf_counter()
            module.seed(scale=options["scale"], seed=options["seed"], log=self.stdout.write)
            self.stdout.write(f"  {config.label}: {time.perf_counter() - started:.1f} s")
        self.stdout.write(self.style.SUCCESS("demo data loaded"))
