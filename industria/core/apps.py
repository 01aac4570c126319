"""Framework layer: base models, the change log, row scoping, jobs, generic views and API conventions."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "industria.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from . import changelog

        changelog.connect()
