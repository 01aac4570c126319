"""Choices of the enterprise registry."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OwnershipType(models.TextChoices):
    STATE = "state", _("State-owned or state-controlled")
    PRIVATE = "private", _("Private")
    FOREIGN = "foreign", _("Foreign-invested")
    HK_MACAO_TAIWAN = "hk_macao_taiwan", _("Hong Kong, Macao or Taiwan invested")
    COLLECTIVE = "collective", _("Collective")
    OTHER = "other", _("Other")
