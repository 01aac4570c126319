"""Development and demo settings: the default when DJANGO_SETTINGS_MODULE is unset."""

from .base import *  # noqa: F403  (settings modules are the one place star imports are the convention)
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=False)
WHITENOISE_USE_FINDERS = True
