"""The Celery application.  Broker: Redis when REDIS_URL is set, else the local filesystem (see settings.base)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "industria.settings.dev")

app = Celery("industria")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
