"""Celery tasks of the evaluations app: thin callers of services (STYLE §9)."""

from __future__ import annotations

from celery import shared_task

from industria.core.services import JobRunner, job_run


@shared_task(name="evaluations.evaluation_round_run_task")
def evaluation_round_run_task(job_id: int, round_id: int) -> None:
    """Evaluate a round as the job ``job_id``: progress in four steps (read, compute, store, done)."""
    from .models import EvaluationRound, RoundStatus
    from .services import evaluation_round_compute, evaluation_round_failed

    def work(runner: JobRunner) -> dict:
        round_ = EvaluationRound.objects.select_related("ruleset").get(pk=round_id)
        if round_.status != RoundStatus.RUNNING:  # redelivered after the work was done
            return round_.summary or {}
        return evaluation_round_compute(round_=round_, progress=runner.progress, log=runner.log)

    job = job_run(job_id=job_id, work=work)
    if job.status == "failed":
        evaluation_round_failed(round_id=round_id)
