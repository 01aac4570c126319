"""Celery tasks of the registry: thin callers of services."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from industria.core.changelog import change_context
from industria.core.choices import ChangeSource

from .services import tiers_expire_due


@shared_task(name="enterprises.tiers_expire_due_task")
def tiers_expire_due_task() -> int:
    """Daily: mark tiers whose validity has ended as expired."""
    with change_context(source=ChangeSource.TASK):
        return tiers_expire_due(actor=None, as_of=timezone.localdate())
