"""``industria projects-reschedule [--template CODE]``: recompute the schedules (and warnings) of every project
of a template, or of every project, in this process (the UI queues the same work as a job)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils import timezone

from industria.core.cli import AuditedCommand


class Command(AuditedCommand):
    help = "Re-schedule the key projects of a node template (default: every project) and re-colour them."

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--template", default=None, help="node template code (default: every template)")

    def handle(self, *args: Any, **options: Any) -> None:
        from industria.projects.models import NodeTemplate
        from industria.projects.services import schedules_recompute

        template_id = None
        if options["template"]:
            template = NodeTemplate.objects.filter(code=options["template"]).first()
            if template is None:
                raise CommandError(f"--template: no node template {options['template']!r}")
            template_id = template.pk
        result = schedules_recompute(template_id=template_id, today=timezone.localdate())
        self.stdout.write(", ".join(f"{k} {v:,}" for k, v in result.items()))
