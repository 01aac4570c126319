"""Plan and targets: the development plan as data, with progress, forecasts and a dashboard."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanConfig(AppConfig):
    name = "industria.plan"
    label = "plan"
    verbose_name = _("Plan and targets")
