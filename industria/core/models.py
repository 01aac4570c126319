"""Base models (timestamps, audit), the change log and background jobs."""

from __future__ import annotations

import copy
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .choices import ChangeAction, ChangeSource, JobStatus
from .permissions import ScopedQuerySet


class TimeStampedModel(models.Model):
    """Creation and modification times."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class ChangeLoggedModel(TimeStampedModel):
    """Business data: every create, change and delete is written to the change log.

    ``from_db`` keeps the loaded values so the log can record "before" without an extra query; the JSON snapshot
    is made from them only when the row is saved or deleted (``audit_before``) — a list page loads a hundred rows
    and changes none.
    """

    objects = ScopedQuerySet.as_manager()

    class Meta:
        abstract = True

    @classmethod
    def from_db(cls, db, field_names, values):  # type: ignore[no-untyped-def]
        instance = super().from_db(db, field_names, values)
        # dicts and lists (JSON fields) are shared with the instance and may be changed in place: copy them now
        loaded = tuple(copy.deepcopy(v) if isinstance(v, (dict, list)) else v for v in values)
        instance._audit_loaded = (db, field_names, loaded)
        return instance

    def audit_before(self) -> dict[str, Any] | None:
        """The row as it was loaded (or last saved), JSON-compatible; None for a row not read from the database."""
        if "_audit_before" in self.__dict__:
            return self.__dict__["_audit_before"]
        loaded = self.__dict__.get("_audit_loaded")
        if loaded is None:
            return None
        db, field_names, values = loaded
        as_loaded = models.Model.from_db.__func__(type(self), db, field_names, values)  # type: ignore[attr-defined]
        self._audit_before = as_loaded.audit_snapshot()
        return self._audit_before

    def audit_snapshot(self) -> dict[str, Any]:
        """The row's concrete field values as JSON-compatible data (what the change log stores)."""
        data: dict[str, Any] = {}
        for field in self._meta.concrete_fields:
            if field.name in ("created_at", "updated_at"):
                continue
            if field.attname not in self.__dict__:  # deferred field: not loaded, not recorded
                continue
            data[field.attname] = field.value_from_object(self)
        return _jsonable(data)


def _jsonable(data: dict[str, Any]) -> dict[str, Any]:
    import json

    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


class ObjectChange(models.Model):
    """One entry of the change log: who changed what, when, through which channel, before and after."""

    time = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    user_name = models.CharField(_("user name"), max_length=150, blank=True)
    source = models.CharField(_("channel"), max_length=16, choices=ChangeSource.choices)
    request_id = models.UUIDField(_("request id"), null=True, blank=True, db_index=True)
    action = models.CharField(_("action"), max_length=16, choices=ChangeAction.choices)
    content_type = models.ForeignKey(ContentType, verbose_name=_("object type"), on_delete=models.PROTECT)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True, encoder=DjangoJSONEncoder)
    after = models.JSONField(_("after"), null=True, blank=True, encoder=DjangoJSONEncoder)
    summary = models.JSONField(
        _("summary"),
        null=True,
        blank=True,
        encoder=DjangoJSONEncoder,
        help_text=_("For bulk operations: counts and a per-row summary instead of one entry per row."),
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ("-time", "-id")
        verbose_name = _("change log entry")
        verbose_name_plural = _("change log")
        indexes = [models.Index(fields=["content_type", "object_id"], name="core_objchange_object_idx")]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.object_repr}"

    def get_absolute_url(self) -> str:
        return reverse("core:objectchange_detail", args=[self.pk])

    def changed_fields(self) -> list[tuple[str, Any, Any]]:
        """(field, before, after) for each field whose value differs."""
        before, after = self.before or {}, self.after or {}
        keys = sorted(set(before) | set(after))
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]


class Job(TimeStampedModel):
    """A long-running piece of work the user can watch: status, progress, log and result."""

    kind = models.CharField(_("kind"), max_length=64)
    name = models.CharField(_("name"), max_length=200)
    status = models.CharField(_("status"), max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress_done = models.PositiveIntegerField(_("steps done"), default=0)
    progress_total = models.PositiveIntegerField(_("steps in all"), default=0)
    log = models.TextField(_("log"), blank=True)
    result = models.JSONField(_("result"), null=True, blank=True, encoder=DjangoJSONEncoder)
    error = models.TextField(_("error"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="jobs",
    )
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_owner_path = "requested_by"

    class Meta:
        ordering = ("-created_at", "-id")
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress_done__lte=models.F("progress_total")) | models.Q(progress_total=0),
                name="%(app_label)s_%(class)s_progress_within_total",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("core:job_detail", args=[self.pk])

    @property
    def percent(self) -> int:
        """Progress in whole percent (0 when the total is not known yet)."""
        if not self.progress_total:
            return 100 if self.status == JobStatus.SUCCEEDED else 0
        return int(100 * self.progress_done / self.progress_total)

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.SUCCEEDED, JobStatus.FAILED)
