"""Warning colours of nodes and projects, red episodes, and when a supervision order is due.

Node (not done on ``as_of``), with ``days_left = planned_finish_on − as_of``:

* red     when ``days_left < −G``          (overdue by more than G = ``red_after_days``; G = 0: from the day after)
* yellow  when ``days_left ≤ N``           (N = ``yellow_within_days``; "N天以内" includes N; also 0 … −G)
* green   otherwise, and for every node done on or before ``as_of``
* grey    when the node has no planned date

Project: grey when its stage is not monitored (before signing, at capacity, cancelled) or nothing is dated;
otherwise the worst colour of its nodes.  A red project's ``red_since`` continues the previous evaluation's
episode when it was red already, else it is the first red day of its earliest overdue node (so an evaluation
that runs late still dates the episode right).  ``supervision_due`` when red for more than K days ("超过K天",
K = ``supervision_red_days``, exclusive): the service raises exactly one order per episode.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl

from .rules import WarningRules
from .schema import cast_frame, check_frame

NODE_FACTS_SCHEMA = {
    "project_id": pl.Int64,
    "node_code": pl.String,
    "planned_finish_on": pl.Date,
    "actual_finish_on": pl.Date,
}
PROJECT_STATE_SCHEMA = {
    "project_id": pl.Int64,
    "stage": pl.String,
    "previous_colour": pl.String,
    "previous_red_since": pl.Date,
}
COLOUR_RANK = {"grey": 0, "green": 1, "yellow": 2, "red": 3}
COLOURS = tuple(COLOUR_RANK)


@dataclass(frozen=True)
class WarningResult:
    nodes: pl.DataFrame  # project_id, node_code, done, days_left, colour, red_from
    projects: pl.DataFrame  # project_id, colour, red_since, red_days, supervision_due, red_nodes, yellow_nodes, …


def node_colours(nodes: pl.DataFrame, rules: WarningRules, as_of: dt.date) -> pl.DataFrame:
    """The colour of every node on ``as_of`` (see module docstring)."""
    check_frame(nodes, "nodes", NODE_FACTS_SCHEMA)
    n_days, g_days = int(rules.yellow_within_days.value), int(rules.red_after_days.value)
    day = pl.lit(as_of, dtype=pl.Date)
    return (
        cast_frame(nodes, NODE_FACTS_SCHEMA)
        .with_columns(
            done=pl.col("actual_finish_on").is_not_null() & (pl.col("actual_finish_on") <= day),
            days_left=(pl.col("planned_finish_on") - day).dt.total_days(),
        )
        .with_columns(
            colour=pl.when(pl.col("done"))
            .then(pl.lit("green"))
            .when(pl.col("planned_finish_on").is_null())
            .then(pl.lit("grey"))
            .when(pl.col("days_left") < -g_days)
            .then(pl.lit("red"))
            .when(pl.col("days_left") <= n_days)
            .then(pl.lit("yellow"))
            .otherwise(pl.lit("green"))
        )
        .with_columns(
            red_from=pl.when(pl.col("colour") == "red").then(pl.col("planned_finish_on") + pl.duration(days=g_days + 1))
        )
    )


def evaluate_warnings(
    nodes: pl.DataFrame, projects: pl.DataFrame, rules: WarningRules, as_of: dt.date
) -> WarningResult:
    """Node and project colours, red episodes and due supervision orders on ``as_of``."""
    check_frame(projects, "projects", PROJECT_STATE_SCHEMA)
    coloured = node_colours(nodes, rules, as_of)
    unmonitored = list(rules.unmonitored_stages.value)
    k_days = int(rules.supervision_red_days.value)
    rank = pl.col("colour").replace_strict(COLOUR_RANK, return_dtype=pl.Int64)
    per_project = (
        coloured.with_columns(rank=rank)
        .sort("red_from", nulls_last=True)
        .group_by("project_id")
        .agg(
            worst=pl.col("rank").max(),
            red_nodes=(pl.col("colour") == "red").sum(),
            yellow_nodes=(pl.col("colour") == "yellow").sum(),
            first_red_from=pl.col("red_from").min(),
            first_red_node=pl.col("node_code").filter(pl.col("colour") == "red").first(),
        )
    )
    day = pl.lit(as_of, dtype=pl.Date)
    names = {v: k for k, v in COLOUR_RANK.items()}
    out = (
        cast_frame(projects, PROJECT_STATE_SCHEMA)
        .join(per_project, on="project_id", how="left")
        .with_columns(
            colour=pl.when(pl.col("stage").is_in(unmonitored) | pl.col("worst").is_null())
            .then(pl.lit("grey"))
            .otherwise(pl.col("worst").replace_strict(names, return_dtype=pl.String))
        )
        .with_columns(
            red_since=pl.when(pl.col("colour") != "red")
            .then(pl.lit(None, dtype=pl.Date))
            .when((pl.col("previous_colour") == "red") & pl.col("previous_red_since").is_not_null())
            .then(pl.col("previous_red_since"))
            .otherwise(pl.min_horizontal("first_red_from", day))
        )
        .with_columns(red_days=(day - pl.col("red_since")).dt.total_days())
        .with_columns(
            supervision_due=(pl.col("colour") == "red") & (pl.col("red_days") > k_days),
            changed=pl.col("colour").ne_missing(pl.col("previous_colour"))
            | pl.col("red_since").ne_missing(pl.col("previous_red_since")),
            red_nodes=pl.col("red_nodes").fill_null(0),
            yellow_nodes=pl.col("yellow_nodes").fill_null(0),
        )
        .select(
            "project_id",
            "stage",
            "colour",
            "red_since",
            "red_days",
            "supervision_due",
            "changed",
            "red_nodes",
            "yellow_nodes",
            "first_red_node",
            "previous_colour",
        )
    )
    return WarningResult(nodes=coloured, projects=out)
