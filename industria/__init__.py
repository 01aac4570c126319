"""Industria: the open platform a city's manufacturing authority uses to run its development plan."""

from .celery import app as celery_app

__all__ = ("celery_app",)
