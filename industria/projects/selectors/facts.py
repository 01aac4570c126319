"""Set-based read models for the engines: the planned and actual dates of every scheduled node."""

from __future__ import annotations

from typing import Any

import polars as pl

from industria.core.bulk import read_frame

PLANNED_DTYPE = pl.Struct({"finish": pl.List(pl.Int64)})


def project_where(project_ids: list[int] | None, template_ids: list[int] | None) -> tuple[str, list[Any]]:
    """A WHERE clause on projects ``p`` restricted to ids and/or templates (None = no restriction)."""
    clauses, params = ["1 = 1"], []
    if project_ids is not None:
        clauses.append(f"p.id IN ({', '.join(['%s'] * len(project_ids))})" if project_ids else "1 = 0")
        params += project_ids
    if template_ids is not None:
        clauses.append(f"p.template_id IN ({', '.join(['%s'] * len(template_ids))})" if template_ids else "1 = 0")
        params += template_ids
    return " AND ".join(clauses), params


def node_facts(*, project_ids: list[int] | None = None, template_ids: list[int] | None = None) -> pl.DataFrame:
    """project_id, node_code, planned_finish_on, actual_finish_on of every scheduled node (set-based).

    The planned finishes come from the compact arrays of ``ProjectSchedule.planned`` (days relative to the
    target, in template order); the actual ones from ``ProjectNode`` (joined on the node's ``seq``).
    """
    from .rules import node_codes_frame

    where, params = project_where(project_ids, template_ids)
    planned = read_frame(
        "SELECT s.project_id, s.template_code, s.target_on, s.planned FROM projects_projectschedule s "
        f"JOIN projects_keyproject p ON p.id = s.project_id WHERE {where}",
        params,
        {"project_id": pl.Int64, "template_code": pl.String, "target_on": pl.Date, "planned": pl.String},
    )
    long = (
        planned.with_columns(finish=pl.col("planned").str.json_decode(PLANNED_DTYPE).struct.field("finish"))
        .drop("planned")
        .with_columns(seq=pl.int_ranges(pl.col("finish").list.len()))
        .explode(["finish", "seq"])
        .with_columns(planned_finish_on=pl.col("target_on") + pl.duration(days=pl.col("finish")))
        .join(node_codes_frame(), on=["template_code", "seq"], how="left")
    )
    actual = read_frame(
        "SELECT n.project_id, n.seq, n.actual_finish_on FROM projects_projectnode n "
        f"JOIN projects_keyproject p ON p.id = n.project_id WHERE n.actual_finish_on IS NOT NULL AND {where}",
        params,
        {"project_id": pl.Int64, "seq": pl.Int64, "actual_finish_on": pl.Date},
    )
    return long.join(actual, on=["project_id", "seq"], how="left").select(
        "project_id", "node_code", "planned_finish_on", "actual_finish_on"
    )
