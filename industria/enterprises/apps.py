"""The enterprise registry: enterprises keyed by credit code, their facts and tiers, and the industry taxonomy."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnterprisesConfig(AppConfig):
    name = "industria.enterprises"
    label = "enterprises"
    verbose_name = _("Enterprise registry")
