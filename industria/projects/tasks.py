"""Celery tasks of the projects app: ids and primitives in, one service called, counts logged."""

from __future__ import annotations

import logging
from typing import Any

from celery import shared_task
from django.utils import timezone

from industria.core.changelog import change_context
from industria.core.choices import ChangeSource
from industria.core.services import JobRunner, job_run

logger = logging.getLogger(__name__)


@shared_task(name="projects.warnings_evaluate_task")
def warnings_evaluate_task(as_of: str | None = None) -> dict[str, int]:
    """Periodic (daily): colour every project and raise the supervision orders that are due.  Idempotent: a
    second run on the same day changes nothing and raises no second order."""
    import datetime as dt

    from industria.projects.services import warnings_evaluate

    day = dt.date.fromisoformat(as_of) if as_of else timezone.localdate()
    with change_context(source=ChangeSource.TASK):
        counts = warnings_evaluate(as_of=day)
    logger.info("projects warnings %s: %s", day, counts)
    return counts


@shared_task(name="projects.schedules_recompute_task")
def schedules_recompute_task(
    job_id: int, template_id: int | None = None, reason: str = "", changes: dict[str, Any] | None = None
) -> None:
    """Re-schedule the projects of a template (every project when None) as a visible job."""
    from industria.projects.services import schedules_recompute

    def work(runner: JobRunner) -> dict[str, Any]:
        result = schedules_recompute(
            template_id=template_id, today=timezone.localdate(), progress=lambda d, t: runner.progress(d, t)
        )
        runner.log(f"{reason}: {changes or {}} → {result}")
        return result

    job_run(job_id=job_id, work=work)
