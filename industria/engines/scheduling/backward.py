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

Vectorised "wide": the projects of one template (and target node) form one frame with a column per node; the
passes walk the template's levels (computed once, ``TemplateSpec.structure``), each level one ``with_columns``
over every project of the template, and the result is stacked back to one row per project node.  A loop over
template levels and nodes, never over projects.  No clock: the target dates are data.
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from .schema import cast_frame, check_frame
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

    ``nodes``: project_id, node_code, duration_days — the project's own durations; a node missing here (or
    with a null duration) takes the template's.  Nodes not in the template are ignored.
    ``projects``: project_id, template_code, target_code (null → the template's target node), target_on.
    Projects without a target date or with an unknown template are left out of the result.
    """
    check_frame(nodes, "nodes", NODES_SCHEMA)
    check_frame(projects, "projects", PROJECTS_SCHEMA)
    projects = (
        cast_frame(projects, PROJECTS_SCHEMA)
        .filter(pl.col("target_on").is_not_null() & pl.col("template_code").is_in(list(templates)))
        .with_columns(
            target_code=pl.coalesce(
                "target_code",
                pl.col("template_code").replace_strict(
                    {c: t.target_node for c, t in templates.items()}, default=None, return_dtype=pl.String
                ),
            )
        )
    )
    overrides = cast_frame(nodes, NODES_SCHEMA).filter(pl.col("duration_days").is_not_null())
    frames = []
    for (template_code, target_code), group in projects.group_by("template_code", "target_code"):
        template = templates[str(template_code)]
        frames.append(_schedule_group(template, str(target_code), group, overrides))
    if not frames:
        return pl.DataFrame(schema=SCHEDULE_SCHEMA)
    return pl.concat(frames).sort("project_id", "seq")


def _schedule_group(template: TemplateSpec, target: str, group: pl.DataFrame, overrides: pl.DataFrame) -> pl.DataFrame:
    """Every project of one template and target node, one column per node (see module docstring)."""
    structure = template.structure(target)
    roles = dict(zip(structure["node_code"], structure["role"], strict=True))
    core = [c for c in template.topological_order if roles[c] != "after"]
    after = [c for c in template.topological_order if roles[c] == "after"]
    preds = {n.code: n.after for n in template.nodes}
    succs: dict[str, list[tuple[str, str, int]]] = {c: [] for c in template.codes}
    for n in template.nodes:
        for dep in n.after:
            succs[dep.node].append((n.code, dep.dep_type, dep.lag_days))

    wide = group.select("project_id", target_day=pl.col("target_on").cast(pl.Int64))
    own = overrides.join(wide.select("project_id"), on="project_id", how="semi").filter(
        pl.col("node_code").is_in(list(template.codes))
    )
    if own.height:
        own_wide = own.pivot(on="node_code", index="project_id", values="duration_days", aggregate_function="last")
        own_wide = own_wide.rename({c: f"o:{c}" for c in own_wide.columns if c != "project_id"})
        wide = wide.join(own_wide, on="project_id", how="left")
    wide = wide.with_columns(
        [
            (pl.col(f"o:{c}").cast(pl.Int64) if f"o:{c}" in wide.columns else pl.lit(None, dtype=pl.Int64))
            .fill_null(template.durations[c])
            .alias(f"d:{c}")
            for c in template.codes
        ]
    )

    def d(code: str) -> pl.Expr:
        return pl.col(f"d:{code}")

    # backward pass: latest finish/start, from the target through its ancestors (descending topological order)
    wide = wide.with_columns(pl.col("target_day").alias(f"lf:{target}")).with_columns(
        (pl.col(f"lf:{target}") - d(target)).alias(f"ls:{target}")
    )
    for level in _levels(structure, "back_level", exclude_zero=True):
        lf = []
        for code in level:
            candidates = [
                pl.col(f"ls:{s}") - lag + (d(code) if kind == "SS" else 0)
                for s, kind, lag in succs[code]
                if roles[s] != "after"
            ]
            lf.append(pl.min_horizontal(candidates).alias(f"lf:{code}"))
        wide = wide.with_columns(lf).with_columns([(pl.col(f"lf:{c}") - d(c)).alias(f"ls:{c}") for c in level])
    # forward pass over the same nodes: earliest start from the project's start (the smallest latest start)
    wide = wide.with_columns(project_start=pl.min_horizontal([pl.col(f"ls:{c}") for c in core]))
    for level in _levels(structure, "fwd_level"):
        es = []
        for code in level:
            candidates = [
                pl.col(f"es:{p.node}") + p.lag_days + (0 if p.dep_type == "SS" else d(p.node)) for p in preds[code]
            ]
            es.append((pl.max_horizontal(candidates) if candidates else pl.col("project_start")).alias(f"es:{code}"))
        wide = wide.with_columns(es)
    # nodes after the target: forwards from their predecessors' planned (backward) dates
    for level in _levels(structure, "after_level"):
        starts = []
        for code in level:
            candidates = [
                (pl.col(f"ls:{p.node}") if p.dep_type == "SS" else pl.col(f"lf:{p.node}")) + p.lag_days
                for p in preds[code]
            ]
            starts.append(
                (pl.max_horizontal(candidates) if candidates else pl.col("project_start")).alias(f"ls:{code}")
            )
        wide = wide.with_columns(starts).with_columns([(pl.col(f"ls:{c}") + d(c)).alias(f"lf:{c}") for c in level])

    seq = dict(zip(structure["node_code"], structure["seq"], strict=True))
    long = [
        wide.select(
            "project_id",
            node_code=pl.lit(code),
            seq=pl.lit(seq[code], dtype=pl.Int64),
            duration_days=d(code),
            planned_start_on=pl.col(f"ls:{code}").cast(pl.Date),
            planned_finish_on=pl.col(f"lf:{code}").cast(pl.Date),
            float_days=(pl.col(f"ls:{code}") - pl.col(f"es:{code}")) if code in core else pl.lit(None, pl.Int64),
            critical=(pl.col(f"ls:{code}") == pl.col(f"es:{code}")) if code in core else pl.lit(False),
            role=pl.lit(roles[code]),
        )
        for code in template.codes
        if code in core or code in after
    ]
    return pl.concat(long).cast(SCHEDULE_SCHEMA)  # type: ignore[arg-type]


def _levels(structure: pl.DataFrame, column: str, *, exclude_zero: bool = False) -> list[list[str]]:
    """Node codes grouped by a pass level, in processing order."""
    rows = structure.filter(pl.col(column).is_not_null())
    if exclude_zero:
        rows = rows.filter(pl.col(column) > 0)
    out: dict[int, list[str]] = {}
    for code, level in rows.select("node_code", column).iter_rows():
        out.setdefault(int(level), []).append(str(code))
    return [out[k] for k in sorted(out)]
