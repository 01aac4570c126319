"""Writing domain events (ProjectEvent): one helper so every service records history the same way."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder

from industria.projects.models import KeyProject, ProjectEvent


def _jsonable(parameters: dict[str, Any]) -> dict[str, Any]:
    return json.loads(json.dumps(parameters, cls=DjangoJSONEncoder))


def event_record(
    *, project: KeyProject, type: str, occurred_on: dt.date, actor: Any = None, parameters: dict[str, Any] | None = None
) -> ProjectEvent:
    """Append an event to ``project``'s history."""
    return ProjectEvent.objects.create(
        project=project,
        type=type,
        occurred_on=occurred_on,
        actor=actor if getattr(actor, "pk", None) else None,
        parameters=_jsonable(parameters or {}),
    )


def pipeline_changed() -> None:
    """Tell the plan that the pipeline changed, so cached forecasts are recomputed (plan.pipeline contract)."""
    from industria.plan.models import DevelopmentPlan
    from industria.plan.services import plan_touch

    for plan_id in DevelopmentPlan.objects.values_list("pk", flat=True):
        plan_touch(plan_id=plan_id)
