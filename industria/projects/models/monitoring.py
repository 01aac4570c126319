"""Monitoring: domain events, supervision orders and their replies, blockers, and the monitoring rule set."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from industria.accounts.models import Department
from industria.core.models import ChangeLoggedModel, TimeStampedModel
from industria.core.permissions import ScopedQuerySet
from industria.projects.choices import (
    BlockerCategory,
    BlockerStatus,
    ProjectEventType,
    RuleSetStatus,
    SupervisionStatus,
    SupervisionTrigger,
)


class ProjectEvent(TimeStampedModel):
    """A business event in a project's history (stage reached, baseline approved, order raised …).

    Domain words with parameters (the evidence of a transition, the reason of a re-plan); the field-level
    audit stays in ``core.ObjectChange``.
    """

    project = models.ForeignKey(
        "projects.KeyProject", verbose_name=_("project"), on_delete=models.CASCADE, related_name="events"
    )
    type = models.CharField(_("event"), max_length=24, choices=ProjectEventType.choices)
    occurred_on = models.DateField(_("occurred on"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    parameters = models.JSONField(_("parameters"), default=dict, blank=True, encoder=DjangoJSONEncoder)

    objects = ScopedQuerySet.as_manager()
    scope_district_path = "project__district"
    scope_enterprise_path = "project__investor"

    class Meta:
        ordering = ("-created_at", "-id")
        verbose_name = _("project event")
        verbose_name_plural = _("project events")
        indexes = [models.Index(fields=["project", "-created_at"], name="projects_event_project_idx")]

    def __str__(self) -> str:
        return f"{self.get_type_display()} {self.occurred_on}"

    def get_absolute_url(self) -> str:
        return reverse("projects:keyproject_detail", args=[self.project_id]) + "?tab=events"


class SupervisionOrder(ChangeLoggedModel):
    """A supervision order (督办单) to a project's responsible unit, with a reply deadline.

    Raised automatically (exactly one per red episode: unique on project and ``red_since``) or by an officer.
    """

    project = models.ForeignKey(
        "projects.KeyProject", verbose_name=_("project"), on_delete=models.CASCADE, related_name="supervision_orders"
    )
    department = models.ForeignKey(
        Department, verbose_name=_("responsible unit"), on_delete=models.PROTECT, related_name="supervision_orders"
    )
    number = models.CharField(_("number"), max_length=32, unique=True)
    trigger = models.CharField(_("trigger"), max_length=12, choices=SupervisionTrigger.choices)
    raised_on = models.DateField(_("raised on"))
    reply_due_on = models.DateField(_("reply due on"))
    red_since = models.DateField(_("red since"), null=True, blank=True)
    reason = models.TextField(_("reason"))
    status = models.CharField(
        _("status"), max_length=12, choices=SupervisionStatus.choices, default=SupervisionStatus.OPEN
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("raised by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    scope_district_path = "project__district"
    scope_enterprise_path = "project__investor"

    class Meta:
        ordering = ("-raised_on", "-id")
        verbose_name = _("supervision order")
        verbose_name_plural = _("supervision orders")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "red_since"],
                condition=models.Q(trigger="automatic"),
                name="%(app_label)s_%(class)s_one_per_red_episode",
            ),
            models.CheckConstraint(
                condition=models.Q(reply_due_on__gte=models.F("raised_on")),
                name="%(app_label)s_%(class)s_due_after_raised",
            ),
        ]
        indexes = [models.Index(fields=["department", "status"], name="projects_order_unit_idx")]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("projects:supervisionorder_detail", args=[self.pk])

    def is_overdue(self, *, today: dt.date) -> bool:
        """The reply is late on ``today``."""
        return self.status == SupervisionStatus.OPEN and today > self.reply_due_on


class SupervisionReply(ChangeLoggedModel):
    """The responsible unit's answer to a supervision order: what it did and by when the problem is solved."""

    order = models.ForeignKey(
        SupervisionOrder, verbose_name=_("supervision order"), on_delete=models.CASCADE, related_name="replies"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    replied_on = models.DateField(_("replied on"))
    text = models.TextField(_("reply"))
    expected_resolution_on = models.DateField(_("expected resolution"), null=True, blank=True)

    scope_district_path = "order__project__district"
    scope_enterprise_path = "order__project__investor"

    class Meta:
        ordering = ("order", "replied_on", "id")
        verbose_name = _("supervision reply")
        verbose_name_plural = _("supervision replies")

    def __str__(self) -> str:
        return f"{self.order.number} {self.replied_on}"

    def get_absolute_url(self) -> str:
        return self.order.get_absolute_url()


class Blocker(ChangeLoggedModel):
    """A difficulty holding a project back (land, planning, environment, power, financing), routed to the
    department that can clear it, with a time limit."""

    project = models.ForeignKey(
        "projects.KeyProject", verbose_name=_("project"), on_delete=models.CASCADE, related_name="blockers"
    )
    category = models.CharField(_("category"), max_length=16, choices=BlockerCategory.choices)
    description = models.TextField(_("description"))
    department = models.ForeignKey(
        Department, verbose_name=_("routed to"), on_delete=models.PROTECT, related_name="blockers"
    )
    raised_on = models.DateField(_("raised on"))
    due_on = models.DateField(_("to be cleared by"))
    status = models.CharField(_("status"), max_length=12, choices=BlockerStatus.choices, default=BlockerStatus.OPEN)
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)
    resolution = models.TextField(_("resolution"), blank=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("raised by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    scope_district_path = "project__district"
    scope_enterprise_path = "project__investor"

    class Meta:
        ordering = ("status", "due_on", "id")
        verbose_name = _("blocker")
        verbose_name_plural = _("blockers")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(due_on__gte=models.F("raised_on")), name="%(app_label)s_%(class)s_due_after_raised"
            ),
        ]
        indexes = [models.Index(fields=["department", "status"], name="projects_blocker_unit_idx")]

    def __str__(self) -> str:
        return f"{self.get_category_display()}: {self.description[:40]}"

    def get_absolute_url(self) -> str:
        return reverse("projects:blocker_detail", args=[self.pk])

    def is_overdue(self, *, today: dt.date) -> bool:
        return self.status == BlockerStatus.OPEN and today > self.due_on


class ProjectRuleSet(ChangeLoggedModel):
    """A version of the monitoring rules (warning thresholds, supervision, blocker routing, ranking, forecast).

    Loaded from fixtures/reference/projects/rules.yaml; an active version is never edited: a change is a new
    version, and the newest active one whose ``effective_from`` has come applies.
    """

    code = models.CharField(_("code"), max_length=60)
    version = models.CharField(_("version"), max_length=20)
    effective_from = models.DateField(_("effective from"))
    status = models.CharField(_("status"), max_length=10, choices=RuleSetStatus.choices, default=RuleSetStatus.DRAFT)
    source = models.TextField(_("source"), blank=True)
    parameters = models.JSONField(_("parameters"), encoder=DjangoJSONEncoder)

    scope_shared = True

    class Meta:
        ordering = ("code", "-effective_from", "-version")
        verbose_name = _("monitoring rule set")
        verbose_name_plural = _("monitoring rule sets")
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="%(app_label)s_%(class)s_unique_version")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.version}"

    def get_absolute_url(self) -> str:
        return reverse("projects:rules")
