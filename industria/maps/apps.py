from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MapsConfig(AppConfig):
    """The industrial map: composes layers from land, projects, enterprises, evaluations and plan (no models)."""

    name = "industria.maps"
    label = "maps"
    verbose_name = _("Industrial map")
