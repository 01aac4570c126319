"""Warning evaluation, set-based: colours of every project from its planned and actual node dates, the red
episodes, and exactly one supervision order per episode that lasts more than K days.

The periodic task ``warnings_evaluate_task`` runs it daily (beat entry in settings); the re-scheduling job runs
it for the projects it re-scheduled.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from industria.accounts.models import Department
from industria.core.bulk import insert_frame, read_frame, update_frame
from industria.core.changelog import bulk_change_record, suppress_row_logging
from industria.engines.scheduling import evaluate_warnings
from industria.projects.choices import ProjectEventType, SupervisionStatus, SupervisionTrigger
from industria.projects.models import KeyProject, ProjectEvent, SupervisionOrder
from industria.projects.selectors.facts import node_facts, project_where
from industria.projects.selectors.rules import rules_active


@transaction.atomic
def warnings_evaluate(
    *, as_of: dt.date, project_ids: list[int] | None = None, template_ids: list[int] | None = None
) -> dict[str, int]:
    """Colour the chosen projects (default: all) on ``as_of``; raise the supervision orders that are due.

    Returns counts: evaluated, changed, red, orders (raised now).
    """
    rules = rules_active(as_of=as_of)
    where, params = project_where(project_ids, template_ids)
    projects = read_frame(
        "SELECT p.id, p.stage, p.warning_colour, p.red_since, p.responsible_unit_id FROM projects_keyproject p "
        f"WHERE {where}",
        params,
        {
            "project_id": pl.Int64,
            "stage": pl.String,
            "previous_colour": pl.String,
            "previous_red_since": pl.Date,
            "department_id": pl.Int64,
        },
    )
    if projects.is_empty():
        return {"evaluated": 0, "changed": 0, "red": 0, "orders": 0}
    result = evaluate_warnings(
        node_facts(project_ids=project_ids, template_ids=template_ids),
        projects.drop("department_id"),
        rules.warnings,
        as_of,
    ).projects.join(projects.select("project_id", "department_id"), on="project_id")
    now = timezone.now()
    changed = result.filter(pl.col("changed"))
    with suppress_row_logging():
        update_frame(
            KeyProject._meta.db_table,
            changed.select(
                id="project_id",
                warning_colour="colour",
                red_since="red_since",
                warning_changed_on=pl.lit(as_of, dtype=pl.Date),
                updated_at=pl.lit(now),
            ),
            key="id",
            columns=["warning_colour", "red_since", "warning_changed_on", "updated_at"],
        )
        _events(changed, as_of, now)
        orders = _orders_raise(result.filter(pl.col("supervision_due")), rules, as_of, now)
    counts = {
        "evaluated": result.height,
        "changed": changed.height,
        "red": result.filter(pl.col("colour") == "red").height,
        "orders": orders,
    }
    if changed.height or orders:
        bulk_change_record(
            model=KeyProject,
            object_repr=_("Warning evaluation of %(date)s") % {"date": as_of.isoformat()},
            summary={"as_of": as_of.isoformat(), **counts},
        )
    return counts


def project_warning_refresh(*, project_id: int, today: dt.date) -> None:
    """Re-colour one project after a change (the daily evaluation does every project)."""
    warnings_evaluate(as_of=today, project_ids=[project_id])


def _events(changed: pl.DataFrame, as_of: dt.date, now: Any) -> None:
    if changed.is_empty():
        return
    events = changed.select(
        "project_id",
        type=pl.lit(ProjectEventType.WARNING_CHANGED.value),
        occurred_on=pl.lit(as_of, dtype=pl.Date),
        parameters=pl.struct(
            pl.col("previous_colour").alias("from"),
            pl.col("colour").alias("to"),
            pl.col("red_since").dt.strftime("%Y-%m-%d").alias("red_since"),
            pl.col("first_red_node").alias("node"),
        ).struct.json_encode(),
        created_at=pl.lit(now),
        updated_at=pl.lit(now),
    )
    insert_frame(ProjectEvent._meta.db_table, events)


def _fallback_department(rules: Any) -> int:
    route = rules.blockers["other"]
    department, _created = Department.objects.get_or_create(
        name_zh=route.department_zh, district=None, defaults={"name_en": route.department_en}
    )
    return department.pk


def _orders_raise(due: pl.DataFrame, rules: Any, as_of: dt.date, now: Any) -> int:
    """One automatic order per red episode, none while the project has an open order."""
    if due.is_empty():
        return 0
    ids = due.get_column("project_id").to_list()
    episodes = set(
        SupervisionOrder.objects.filter(project_id__in=ids, trigger=SupervisionTrigger.AUTOMATIC).values_list(
            "project_id", "red_since"
        )
    )
    busy = set(
        SupervisionOrder.objects.filter(project_id__in=ids, status=SupervisionStatus.OPEN).values_list(
            "project_id", flat=True
        )
    )
    rows = [
        r
        for r in due.iter_rows(named=True)
        if (r["project_id"], r["red_since"]) not in episodes and r["project_id"] not in busy
    ]
    if not rows:
        return 0
    fallback = None
    reply_days = int(rules.warnings.supervision_reply_days.value)
    orders = []
    for r in rows:  # the due orders of one day: a handful, built as rows for one set-based insert
        if r["department_id"] is None and fallback is None:
            fallback = _fallback_department(rules)
        orders.append(
            {
                "project_id": r["project_id"],
                "department_id": r["department_id"] or fallback,
                "number": f"DB-{as_of:%Y%m%d}-{r['project_id']:07d}",
                "trigger": SupervisionTrigger.AUTOMATIC.value,
                "raised_on": as_of,
                "reply_due_on": as_of + dt.timedelta(days=reply_days),
                "red_since": r["red_since"],
                "reason": _("Red for %(days)s days since %(since)s; first overdue node: %(node)s.")
                % {"days": r["red_days"], "since": r["red_since"].isoformat(), "node": r["first_red_node"] or "—"},
                "status": SupervisionStatus.OPEN.value,
                "created_at": now,
                "updated_at": now,
            }
        )
    frame = pl.DataFrame(orders)
    insert_frame(SupervisionOrder._meta.db_table, frame)
    events = frame.select(
        "project_id",
        type=pl.lit(ProjectEventType.SUPERVISION_RAISED.value),
        occurred_on=pl.col("raised_on"),
        parameters=pl.struct(
            "number", pl.col("red_since").dt.strftime("%Y-%m-%d"), "department_id"
        ).struct.json_encode(),
        created_at=pl.lit(now),
        updated_at=pl.lit(now),
    )
    insert_frame(ProjectEvent._meta.db_table, events)
    bulk_change_record(
        model=SupervisionOrder,
        object_repr=_("Supervision orders of %(date)s") % {"date": as_of.isoformat()},
        summary={"raised": len(orders), "numbers": [o["number"] for o in orders][:200]},
    )
    return len(orders)
