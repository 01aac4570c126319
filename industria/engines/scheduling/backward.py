"""Backward ("reverse node", 倒排节点) scheduling of every project at once, with the critical path.

For each project the target node finishes on the target date.  Walking the dependency graph backwards, a node
must finish before each successor can start:

    FS (serial):    LF(pred) = LS(succ) − lag
    SS (parallel):  LS(pred) = LS(succ) − lag        i.e. LF(pred) = LS(succ) − lag + d(pred)
    LF(node) = min over successors;  LS(node) = LF(node) − d(node)

(domain-rules.md §7.3: planned_date(node) = target_date − Σ standard durations of its successors).  The
earliest start of the project is the smallest LS; a forward pass from there gives ES/EF, and the total float
LS − ES; the nodes with zero float form the critical path.  Nodes after the target (environmental acceptance,
reaching capacity) are dated forwards: ES = max over predecessors (EF + lag for FS, ES + lag for SS).

The levels of each pass are computed once per template (``TemplateSpec.structure``); each level is then one
vectorised join over every project.  No clock: the target dates are data.
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from .schema import check_frame
from .templates import TemplateSpec

NODES_SCHEMA = {"project_id": pl.Int64, "node_code": pl.String, "duration_days": pl.Int64}
PROJECTS_SCHEMA = {"project_id": pl.Int64, "template_code": pl.String, "target_code": pl.String, "target_on": pl.Date}
SCHEDULE_SCHEMA = {
    "project_id": pl.Int64,
    "node_code": pl.String,
    "seq": pl.Int64,
    "duration_days": pl.Int64,
    "planned_start_on": pl.Date,
    "planned_finish_on": pl.Date,
    "float_days": pl.Int64,
    "critical": pl.Boolean,
    "role": pl.String,
}


def schedule_backward(
    nodes: pl.DataFrame, projects: pl.DataFrame, templates: Mapping[str, TemplateSpec]
) -> pl.DataFrame:
    """Planned dates, float and critical flag of every node of every project (see module docstring).

    ``nodes``: project_id, node_code, duration_days (null → the template's duration).  Nodes missing from
    ``nodes`` take the template's duration; nodes not in the template are ignored.
    ``projects``: project_id, template_code, target_code (null → the template's target node), target_on.
    Projects without a target date or with an unknown template are left out of the result.
    """
    check_frame(nodes, "nodes", NODES_SCHEMA)
    check_frame(projects, "projects", PROJECTS_SCHEMA)
    projects = (
        projects.select(list(PROJECTS_SCHEMA))
        .filter(pl.col("target_on").is_not_null() & pl.col("template_code").is_in(list(templates)))
        .with_columns(
            target_code=pl.coalesce(
                "target_code",
                pl.col("template_code").replace_strict(
                    {c: t.target_node for c, t in templates.items()}, return_dtype=pl.String
                ),
            )
        )
    )
    if projects.is_empty():
        return pl.DataFrame(schema=SCHEDULE_SCHEMA)

    pairs = projects.select("template_code", "target_code").unique().rows()
    structure = pl.concat(
        [templates[t].structure(target).with_columns(template_code=pl.lit(t), target_code=pl.lit(target))
         for t, target in pairs]
    )
    edges = pl.concat(
        [templates[t].edges().with_columns(template_code=pl.lit(t)) for t in {t for t, _ in pairs}]
    )
    # One row per project node: the project's duration where given, else the template's.
    base = (
        projects.join(structure, on=["template_code", "target_code"], how="inner")
        .join(nodes.select(list(NODES_SCHEMA)), on=["project_id", "node_code"], how="left")
        .with_columns(
            duration_days=pl.coalesce("duration_days", "template_duration_days"),
            target_day=pl.col("target_on").cast(pl.Int64),
        )
        .drop("template_duration_days")
    )
    facts = base.select("project_id", "node_code", "duration_days", "role", "back_level", "fwd_level",
                        "after_level")
    project_edges = (
        projects.select("project_id", "template_code")
        .join(edges, on="template_code", how="inner")
        .join(
            facts.select("project_id", pl.col("node_code").alias("pred_code"), pl.col("duration_days").alias("pred_d"),
                         pl.col("role").alias("pred_role"), pl.col("back_level").alias("pred_back"),
                         pl.col("fwd_level").alias("pred_fwd")),
            on=["project_id", "pred_code"],
        )
        .join(
            facts.select("project_id", pl.col("node_code").alias("succ_code"), pl.col("duration_days").alias("succ_d"),
                         pl.col("role").alias("succ_role"), pl.col("fwd_level").alias("succ_fwd"),
                         pl.col("after_level").alias("succ_after")),
            on=["project_id", "succ_code"],
        )
    )

    late = _backward_pass(base, project_edges)
    early = _forward_pass(late, project_edges)
    after = _after_pass(base, late, project_edges)

    core = (
        late.join(early, on=["project_id", "node_code"], how="left")
        .with_columns(float_days=pl.col("ls") - pl.col("es"))
        .select("project_id", "node_code", start="ls", finish="lf", float_days="float_days")
    )
    dated = pl.concat([core, after], how="diagonal_relaxed")
    out = (
        base.select("project_id", "node_code", "seq", "duration_days", "role")
        .join(dated, on=["project_id", "node_code"], how="left")
        .with_columns(
            planned_start_on=pl.col("start").cast(pl.Date),
            planned_finish_on=pl.col("finish").cast(pl.Date),
            critical=(pl.col("role") != "after") & (pl.col("float_days") == 0),
        )
        .select(list(SCHEDULE_SCHEMA))
        .sort("project_id", "seq")
    )
    return out


def _backward_pass(base: pl.DataFrame, edges: pl.DataFrame) -> pl.DataFrame:
    """Latest finish (lf) and start (ls) of the target and its ancestors, level by level from the target."""
    late = base.filter(pl.col("role") == "target").select(
        "project_id", "node_code", lf=pl.col("target_day"), ls=pl.col("target_day") - pl.col("duration_days")
    )
    max_level = base.get_column("back_level").max()
    if max_level is None:
        return late
    by_level = (
        edges.filter(pl.col("pred_role") == "ancestor").partition_by("pred_back", as_dict=True, include_key=False)
    )
    for level in range(1, int(max_level) + 1):  # a loop over template depth, not over rows
        level_edges = by_level.get((level,))
        if level_edges is None:
            continue
        candidates = (
            level_edges.join(
                late.select("project_id", pl.col("node_code").alias("succ_code"), "ls"),
                on=["project_id", "succ_code"],
                how="inner",
            )
            .with_columns(
                lf=pl.when(pl.col("dep_type") == "SS")
                .then(pl.col("ls") - pl.col("lag_days") + pl.col("pred_d"))
                .otherwise(pl.col("ls") - pl.col("lag_days"))
            )
            .group_by("project_id", "pred_code")
            .agg(pl.col("lf").min(), pl.col("pred_d").first())
            .select("project_id", node_code="pred_code", lf="lf", ls=pl.col("lf") - pl.col("pred_d"))
        )
        late = pl.concat([late, candidates])
    return late


def _forward_pass(late: pl.DataFrame, edges: pl.DataFrame) -> pl.DataFrame:
    """Earliest start (es) of the target and its ancestors from the project's earliest start (min ls)."""
    start = late.group_by("project_id").agg(project_start=pl.col("ls").min())
    core_edges = edges.filter(pl.col("succ_role") != "after")
    early = (
        late.join(start, on="project_id")
        .join(
            core_edges.select("project_id", node_code="succ_code").unique(),
            on=["project_id", "node_code"],
            how="anti",
        )
        .select("project_id", "node_code", es=pl.col("project_start"))
    )
    max_level = core_edges.get_column("succ_fwd").max()
    if max_level is None:
        return early
    by_level = core_edges.partition_by("succ_fwd", as_dict=True, include_key=False)
    for level in range(1, int(max_level) + 1):
        level_edges = by_level.get((level,))
        if level_edges is None:
            continue
        candidates = (
            level_edges.join(
                early.select("project_id", pl.col("node_code").alias("pred_code"), "es"),
                on=["project_id", "pred_code"],
                how="inner",
            )
            .with_columns(
                cand=pl.when(pl.col("dep_type") == "SS")
                .then(pl.col("es") + pl.col("lag_days"))
                .otherwise(pl.col("es") + pl.col("pred_d") + pl.col("lag_days"))
            )
            .group_by("project_id", "succ_code")
            .agg(es=pl.col("cand").max())
            .rename({"succ_code": "node_code"})
        )
        early = pl.concat([early, candidates])
    return early


def _after_pass(base: pl.DataFrame, late: pl.DataFrame, edges: pl.DataFrame) -> pl.DataFrame:
    """Nodes after the target, dated forwards from their predecessors (the core nodes keep their backward dates)."""
    after_nodes = base.filter(pl.col("role") == "after")
    schema = {"project_id": pl.Int64, "node_code": pl.String, "start": pl.Int64, "finish": pl.Int64,
              "float_days": pl.Int64}
    if after_nodes.is_empty():
        return pl.DataFrame(schema=schema)
    dated = late.select("project_id", "node_code", start="ls", finish="lf")
    project_start = dated.group_by("project_id").agg(project_start=pl.col("start").min())
    out_frames = []
    by_level = after_nodes.partition_by("after_level", as_dict=True, include_key=False)
    for level in sorted(k[0] for k in by_level):  # a loop over template depth, not over rows
        level_nodes = by_level[(level,)].select("project_id", "node_code", "duration_days")
        incoming = edges.join(
            level_nodes.select("project_id", succ_code="node_code"), on=["project_id", "succ_code"], how="inner"
        ).join(
            dated.select("project_id", pred_code="node_code", pred_start="start", pred_finish="finish"),
            on=["project_id", "pred_code"],
            how="inner",
        )
        starts = (
            incoming.with_columns(
                cand=pl.when(pl.col("dep_type") == "SS")
                .then(pl.col("pred_start") + pl.col("lag_days"))
                .otherwise(pl.col("pred_finish") + pl.col("lag_days"))
            )
            .group_by("project_id", "succ_code")
            .agg(start=pl.col("cand").max())
            .rename({"succ_code": "node_code"})
        )
        level_dated = (
            level_nodes.join(starts, on=["project_id", "node_code"], how="left")
            .join(project_start, on="project_id", how="left")
            .with_columns(start=pl.coalesce("start", "project_start"))
            .with_columns(finish=pl.col("start") + pl.col("duration_days"))
            .select("project_id", "node_code", "start", "finish")
        )
        out_frames.append(level_dated)
        dated = pl.concat([dated, level_dated])
    return pl.concat(out_frames).with_columns(float_days=pl.lit(None, dtype=pl.Int64))
