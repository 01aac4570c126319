"""Test settings: fast hashing, eager tasks unless a test starts a real worker, same database choice as dev."""

import os

from .base import *  # noqa: F403
from .base import PASSWORD_HASHERS

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
CELERY_TASK_ALWAYS_EAGER = True
AXES_FAILURE_LIMIT = 5
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "10000/minute"}}  # noqa: F405
WHITENOISE_USE_FINDERS = True
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":  # noqa: F405
    # One test database per test process, so parallel sessions on one server never drop each other's.
    DATABASES["default"]["TEST"] = {"NAME": f"test_industria_{os.getpid()}"}  # noqa: F405
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not shared-cache memory: tests that run a real worker thread need SQLite's busy timeout and WAL,
    # which in-memory shared-cache databases do not honour ("database table is locked").
    # One file per test process, so parallel sessions (and xdist workers) never share one.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-db-{os.getpid()}.sqlite3")}  # noqa: F405
