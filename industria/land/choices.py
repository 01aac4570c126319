"""Choices of the land app."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ParkKind(models.TextChoices):
    CHARACTERISTIC_PARK = "characteristic_park", _("Characteristic industrial park")
    DEVELOPMENT_ZONE = "development_zone", _("Development zone")
    INDUSTRIAL_BASE = "industrial_base", _("Industrial base")


class StrategicAreaKind(models.TextChoices):
    FREE_TRADE_AREA = "free_trade_area", _("Free-trade new area")
    NEW_CITY = "new_city", _("New city")
    TRANSFORMATION_AREA = "transformation_area", _("North-south transformation area")
    OTHER = "other", _("Other strategic area")


class LandUseClass(models.TextChoices):
    """Shanghai industrial land-use classes: M industrial, M4 industrial R&D, M0 new-type industrial, W storage."""

    INDUSTRIAL = "industrial", _("Industrial (M)")
    RD = "rd", _("Industrial R&D (M4)")
    NEW_INDUSTRIAL = "new_industrial", _("New-type industrial (M0)")
    WAREHOUSE = "warehouse", _("Storage and logistics (W)")


class ParcelStatus(models.TextChoices):
    IN_USE = "in_use", _("In use")
    IDLE = "idle", _("Idle")
    UNDER_CONSTRUCTION = "under_construction", _("Under construction")
    AVAILABLE = "available", _("Available")


class InefficiencyKind(models.TextChoices):
    """Why a parcel is on the inefficient-land list (the five types 批而未供…投而未达标, plus D grade and idle)."""

    APPROVED_NOT_SUPPLIED = "approved_not_supplied", _("Approved but not supplied")
    SUPPLIED_NOT_USED = "supplied_not_used", _("Supplied but not used")
    USED_NOT_FULLY = "used_not_fully", _("Used but not fully")
    BUILT_NOT_PRODUCING = "built_not_producing", _("Built but not in production")
    BELOW_STANDARD = "below_standard", _("In production but below standard")
    GRADE_D = "grade_d", _("D grade")
    IDLE = "idle", _("Idle")


class ActionKind(models.TextChoices):
    TAKE_BACK = "take_back", _("Take back")
    RE_LET = "re_let", _("Re-let")
    URBAN_RENEWAL = "urban_renewal", _("Urban renewal")
    RAISE_FAR = "raise_far", _("Raise the floor-area ratio")
    INDUSTRY_UPSTAIRS = "industry_upstairs", _("Industry upstairs (multi-storey)")


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", pgettext_lazy("revitalisation action", "Completed")
    CANCELLED = "cancelled", pgettext_lazy("revitalisation action", "Cancelled")
