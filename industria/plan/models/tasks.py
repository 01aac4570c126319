"""Tasks of the plan's actions, with responsible units, owners, deadlines and periodic status updates."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from industria.accounts.models import Department
from industria.core.models import ChangeLoggedModel
from industria.enterprises.choices import Confidence
from industria.plan.choices import Cadence, TaskStatus

from .plans import DataSource, DevelopmentPlan, PlanAction, in_language
from .querysets import PlanScopedQuerySet


class PlanTask(ChangeLoggedModel):
    """A key task (重点任务) of an action: who is responsible, who reports, by when, and how it is going.

    ``to_be_completed_by_admin`` marks tasks whose name, action or units the published text does not give: the UI
    says so until an administrator completes them from the official document.
    """

    plan = models.ForeignKey(DevelopmentPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="tasks")
    action = models.ForeignKey(
        PlanAction, verbose_name=_("action"), on_delete=models.SET_NULL, null=True, blank=True, related_name="tasks"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    name_zh = models.CharField(_("name (Chinese)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    responsible_departments = models.ManyToManyField(
        Department, verbose_name=_("responsible units"), blank=True, related_name="plan_tasks"
    )
    responsible_units_complete = models.BooleanField(
        _("responsible units complete"), default=False, help_text=_("False while the list may be incomplete.")
    )
    owners = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("owners"), blank=True, related_name="owned_plan_tasks"
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    cadence = models.CharField(
        _("reporting cadence"), max_length=10, choices=Cadence.choices, default=Cadence.QUARTERLY
    )
    next_due_on = models.DateField(_("next status update due on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED)
    progress_pct = models.PositiveSmallIntegerField(_("progress (%)"), null=True, blank=True)
    to_be_completed_by_admin = models.BooleanField(
        _("to be completed by an administrator"),
        default=False,
        help_text=_("The published text does not give this task's details."),
    )
    source = models.ForeignKey(
        DataSource, verbose_name=_("source"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confidence = models.CharField(_("confidence"), max_length=1, choices=Confidence.choices, blank=True)
    note = models.TextField(_("note"), blank=True)

    objects = PlanScopedQuerySet.as_manager()

    @classmethod
    def scope_view_q(cls, user: object) -> models.Q:
        return models.Q()  # municipal tasks: anyone with the role permission reads them all

    class Meta:
        ordering = ("plan", "number")
        verbose_name = _("plan task")
        verbose_name_plural = _("plan tasks")
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="%(app_label)s_%(class)s_unique_number"),
            models.CheckConstraint(
                condition=models.Q(progress_pct__isnull=True) | models.Q(progress_pct__lte=100),
                name="%(app_label)s_%(class)s_progress_at_most_100",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}" if self.name else f"{self.number}. —"

    @property
    def name(self) -> str:
        return in_language(self.name_zh, self.name_en)

    def is_stale(self, *, today: date) -> bool:
        """An open task whose status update was due before ``today``."""
        return self.status != TaskStatus.COMPLETED and self.next_due_on is not None and self.next_due_on < today

    def is_overdue(self, *, today: date) -> bool:
        """An open task past its deadline."""
        return self.status != TaskStatus.COMPLETED and self.deadline is not None and self.deadline < today

    def get_absolute_url(self) -> str:
        return reverse("plan:plantask_detail", args=[self.pk])


class TaskStatusUpdate(ChangeLoggedModel):
    """A periodic status report on a task: status, progress and a narrative, by its owner."""

    task = models.ForeignKey(PlanTask, verbose_name=_("task"), on_delete=models.CASCADE, related_name="updates")
    reported_on = models.DateField(_("reported on"))
    status = models.CharField(_("status"), max_length=12, choices=TaskStatus.choices)
    progress_pct = models.PositiveSmallIntegerField(_("progress (%)"), null=True, blank=True)
    narrative = models.TextField(_("narrative"))
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = PlanScopedQuerySet.as_manager()

    @classmethod
    def scope_view_q(cls, user: object) -> models.Q:
        return models.Q()

    class Meta:
        ordering = ("task", "-reported_on", "-id")
        verbose_name = _("task status update")
        verbose_name_plural = _("task status updates")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress_pct__isnull=True) | models.Q(progress_pct__lte=100),
                name="%(app_label)s_%(class)s_progress_at_most_100",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task} · {self.reported_on:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("plan:plantask_detail", args=[self.task_id]) + f"#update-{self.pk}"
