"""The one audit trail.

A context variable holds who is acting and through which channel (UI, API, background task, CLI).  The
middleware sets it for each request; ``change_context(actor, source)`` sets it for tasks and commands.  One
receiver (``post_save``/``post_delete`` on every ``ChangeLoggedModel``) writes an ``ObjectChange`` with the
row before and after.  These receivers are the only signals in the codebase (STYLE §10).

Bulk operations (imports, batch evaluations) do not log row by row: they call ``bulk_change_record`` once
with counts and a per-row summary, inside ``suppress_row_logging()``.
"""

from __future__ import annotations

import contextvars
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest, HttpResponse

from .choices import ChangeAction, ChangeSource


@dataclass
class ChangeContext:
    """Who acts, through which channel, in which request."""

    source: str
    actor: Any = None
    request: HttpRequest | None = None
    request_id: uuid.UUID = field(default_factory=uuid.uuid4)
    log_rows: bool = True

    def resolve_actor(self) -> Any:
        """The acting user; for requests resolved late because DRF authenticates inside the view."""
        if self.actor is not None:
            return self.actor
        if self.request is not None:
            user = getattr(self.request, "user", None)
            if user is not None and user.is_authenticated:
                return user
        return None


_current: contextvars.ContextVar[ChangeContext | None] = contextvars.ContextVar("industria_change", default=None)


def current() -> ChangeContext | None:
    """The active change context, if any."""
    return _current.get()


@contextmanager
def change_context(actor: Any = None, source: str = ChangeSource.SYSTEM) -> Iterator[ChangeContext]:
    """Attribute every write inside the block to ``actor`` through ``source`` (``task``, ``cli``, ...)."""
    ctx = ChangeContext(source=str(source), actor=actor)
    token = _current.set(ctx)
    try:
        yield ctx
    finally:
        _current.reset(token)


@contextmanager
def suppress_row_logging() -> Iterator[None]:
    """Inside a bulk operation: rows are not logged one by one (record a bulk entry instead)."""
    ctx = _current.get() or ChangeContext(source=ChangeSource.SYSTEM)
    token = _current.set(ChangeContext(ctx.source, ctx.actor, ctx.request, ctx.request_id, log_rows=False))
    try:
        yield
    finally:
        _current.reset(token)


class ChangeContextMiddleware:
    """Set the change context for each request: channel ``api`` under /api/, else ``ui``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        source = ChangeSource.API if request.path.startswith("/api/") else ChangeSource.UI
        token = _current.set(ChangeContext(source=str(source), request=request))
        try:
            return self.get_response(request)
        finally:
            _current.reset(token)


def _write(instance: models.Model, action: str, before: dict | None, after: dict | None) -> None:
    from django.contrib.contenttypes.models import ContentType

    from .models import ObjectChange

    ctx = _current.get() or ChangeContext(source=ChangeSource.SYSTEM)
    if not ctx.log_rows:
        return
    if action == ChangeAction.UPDATE and before == after:
        return
    actor = ctx.resolve_actor()
    ObjectChange.objects.create(
        user=actor if actor is not None and actor.pk else None,
        user_name=getattr(actor, "username", "") if actor is not None else "",
        source=ctx.source,
        request_id=ctx.request_id,
        action=action,
        content_type=ContentType.objects.get_for_model(type(instance)),
        object_id=str(instance.pk),
        object_repr=str(instance)[:200],
        before=before,
        after=after,
    )


def _on_save(sender: type[models.Model], instance: Any, created: bool, raw: bool = False, **kwargs: Any) -> None:
    from .models import ChangeLoggedModel

    if raw or not isinstance(instance, ChangeLoggedModel):
        return
    after = instance.audit_snapshot()
    before = None if created else instance.audit_before()
    _write(instance, ChangeAction.CREATE if created else ChangeAction.UPDATE, before, after)
    instance._audit_before = after


def _on_delete(sender: type[models.Model], instance: Any, **kwargs: Any) -> None:
    from .models import ChangeLoggedModel

    if not isinstance(instance, ChangeLoggedModel):
        return
    _write(instance, ChangeAction.DELETE, instance.audit_before() or instance.audit_snapshot(), None)


def connect() -> None:
    """Connect the audit receivers (called once from CoreConfig.ready)."""
    post_save.connect(_on_save, dispatch_uid="industria_changelog_save")
    post_delete.connect(_on_delete, dispatch_uid="industria_changelog_delete")


def bulk_change_record(
    *, model: type[models.Model], summary: dict[str, Any], object_repr: str, object_id: str = ""
) -> Any:
    """Record one change-log entry for a bulk operation (counts and a per-row summary)."""
    from django.contrib.contenttypes.models import ContentType

    from .models import ObjectChange

    ctx = _current.get() or ChangeContext(source=ChangeSource.SYSTEM)
    actor = ctx.resolve_actor()
    return ObjectChange.objects.create(
        user=actor if actor is not None and actor.pk else None,
        user_name=getattr(actor, "username", "") if actor is not None else "",
        source=ctx.source,
        request_id=ctx.request_id,
        action=ChangeAction.BULK,
        content_type=ContentType.objects.get_for_model(model),
        object_id=object_id,
        object_repr=object_repr[:200],
        summary=summary,
    )
