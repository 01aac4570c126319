"""Celery task of the import: a thin caller of ``import_file_run`` inside ``job_run``."""

from __future__ import annotations

from typing import Any

from celery import shared_task
from django.conf import settings
from django.utils import translation

from industria.core.services import JobRunner, job_run


@shared_task(name="enterprises.import_file_run_task")
def import_file_run_task(
    job_id: int, kind: str, path: str, filename: str, dry_run: bool, source: str = "task", language: str = ""
) -> None:
    """Run the import of the stored file ``path`` (relative to MEDIA_ROOT) for the job; the change log records
    the requester through ``source`` (the channel the upload came from)."""
    from .services import import_file_run, media_path

    def work(runner: JobRunner) -> dict[str, Any]:
        with translation.override(language or settings.LANGUAGE_CODE):
            absolute = media_path(path)
            result = import_file_run(
                actor=runner.job.requested_by,
                kind=kind,
                path=absolute,
                dry_run=dry_run,
                filename=filename,
                progress=lambda done, total, _phase: runner.progress(done, total),
                rejected_path=absolute.parent / f"rejected-{job_id}.xlsx",
            )
            counts = result.counts
            runner.log(f"{result.outcome}: {counts}")
            return result.as_dict()

    job_run(job_id=job_id, work=work, actor_source=source)
