"""An assessment's explanation, line by line, in the active language.

The engine's ``explain_row`` gives codes and parameters only; this module turns each line into a sentence with
one translatable message per reason code, the item's title from the rule set (Chinese or English), the points,
and the evidence tag (a line tagged M/U is marked "from memory"/"uncertain" in the page).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from . import rulesets

REASONS: dict[str, Any] = {
    # segment
    "segment_matched": gettext_lazy("Size class %(segment)s; covered by the evaluation."),
    "segment_undetermined": gettext_lazy("The size class cannot be determined: %(columns)s missing."),
    "coverage_undetermined": gettext_lazy("Size class %(segment)s; coverage cannot be determined (data missing)."),
    "not_covered": gettext_lazy("Size class %(segment)s; not covered by the evaluation."),
    # indicators
    "band_matched": gettext_lazy("Value %(value)s falls in band %(band)s: %(points)s points."),
    "choice_matched": gettext_lazy("Answer %(value)s: %(points)s points."),
    "flag_matched": gettext_lazy("%(value)s: %(points)s points."),
    "items_counted": gettext_lazy("%(value)s item(s) held: %(points)s points."),
    "points_input": gettext_lazy("Points assessed locally: %(points)s."),
    "linear_steps": gettext_lazy("Value %(value)s in full steps: %(points)s points."),
    "best_option": gettext_lazy("The better of the options (%(best)s) counts: %(points)s points."),
    "benchmark_ratio": gettext_lazy(
        "Value %(value)s against the benchmark %(benchmark)s, weight %(weight)s: %(points)s points."
    ),
    "missing_value": gettext_lazy("Data missing (%(columns)s): %(points)s points."),
    "ratio_undefined": gettext_lazy("The ratio is undefined (zero or negative denominator): %(points)s points."),
    "value_out_of_range": gettext_lazy("The value is out of range: %(points)s points."),
    "benchmark_unavailable": gettext_lazy("No benchmark is available: %(points)s points."),
    "segment_mean_substituted": gettext_lazy("Data missing: the size class's mean of %(points)s points is used."),
    "not_applicable": gettext_lazy("Not applicable to this size class."),
    # categories and total
    "subtotal": gettext_lazy("Subtotal %(points)s of at most %(max)s points."),
    "category_minimum_met": gettext_lazy("Subtotal %(points)s: meets the minimum of %(min)s points."),
    "category_minimum_not_met": gettext_lazy("Subtotal %(points)s: below the minimum of %(min)s points."),
    "sum_of_points": gettext_lazy("Total: %(points)s points."),
    # conditions
    "condition_met": gettext_lazy("Met."),
    "condition_not_met": gettext_lazy("Not met."),
    "condition_unknown": gettext_lazy("Unknown: data missing, counted as not met."),
    # outcome
    "route_score": gettext_lazy("Passed on the score."),
    "route_direct": gettext_lazy("Passed by a direct-qualification route."),
    "route_none": gettext_lazy("Not passed."),
    "percentile": gettext_lazy("Grade %(grade)s: rank %(rank)s of %(population)s in the size class."),
    "threshold": gettext_lazy("Grade %(grade)s by the score thresholds."),
    "exempt": gettext_lazy("Scored but not graded: exempt class %(value)s."),
    "veto_applied": gettext_lazy("Grade D by veto: %(value)s."),
}

KIND_LABELS = {
    "segment": gettext_lazy("Size class"),
    "category": gettext_lazy("Category"),
    "total": gettext_lazy("Total"),
    "outcome": gettext_lazy("Outcome"),
    "grade": gettext_lazy("Grade"),
}
ROLE_LABELS = {
    "eligibility": gettext_lazy("Eligibility"),
    "standard_route": gettext_lazy("Criterion"),
    "direct_route": gettext_lazy("Direct route"),
}
TAG_LABELS = {"M": gettext_lazy("from memory"), "U": gettext_lazy("uncertain")}


def _num(value: Any) -> str:
    """A number for a sentence: ratios below 1 as %, others with thousands separators."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    if abs(number) < 1 and number != 0:
        return f"{number * 100:.2f}%"
    if number == number.to_integral_value():
        return f"{int(number):,}"
    return f"{number:,.2f}"


def _band(band: Mapping[str, Any] | None) -> str:
    """A band by its label, else its position from the top (1 = the best band)."""
    if not band:
        return "—"
    if band.get("label"):
        return str(band["label"])
    return str(int(band["index"]) + 1) if band.get("index") is not None else "—"


def render(lines: list[Mapping[str, Any]], document: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Each explanation line as ``{kind, label, text, points, tag, tag_label, met}`` in the active language."""
    titles = rulesets.indicator_titles(document, get_language() or "zh-hans")
    out = []
    for line in lines:
        kind, reason = line.get("kind"), str(line.get("reason") or "")
        code = line.get("code")
        params = {
            "segment": line.get("code") or "—",
            "columns": ", ".join(line.get("missing_columns") or []) or str(line.get("value") or "—"),
            "value": _num(line.get("raw_value")) if kind == "indicator" else str(line.get("value") or ""),
            "band": _band(line.get("band")),
            "points": line.get("points") if line.get("points") is not None else "—",
            "benchmark": _num(line.get("benchmark")),
            "weight": line.get("weight") or "—",
            "best": line.get("best") or "—",
            "max": line.get("max_points") or "—",
            "min": line.get("min_points") or "—",
            "grade": line.get("grade") or "—",
            "rank": line.get("rank") or "—",
            "population": line.get("rank_population") or "—",
        }
        if kind == "indicator" and line.get("method") in ("choice", "flag"):
            params["value"] = str(line.get("raw_value")) if line.get("raw_value") is not None else "—"
        message = REASONS.get(reason)
        text = str(message) % params if message is not None else reason
        if kind in ("indicator", "condition", "category"):
            label = titles.get(str(code)) or str(code)
            if kind == "condition":
                label = f"{ROLE_LABELS.get(str(line.get('role')), '')}: {label}"
        else:
            label = str(KIND_LABELS.get(str(kind), kind))
        tag = line.get("source_tag") or ""
        out.append(
            {
                "kind": kind,
                "code": code,
                "label": label,
                "text": text,
                "points": line.get("points"),
                "tag": tag,
                "tag_label": str(TAG_LABELS[tag]) if tag in TAG_LABELS else "",
                "met": line.get("met"),
                "reason": reason,
            }
        )
    return out
