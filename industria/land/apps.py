from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LandConfig(AppConfig):
    """Parks, strategic areas, parcels, land use by enterprise and year, inefficient land and its revitalisation."""

    name = "industria.land"
    label = "land"
    verbose_name = _("Land and parks")
