"""Celery task of the land import: a thin caller of ``land_import_run`` inside ``job_run`` (progress bar)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from celery import shared_task
from django.conf import settings
from django.utils import translation

from industria.core.services import JobRunner, job_run


@shared_task(name="land.land_import_run_task")
def land_import_run_task(job_id: int, kind: str, path: str, filename: str, dry_run: bool, language: str = "") -> None:
    """Run the import of the stored file ``path`` for the job; the rejected rows go next to it."""
    from .services import land_import_run

    def work(runner: JobRunner) -> dict[str, Any]:
        with translation.override(language or settings.LANGUAGE_CODE):
            result = land_import_run(
                actor=runner.job.requested_by,
                kind=kind,
                file=path,
                dry_run=dry_run,
                filename=filename,
                progress=lambda done, total, _phase: runner.progress(done, total),
                rejected_path=Path(path).parent / f"rejected-{job_id}.xlsx",
            )
            runner.log(f"{result.outcome}: {result.counts}")
            return result.as_dict()

    job_run(job_id=job_id, work=work)
