"""Celery tasks of the framework layer: thin callers of services."""

from __future__ import annotations

import time

from celery import shared_task

from .services import JobRunner, job_run


@shared_task(name="core.demo_job_task")
def demo_job_task(job_id: int, steps: int = 10, step_seconds: float = 0.5) -> None:
    """A demonstration job that counts slowly, to show the progress bar with and without Redis."""

    def work(runner: JobRunner) -> dict:
        runner.progress(0, steps)
        for i in range(1, steps + 1):
            time.sleep(step_seconds)
            runner.progress(i, steps)
        runner.log(f"counted {steps} steps")
        return {"steps": steps}

    job_run(job_id=job_id, work=work)
