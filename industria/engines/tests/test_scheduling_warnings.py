"""Warning colours at the configured thresholds (both sides of each cut-off), red episodes, supervision due."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from industria.engines.scheduling import Tagged, WarningRules, evaluate_warnings, node_colours

AS_OF = dt.date(2025, 3, 1)


def rules(n: int = 15, g: int = 0, k: int = 30) -> WarningRules:
    return WarningRules(
        yellow_within_days=Tagged(n),
        red_after_days=Tagged(g),
        unmonitored_stages=Tagged(["lead", "negotiating", "at_capacity", "cancelled"]),
        supervision_red_days=Tagged(k),
        supervision_reply_days=Tagged(10),
    )


def nodes(rows: list[tuple[int, str, dt.date | None, dt.date | None]]) -> pl.DataFrame:
    return pl.DataFrame(
        rows,
        schema={
            "project_id": pl.Int64,
            "node_code": pl.String,
            "planned_finish_on": pl.Date,
            "actual_finish_on": pl.Date,
        },
        orient="row",
    )


def projects(rows: list[tuple[int, str, str | None, dt.date | None]]) -> pl.DataFrame:
    return pl.DataFrame(
        rows,
        schema={
            "project_id": pl.Int64,
            "stage": pl.String,
            "previous_colour": pl.String,
            "previous_red_since": pl.Date,
        },
        orient="row",
    )


def colour_of(days_left: int, **kw: int) -> str:
    frame = nodes([(1, "n", AS_OF + dt.timedelta(days=days_left), None)])
    return node_colours(frame, rules(**kw), AS_OF).item(0, "colour")


@pytest.mark.parametrize(
    ("days_left", "colour"),
    [(16, "green"), (15, "yellow"), (1, "yellow"), (0, "yellow"), (-1, "red"), (-40, "red")],
)
def test_node_colour_changes_at_the_configured_thresholds(days_left: int, colour: str) -> None:
    assert colour_of(days_left) == colour


@pytest.mark.parametrize(("days_left", "colour"), [(6, "green"), (5, "yellow"), (-2, "yellow"), (-3, "red")])
def test_other_thresholds_move_the_cut_offs(days_left: int, colour: str) -> None:
    assert colour_of(days_left, n=5, g=2) == colour


def test_done_nodes_are_green_and_a_completion_after_as_of_is_not_done_yet() -> None:
    late = AS_OF - dt.timedelta(days=10)
    frame = nodes([(1, "done", late, AS_OF), (1, "later", late, AS_OF + dt.timedelta(days=1)), (1, "none", None, None)])

    result = node_colours(frame, rules(), AS_OF)

    assert result["colour"].to_list() == ["green", "red", "grey"]


def test_project_takes_its_worst_node_and_unmonitored_stages_are_grey() -> None:
    frame = nodes(
        [
            (1, "a", AS_OF + dt.timedelta(days=3), None),
            (1, "b", AS_OF + dt.timedelta(days=60), None),
            (2, "a", AS_OF - dt.timedelta(days=3), None),
            (3, "a", AS_OF - dt.timedelta(days=3), None),
        ]
    )
    state = projects(
        [
            (1, "started", None, None),
            (2, "started", None, None),
            (3, "cancelled", None, None),
            (4, "signed", None, None),
        ]
    )

    result = evaluate_warnings(frame, state, rules(), AS_OF).projects.sort("project_id")

    assert result["colour"].to_list() == ["yellow", "red", "grey", "grey"]
    assert result["red_since"].to_list()[1] == AS_OF - dt.timedelta(days=2)  # the day after the planned date


def test_a_continuing_red_episode_keeps_its_start() -> None:
    frame = nodes([(1, "a", AS_OF - dt.timedelta(days=3), None)])
    earlier = AS_OF - dt.timedelta(days=50)

    continued = evaluate_warnings(frame, projects([(1, "started", "red", earlier)]), rules(), AS_OF).projects
    fresh = evaluate_warnings(frame, projects([(1, "started", "green", earlier)]), rules(), AS_OF).projects

    assert continued.item(0, "red_since") == earlier
    assert fresh.item(0, "red_since") == AS_OF - dt.timedelta(days=2)


@pytest.mark.parametrize(("red_days", "due"), [(30, False), (31, True)])
def test_supervision_is_due_when_red_for_more_than_k_days(red_days: int, due: bool) -> None:
    since = AS_OF - dt.timedelta(days=red_days)
    frame = nodes([(1, "a", since - dt.timedelta(days=1), None)])

    result = evaluate_warnings(frame, projects([(1, "started", None, None)]), rules(k=30), AS_OF).projects

    assert result.item(0, "red_days") == red_days
    assert result.item(0, "supervision_due") is due
