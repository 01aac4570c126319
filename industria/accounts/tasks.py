"""Celery tasks of the accounts app: thin callers of services."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from industria.core.services import JobRunner, job_run

from .services import users_deactivate_dormant


@shared_task(name="accounts.users_deactivate_dormant_task")
def users_deactivate_dormant_task(job_id: int, inactive_days: int = 180) -> None:
    """Deactivate accounts unused for ``inactive_days`` (a Job, so the administrator sees what happened)."""

    def work(runner: JobRunner) -> dict:
        names = users_deactivate_dormant(
            actor=runner.job.requested_by, inactive_days=inactive_days, as_of=timezone.now()
        )
        runner.log(f"deactivated {len(names)} accounts")
        return {"deactivated": names}

    job_run(job_id=job_id, work=work)
