"""Node templates, the nodes of each project, its computed schedule and its approved baselines.

The planned dates are a computed artefact: one ``ProjectSchedule`` row per project holds every node's dates
as compact arrays (re-scheduling 100,000 projects rewrites 100,000 rows, not 3 million).  ``ProjectNode``
rows hold what people record per node: the project's own duration, the actual dates, a note.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from industria.core.models import ChangeLoggedModel, TimeStampedModel
from industria.core.permissions import ScopedQuerySet
from industria.projects.choices import Confidence, FastTrack, ProjectType


class NodeTemplate(ChangeLoggedModel):
    """A schedule template for a project type: nodes with standard durations and dependencies (reference data).

    ``version`` increases with every change of durations or dependencies; projects scheduled on an older
    version are re-scheduled by a background job.
    """

    code = models.CharField(_("code"), max_length=60, unique=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    project_type = models.CharField(_("project type"), max_length=24, choices=ProjectType.choices)
    fast_track = models.CharField(_("fast track"), max_length=16, choices=FastTrack.choices, default=FastTrack.NONE)
    target_node = models.CharField(_("default target node"), max_length=40)
    existing_land = models.BooleanField(_("on existing land"), default=False)
    confidence = models.CharField(_("confidence"), max_length=1, choices=Confidence.choices, default=Confidence.U)
    source = models.TextField(_("source"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    scope_shared = True

    class Meta:
        ordering = ("project_type", "code")
        verbose_name = _("node template")
        verbose_name_plural = _("node templates")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "").startswith("en") and self.name_en else self.name_zh

    def get_absolute_url(self) -> str:
        return reverse("projects:nodetemplate_detail", args=[self.pk])


class NodeTemplateItem(ChangeLoggedModel):
    """One node of a template: its standard duration and its predecessors (serial FS or parallel SS, with lag)."""

    template = models.ForeignKey(
        NodeTemplate, verbose_name=_("template"), on_delete=models.CASCADE, related_name="items"
    )
    code = models.CharField(_("code"), max_length=40)
    seq = models.PositiveSmallIntegerField(_("order"))
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    duration_days = models.PositiveIntegerField(_("standard duration (days)"))
    predecessors = models.JSONField(
        _("predecessors"),
        default=list,
        blank=True,
        help_text=_("Node codes (finish-to-start), or {node, type: FS|SS, lag_days}."),
    )
    phase = models.PositiveSmallIntegerField(_("acceptance phase"), null=True, blank=True)

    scope_shared = True

    class Meta:
        ordering = ("template", "seq")
        verbose_name = _("template node")
        verbose_name_plural = _("template nodes")
        constraints = [
            models.UniqueConstraint(fields=["template", "code"], name="%(app_label)s_%(class)s_unique_code"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "").startswith("en") and self.name_en else self.name_zh

    def get_absolute_url(self) -> str:
        return self.template.get_absolute_url()


class ProjectNode(ChangeLoggedModel):
    """A node of one project's schedule: the project's own duration (empty = the template's) and actual dates."""

    project = models.ForeignKey(
        "projects.KeyProject", verbose_name=_("project"), on_delete=models.CASCADE, related_name="nodes"
    )
    code = models.CharField(_("code"), max_length=40)
    seq = models.PositiveSmallIntegerField(_("order"))
    duration_days = models.PositiveIntegerField(_("duration (days)"), null=True, blank=True)
    actual_start_on = models.DateField(_("actual start"), null=True, blank=True)
    actual_finish_on = models.DateField(_("actual finish"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    scope_district_path = "project__district"
    scope_enterprise_path = "project__investor"

    class Meta:
        ordering = ("project", "seq")
        verbose_name = _("project node")
        verbose_name_plural = _("project nodes")
        constraints = [
            models.UniqueConstraint(fields=["project", "code"], name="%(app_label)s_%(class)s_unique_code"),
            models.CheckConstraint(
                condition=models.Q(actual_start_on__isnull=True)
                | models.Q(actual_finish_on__isnull=True)
                | models.Q(actual_start_on__lte=models.F("actual_finish_on")),
                name="%(app_label)s_%(class)s_start_before_finish",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project_id}:{self.code}"

    def get_absolute_url(self) -> str:
        return reverse("projects:keyproject_detail", args=[self.project_id]) + "?tab=nodes"

    def is_done(self, *, today: dt.date) -> bool:
        return self.actual_finish_on is not None and self.actual_finish_on <= today


class ProjectSchedule(TimeStampedModel):
    """The computed backward schedule of a project (one row per project).

    ``planned`` = {"v": 2, "start": [...], "finish": [...], "float": [...], "critical": [...]}: one entry per
    node of the template, in the template's node order (item ``seq``), dates as days relative to ``target_on``
    (compact: re-scheduling writes 100,000 of these rows).  The milestone columns let statistics and the
    forecast read the plan without unpacking the arrays.
    """

    project = models.OneToOneField(
        "projects.KeyProject", verbose_name=_("project"), on_delete=models.CASCADE, related_name="schedule"
    )
    template_code = models.CharField(_("template"), max_length=60)
    template_version = models.PositiveIntegerField(_("template version"))
    target_node_code = models.CharField(_("target node"), max_length=40)
    target_on = models.DateField(_("target date"))
    planned = models.JSONField(_("planned dates"), encoder=DjangoJSONEncoder)
    planned_start_on = models.DateField(_("planned start of the schedule"))
    planned_started_on = models.DateField(_("planned start of works"), null=True, blank=True)
    planned_completed_on = models.DateField(_("planned completion"), null=True, blank=True)
    planned_producing_on = models.DateField(_("planned production"), null=True, blank=True)
    planned_at_capacity_on = models.DateField(_("planned capacity"), null=True, blank=True)
    computed_on = models.DateField(_("computed on"))
    engine_version = models.CharField(_("engine version"), max_length=30)

    objects = ScopedQuerySet.as_manager()
    scope_district_path = "project__district"
    scope_enterprise_path = "project__investor"

    class Meta:
        ordering = ("project",)
        verbose_name = _("project schedule")
        verbose_name_plural = _("project schedules")
        # no index besides the project's: re-scheduling rewrites every row, and on PostgreSQL (fillfactor 60,
        # migration 0003) those updates stay "HOT" (no index writes)

    def __str__(self) -> str:
        return f"{self.project_id} → {self.target_on}"

    def get_absolute_url(self) -> str:
        return reverse("projects:keyproject_detail", args=[self.project_id])

    def rows(self, codes: list[str]) -> list[dict[str, Any]]:
        """The planned dates as one dict per node, in order (``codes``: the template's node codes by seq)."""
        return planned_rows(self.planned, target_on=self.target_on, codes=codes)


def planned_rows(planned: dict[str, Any] | None, *, target_on: dt.date, codes: list[str]) -> list[dict[str, Any]]:
    """Unpack the arrays of a schedule or baseline into one dict per node (codes in template order)."""
    if not planned:
        return []
    finish = planned.get("finish") or []
    start = planned.get("start") or [None] * len(finish)
    floats = planned.get("float") or [None] * len(finish)
    critical = planned.get("critical") or [0] * len(finish)
    out = []
    for i, offset in enumerate(finish):
        out.append(
            {
                "code": codes[i] if i < len(codes) else str(i),
                "start": None if start[i] is None else target_on + dt.timedelta(days=start[i]),
                "finish": None if offset is None else target_on + dt.timedelta(days=offset),
                "float_days": floats[i],
                "critical": bool(critical[i]),
            }
        )
    return out


class ProjectBaseline(TimeStampedModel):
    """An approved schedule: the first approval, then one per re-plan (with its reason).  Never edited.

    ``planned`` has the format of ``ProjectSchedule.planned`` (days relative to this baseline's ``target_on``,
    nodes in the order of the template ``template_code``; templates never change their node set, only durations).
    """

    project = models.ForeignKey(
        "projects.KeyProject", verbose_name=_("project"), on_delete=models.CASCADE, related_name="baselines"
    )
    number = models.PositiveSmallIntegerField(_("baseline number"))
    approved_on = models.DateField(_("approved on"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.TextField(_("reason"), blank=True)
    template_code = models.CharField(_("template"), max_length=60)
    template_version = models.PositiveIntegerField(_("template version"))
    target_on = models.DateField(_("target date"))
    planned = models.JSONField(_("planned dates"), encoder=DjangoJSONEncoder)
    is_current = models.BooleanField(_("current"), default=True)

    objects = ScopedQuerySet.as_manager()
    scope_district_path = "project__district"
    scope_enterprise_path = "project__investor"

    class Meta:
        ordering = ("project", "-number")
        verbose_name = _("baseline")
        verbose_name_plural = _("baselines")
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="%(app_label)s_%(class)s_unique_number"),
            models.UniqueConstraint(
                fields=["project"], condition=models.Q(is_current=True), name="%(app_label)s_%(class)s_one_current"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} #{self.number}"

    def get_absolute_url(self) -> str:
        return reverse("projects:keyproject_detail", args=[self.project_id]) + "?tab=schedule"
