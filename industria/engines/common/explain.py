"""Turn one result row into a line-by-line explanation: codes and parameters only, no translated text.

``explain_row(result.row(i, named=True), rules)`` returns a list of JSON-ready dicts, one per step: the
segment, each indicator (raw value, band or benchmark used, points, reason code, evidence tag), each category,
the total, each named condition and the outcome.  The UI renders them with its own translations.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from industria.engines.common.indicators import (
    BandsMethod,
    BenchmarkMethod,
    BestOfMethod,
    ChoiceMethod,
    CountMethod,
    FlagMethod,
    Indicator,
    InputMethod,
    LinearMethod,
)
from industria.engines.common.outcomes import Grading, PassFail
from industria.engines.common.ruleset import RuleSet

_UNDEFINED = ("missing_value", "ratio_undefined", "value_out_of_range", "benchmark_unavailable")


def _json(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def explain_row(
    row: Mapping[str, Any], rules: RuleSet, facts_row: Mapping[str, Any] | None = None
) -> list[dict[str, Any]]:
    """Explain one result row of ``rules``; with ``facts_row`` the condition lines also list their inputs."""
    findings = [f for f in row.get("findings") or [] if f is not None]
    by_subject: dict[str | None, list[Mapping[str, Any]]] = {}
    for f in findings:
        by_subject.setdefault(f.get("subject"), []).append(f)
    lines: list[dict[str, Any]] = []
    if rules.segments is not None:
        lines.append(_segment_line(row, rules, findings))
    for ind in rules.indicators:
        lines.append(_indicator_line(row, ind, by_subject.get(ind.code, [])))
    for cat in rules.categories:
        points = row.get(f"{cat.code}_points")
        line: dict[str, Any] = {
            "kind": "category",
            "code": cat.code,
            "points": _json(points),
            "max_points": _json(cat.max_points),
            "min_points": _json(cat.min_points),
            "reason": "subtotal",
        }
        if cat.min_points is not None and points is not None:
            line["reason"] = "category_minimum_met" if points >= cat.min_points else "category_minimum_not_met"
        lines.append(line)
    if rules.indicators:
        lines.append({"kind": "total", "points": _json(row.get("total_points")), "reason": "sum_of_points"})
    outcome = rules.outcome
    if isinstance(outcome, PassFail):
        lines.extend(_condition_lines(row, outcome, facts_row))
        route = row.get("route")
        lines.append({"kind": "outcome", "passed": row.get("passed"), "route": route, "reason": f"route_{route}"})
    else:
        lines.append(_grade_line(row, outcome, findings))
    return lines


def _segment_line(row: Mapping[str, Any], rules: RuleSet, findings: list[Mapping[str, Any]]) -> dict[str, Any]:
    assert rules.segments is not None
    segment = row.get(rules.segments.output)
    codes = {f["code"] for f in findings}
    reason = "segment_matched"
    for code in ("segment_undetermined", "coverage_undetermined", "not_covered"):
        if code in codes:
            reason = code
            break
    cls = next((c for c in rules.segments.classes if c.code == segment), None)
    return {
        "kind": "segment",
        "code": segment,
        "covered": row.get("covered"),
        "reason": reason,
        "source_tag": cls.source.tag if cls is not None else rules.source.tag,
    }


def _indicator_line(row: Mapping[str, Any], ind: Indicator, notes: list[Mapping[str, Any]]) -> dict[str, Any]:
    code, method = ind.code, ind.method
    line: dict[str, Any] = {
        "kind": "indicator",
        "code": code,
        "category": ind.category,
        "method": ind.kind,
        "raw_value": _json(row.get(f"{code}_value")),
        "weight": _json(ind.weight),
        "points": _json(row.get(f"{code}_points")),
        "source_tag": ind.source.tag,
    }
    if row.get(f"{code}_points") is None:
        line["reason"] = "not_applicable"
        return line
    if isinstance(method, BandsMethod):
        band = row.get(f"{code}_band")
        line["band"] = {"index": band, **method.table.bands[band].as_dict()} if band is not None else None
        line["reason"] = "band_matched"
    elif isinstance(method, BenchmarkMethod):
        line["benchmark"] = _json(row.get(f"{code}_benchmark"))
        line["benchmark_method"] = "constant" if method.constant is not None else "segment_aggregate"
        line["cap_multiple"] = _json(method.cap_multiple)
        line["floor_points"] = _json(method.floor_points)
        if method.cap_source is not None:
            line["cap_source_tag"] = method.cap_source.tag
        if method.floor_source is not None:
            line["floor_source_tag"] = method.floor_source.tag
        line["reason"] = "benchmark_ratio"
    elif isinstance(method, BestOfMethod):
        options = []
        for opt, sub in method.options:
            entry: dict[str, Any] = {
                "code": opt,
                "raw_value": _json(row.get(f"{code}_{opt}_value")),
                "points": _json(row.get(f"{code}_{opt}_points")),
            }
            if isinstance(sub, BandsMethod):
                band = row.get(f"{code}_{opt}_band")
                entry["band"] = {"index": band, **sub.table.bands[band].as_dict()} if band is not None else None
            options.append(entry)
        line["options"] = options
        line["best"] = row.get(f"{code}_best")
        line["reason"] = "best_option"
    else:
        reasons = {
            ChoiceMethod: "choice_matched",
            FlagMethod: "flag_matched",
            CountMethod: "items_counted",
            InputMethod: "points_input",
            LinearMethod: "linear_steps",
        }
        line["reason"] = reasons[type(method)]
    note_codes = [n["code"] for n in notes]
    if "segment_mean_substituted" in note_codes:
        line["reason"] = "segment_mean_substituted"
    else:
        for code_ in _UNDEFINED:
            if code_ in note_codes:
                line["reason"] = code_
                break
    missing = next((n.get("value") for n in notes if n["code"] == "missing_value"), None)
    if missing:
        line["missing_columns"] = missing.split(",")
    if "points_clamped" in note_codes:
        line["clamped"] = True
    return line


def _condition_lines(
    row: Mapping[str, Any], outcome: PassFail, facts_row: Mapping[str, Any] | None
) -> list[dict[str, Any]]:
    lines = []
    roles = [("eligibility", c) for c in outcome.eligibility]
    roles += [("standard_route", c) for c in outcome.standard_route.conditions]
    roles += [("direct_route", c) for c in outcome.direct_routes]
    for role, cond in roles:
        met = row.get(f"{cond.code}_met")
        reason = "condition_unknown" if met is None else "condition_met" if met else "condition_not_met"
        line: dict[str, Any] = {"kind": "condition", "role": role, "code": cond.code, "met": met, "reason": reason}
        line["source_tag"] = cond.source.tag
        if facts_row is not None:
            line["inputs"] = {c: _json(facts_row.get(c)) for c in sorted(cond.when.columns())}
        lines.append(line)
    return lines


def _grade_line(row: Mapping[str, Any], outcome: Grading, findings: list[Mapping[str, Any]]) -> dict[str, Any]:
    codes = {f["code"]: f.get("value") for f in findings}
    if row.get("covered") is False:
        reason, detail = "not_covered", None
    elif "veto_applied" in codes:
        reason, detail = "veto_applied", codes["veto_applied"]
    elif "exempt" in codes:
        reason, detail = "exempt", codes["exempt"]
    else:
        reason, detail = ("percentile" if outcome.method == "percentile" else "threshold"), None
    line: dict[str, Any] = {
        "kind": "grade",
        "grade": row.get("grade"),
        "rank": row.get("rank"),
        "rank_population": row.get("rank_population"),
        "reason": reason,
        "source_tag": outcome.source.tag,
    }
    if detail is not None:
        line["value"] = detail
    if reason == "percentile" and row.get("rank") is not None:
        line["bounds"] = [
            {"grade": c.grade, **({c.bound[0]: str(c.bound[1])} if c.bound else {"otherwise": True})}
            for c in outcome.classes
        ]
    return line
