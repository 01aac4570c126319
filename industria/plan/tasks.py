"""Celery tasks of the plan app: thin callers."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from .progress import plan_progress_warm


@shared_task(name="plan.plan_progress_warm_task")
def plan_progress_warm_task() -> dict[str, int]:
    """Every few minutes (beat): recompute the registry aggregates and today's dashboard before they expire."""
    return plan_progress_warm(as_of=timezone.localdate())
