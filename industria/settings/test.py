"""Test settings: fast hashing, eager tasks unless a test starts a real worker, same database choice as dev."""

from .base import *  # noqa: F403
from .base import PASSWORD_HASHERS

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
CELERY_TASK_ALWAYS_EAGER = True
AXES_FAILURE_LIMIT = 5
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "10000/minute"}}  # noqa: F405
WHITENOISE_USE_FINDERS = True
