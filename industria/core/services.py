"""Workflows of the framework layer: background jobs."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .changelog import change_context
from .choices import ChangeSource, JobStatus
from .exceptions import DomainError
from .models import Job

logger = logging.getLogger(__name__)
PROGRESS_TTL_S = 24 * 3600


def _progress_key(job_id: int) -> str:
    return f"industria:job:{job_id}:progress"


@transaction.atomic
def job_enqueue(*, actor: Any, kind: str, name: str, task: Any, kwargs: dict[str, Any] | None = None) -> Job:
    """Create a Job row and send ``task(job_id, **kwargs)`` to the worker once the transaction commits."""
    job = Job.objects.create(kind=kind, name=name, requested_by=actor if getattr(actor, "pk", None) else None)
    args = dict(kwargs or {})
    transaction.on_commit(lambda: task.delay(job.pk, **args))
    return job


class JobRunner:
    """Handed to the work function: report progress and log lines; visible to the UI while the job runs.

    Progress goes to the shared cache (Redis, or files under var/ in the embedded default) as well as the row,
    because the work itself may hold a transaction open (an all-or-nothing import) that the row update would
    otherwise wait for.
    """

    def __init__(self, job: Job):
        self.job = job
        self._lines: list[str] = []

    def progress(self, done: int, total: int | None = None) -> None:
        """Report ``done`` of ``total`` steps."""
        total = self.job.progress_total if total is None else total
        done = min(done, total) if total else done
        self.job.progress_done, self.job.progress_total = done, total
        cache.set(_progress_key(self.job.pk), (done, total, JobStatus.RUNNING), PROGRESS_TTL_S)
        if not transaction.get_connection().in_atomic_block:
            Job.objects.filter(pk=self.job.pk).update(progress_done=done, progress_total=total)

    def log(self, message: str) -> None:
        """Append a line to the job's log."""
        self._lines.append(f"{timezone.now():%H:%M:%S} {message}")
        self.job.log = "\n".join(self._lines)


def job_run(*, job_id: int, work: Callable[[JobRunner], Any], actor_source: str = ChangeSource.TASK) -> Job:
    """Run ``work`` for the job: status running → succeeded with its result, or failed with the error.

    Writes made by ``work`` are attributed to the job's requester through the ``task`` channel.
    """
    job = Job.objects.select_related("requested_by").get(pk=job_id)
    if job.is_finished:  # redelivered message: the work is done (tasks must be idempotent)
        return job
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, started_at=timezone.now())
    job.status = JobStatus.RUNNING
    runner = JobRunner(job)
    try:
        with change_context(actor=job.requested_by, source=actor_source):
            result = work(runner)
    except DomainError as exc:
        _finish(job, runner, JobStatus.FAILED, error=str(exc))
    except Exception as exc:  # the job records the failure instead of losing it
        logger.exception("job %s failed", job.pk)
        runner.log(traceback.format_exc(limit=3))
        _finish(job, runner, JobStatus.FAILED, error=str(_("Internal error: %(error)s") % {"error": exc}))
    else:
        _finish(job, runner, JobStatus.SUCCEEDED, result=result)
    return job


def _finish(job: Job, runner: JobRunner, status: str, *, result: Any = None, error: str = "") -> None:
    if status == JobStatus.SUCCEEDED and job.progress_total:
        job.progress_done = job.progress_total
    job.status, job.result, job.error, job.finished_at = status, result, error, timezone.now()
    job.save(update_fields=["status", "result", "error", "finished_at", "log", "progress_done", "progress_total"])
    cache.delete(_progress_key(job.pk))


def job_live_progress(job: Job) -> Job:
    """Overlay the live progress from the cache onto a job row read from the database."""
    if not job.is_finished:
        live = cache.get(_progress_key(job.pk))
        if live:
            job.progress_done, job.progress_total = live[0], live[1]
            job.status = JobStatus.RUNNING
    return job
