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


class GroupKind(models.TextChoices):
    """The layers of the "2+(3+6)+(4+5)" industrial system."""

    TRANSFORMATION = "transformation", _("Transformation (the 2)")
    LEADING_INDUSTRY = "leading_industry", _("Leading industry (the 3)")
    KEY_CLUSTER = "key_cluster", _("Key industry cluster (the 6)")
    NEW_TRACK = "new_track", _("New track (the 4)")
    FUTURE_INDUSTRY = "future_industry", _("Future industry (the 5)")


class CategoryLevel(models.TextChoices):
    SECTION = "section", _("Section")
    DIVISION = "division", _("Division")
    GROUP = "group", _("Group")
    CLASS = "class", _("Class")


class TierKind(models.TextChoices):
    LEADING_ENTERPRISE = "leading_enterprise", _("Leading enterprise")
    TEN_BILLION = "ten_billion", _("CNY 10-billion enterprise")
    INNOVATIVE_SME = "innovative_sme", _("Innovative SME")
    SRDI_SME = "srdi_sme", _("SRDI SME (specialised, refined, distinctive, novel)")
    LITTLE_GIANT = "little_giant", _("Little giant")
    SINGLE_CHAMPION = "single_champion", _("Manufacturing single champion")
    HIGH_TECH = "high_tech", _("High-tech enterprise")
    UNICORN = "unicorn", _("Unicorn")
    GAZELLE = "gazelle", _("Gazelle")
    HEADQUARTERS = "headquarters", _("Headquarters")


class TierLevel(models.TextChoices):
    MUNICIPAL = "municipal", _("Municipal")
    NATIONAL = "national", _("National")


class TierStatus(models.TextChoices):
    VALID = "valid", _("Valid")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")


class MappingSource(models.TextChoices):
    MAPPING = "mapping", _("Default mapping from the industry code")
    EXPLICIT = "explicit", _("Tagged explicitly")


class Confidence(models.TextChoices):
    """Evidence tags of the reference files (domain-rules.md §0)."""

    S = "S", _("Confirmed in a public source")
    V = "V", _("Verified")
    D = "D", _("Derived")
    M = "M", _("From memory of the official text, not re-confirmed")
    U = "U", _("Uncertain")
