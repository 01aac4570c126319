"""Celery tasks of the registry: thin callers of services."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from industria.core.changelog import change_context
from industria.core.choices import ChangeSource
from industria.core.services import JobRunner, job_run
from industria.enterprises.imports.tasks import import_file_run_task  # noqa: F401  (registers the import task)

from .services import industry_rollup_refresh, tiers_expire_due


@shared_task(name="enterprises.tiers_expire_due_task")
def tiers_expire_due_task() -> int:
    """Daily: mark tiers whose validity has ended as expired."""
    with change_context(source=ChangeSource.TASK):
        return tiers_expire_due(actor=None, as_of=timezone.localdate())


@shared_task(name="enterprises.industry_rollup_refresh_task")
def industry_rollup_refresh_task(job_id: int) -> None:
    """Recompute the mapping-derived group memberships of every enterprise."""

    def work(runner: JobRunner) -> dict:
        runner.progress(0, 1)
        count = industry_rollup_refresh()
        runner.log(f"{count} memberships")
        return {"memberships": count}

    job_run(job_id=job_id, work=work)
