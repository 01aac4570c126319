"""Evaluation programmes: versioned rule sets, rounds over the registry, objections, publication."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    name = "industria.evaluations"
    label = "evaluations"
    verbose_name = _("Evaluation programmes")
