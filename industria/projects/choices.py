"""Choices of the projects app."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProjectType(models.TextChoices):
    NEW_BUILD = "new_build", _("New build")
    EXPANSION = "expansion", _("Expansion")
    TECH_TRANSFORMATION = "tech_transformation", _("Technological transformation")
    RD_CENTRE = "rd_centre", _("R&D centre")
    HEADQUARTERS = "headquarters", _("Headquarters")


class ProjectStage(models.TextChoices):
    """The stage machine of domain-rules.md §7.3 (order = declaration order; stalled/cancelled are side states)."""

    LEAD = "lead", _("Lead")
    NEGOTIATING = "negotiating", _("Negotiating")
    SIGNED = "signed", _("Signed")
    FILED = "filed", _("Filed")
    LAND_ACQUIRED = "land_acquired", _("Land acquired")
    PERMITTED = "permitted", _("Permitted")
    STARTED = "started", _("Started")
    UNDER_CONSTRUCTION = "under_construction", _("Under construction")
    COMPLETED = "completed", _("Completed")
    PRODUCING = "producing", _("Producing")
    AT_CAPACITY = "at_capacity", _("At capacity")
    STALLED = "stalled", _("Stalled")
    CANCELLED = "cancelled", _("Cancelled")


ORDERED_STAGES: tuple[str, ...] = tuple(s.value for s in ProjectStage)[:11]
SIDE_STAGES: tuple[str, ...] = (ProjectStage.STALLED.value, ProjectStage.CANCELLED.value)


def stage_order(stage: str) -> int | None:
    """The rank of an ordered stage (None for stalled/cancelled)."""
    return ORDERED_STAGES.index(stage) if stage in ORDERED_STAGES else None


class FastTrack(models.TextChoices):
    NONE = "none", _("Standard")
    LAND_START = "land_start", _("Start on land acquisition")
    PILE_FIRST = "pile_first", _("Pile foundation first")
    PHASED = "phased", _("Phased completion acceptance")


class ListKind(models.TextChoices):
    MUNICIPAL_MAJOR = "municipal_major", _("Municipal major project")
    KEY_INDUSTRIAL = "key_industrial", _("Key industrial project")
    TECH_BENCHMARK = "tech_benchmark", _("Technological-transformation benchmark project")


class WarningColour(models.TextChoices):
    GREY = "grey", _("Not monitored")
    GREEN = "green", _("Green")
    YELLOW = "yellow", _("Yellow")
    RED = "red", _("Red")


class RankColour(models.TextChoices):
    BLUE = "blue", _("Blue")
    YELLOW = "yellow", _("Yellow")
    RED = "red", _("Red")
    GREY = "grey", _("No plan")


class ProjectEventType(models.TextChoices):
    CREATED = "created", _("Registered")
    STAGE_ADVANCED = "stage_advanced", _("Stage reached")
    STALLED = "stalled", _("Stalled")
    RESUMED = "resumed", _("Resumed")
    CANCELLED = "cancelled", _("Cancelled")
    REOPENED = "reopened", _("Stage reopened")
    SCHEDULED = "scheduled", _("Schedule computed")
    BASELINE_APPROVED = "baseline_approved", _("Baseline approved")
    REPLANNED = "replanned", _("Re-planned")
    NODE_COMPLETED = "node_completed", _("Node completed")
    WARNING_CHANGED = "warning_changed", _("Warning colour changed")
    SUPERVISION_RAISED = "supervision_raised", _("Supervision order raised")
    SUPERVISION_REPLIED = "supervision_replied", _("Supervision order answered")
    SUPERVISION_CLOSED = "supervision_closed", _("Supervision order closed")
    BLOCKER_RAISED = "blocker_raised", _("Blocker raised")
    BLOCKER_RESOLVED = "blocker_resolved", _("Blocker resolved")
    INVESTMENT_REPORTED = "investment_reported", _("Monthly investment reported")


class SupervisionStatus(models.TextChoices):
    OPEN = "open", _("Awaiting reply")
    REPLIED = "replied", _("Replied")
    CLOSED = "closed", _("Closed")


class SupervisionTrigger(models.TextChoices):
    AUTOMATIC = "automatic", _("Automatic (red for too long)")
    MANUAL = "manual", _("Raised by an officer")


class BlockerCategory(models.TextChoices):
    LAND = "land", _("Land")
    PLANNING = "planning", _("Planning")
    ENVIRONMENT = "environment", _("Environment")
    POWER = "power", _("Power")
    FINANCING = "financing", _("Financing")
    OTHER = "other", _("Other")


class BlockerStatus(models.TextChoices):
    OPEN = "open", _("Open")
    RESOLVED = "resolved", _("Resolved")


class RuleSetStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active")
    RETIRED = "retired", _("Retired")


class Confidence(models.TextChoices):
    S = "S", _("Confirmed in a public source")
    M = "M", _("From practice, to verify")
    U = "U", _("Uncertain placeholder")
