"""What the dashboard shows, built from the engine snapshot: card texts, chart and map JSON (localised here).

No business rule lives here: statuses, shortfalls and forecasts come from the engine; this module only words
and formats them (the active language decides Chinese or English).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from industria.plan.choices import COMPARATOR_SYMBOLS, QUALIFIER_SYMBOLS, ActualStatus, PeriodType, TargetKind, Unit
from industria.plan.models.plans import in_language

STATUS_CLASSES = {"green", "amber", "red"}


def status_label(status: str | None) -> str:
    return {"green": _("On track"), "amber": _("At risk"), "red": _("Off track")}.get(status or "", _("No status"))


def reason_short(reason: str | None) -> str:
    """The badge of an indicator without a status (the full reason is given beside it)."""
    return {"aspirational": _("No status"), "no_projection": _("No data")}.get(reason or "", _("No status"))


def reason_label(reason: str | None) -> str:
    return {
        "aspirational": _("Aspirational target: progress only, no status"),
        "no_projection": _("No figures yet"),
        "no_rules": _("No status rules"),
        "no_rule_matched": _("No rule matched"),
        "rule_matched": "",
    }.get(reason or "", _("No target"))


def projection_label(source: str | None) -> str:
    return {
        "actual": _("actual"),
        "forecast": _("forecast"),
        "model": _("fitted line"),
    }.get(source or "", "—")


def method_label(method: str | None) -> str:
    return {
        "wls_trend": _("weighted log-linear trend"),
        "two_point_growth": _("compound growth through two points"),
        "weighted_mean": _("weighted mean of the yearly rates"),
        "last_value": _("latest value carried forward"),
        "none": _("no forecast"),
    }.get(method or "", method or "")


def fmt_figure(value: float | None) -> str:
    """A recorded figure as recorded (up to two decimals), with thousands separators."""
    if value is None:
        return "—"
    text = f"{value:,.2f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def fmt_estimate(value: float | None) -> str:
    """A forecast or a derived figure, rounded to what its precision supports."""
    if value is None:
        return "—"
    size = abs(value)
    digits = 0 if size >= 1000 else 1 if size >= 10 else 2
    text = f"{value:,.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def fmt_pct(value: float | None) -> str:
    return "—" if value is None else f"{value:,.1f}"


def unit_label(entry: dict[str, Any]) -> str:
    return in_language(entry.get("unit_zh") or "", str(Unit(entry["unit"]).label)) if entry.get("unit") else ""


def name_of(entry: dict[str, Any]) -> str:
    return in_language(entry["name_zh"], entry.get("name_en") or "")


def figure(row: dict[str, Any] | None) -> dict[str, Any] | None:
    """A value as shown: text, qualifier, and what it is (source, status, uncertain, synthetic, computed)."""
    if not row:
        return None
    status = row.get("status")
    return {
        "text": QUALIFIER_SYMBOLS.get(row.get("qualifier") or "", "") + fmt_figure(row.get("value")),
        "period": row.get("period"),
        "year": row.get("year") or (row["period"].year if row.get("period") else None),
        "period_type": row.get("period_type"),
        "period_type_display": dict(PeriodType.choices).get(row.get("period_type"), row.get("period_type")),
        "status": status,
        "status_display": dict(ActualStatus.choices).get(status, status),
        "confirmed": status in (ActualStatus.PUBLISHED, ActualStatus.PRELIMINARY) and not row.get("uncertain"),
        "uncertain": bool(row.get("uncertain")),
        "synthetic": status == ActualStatus.SYNTHETIC,
        "estimated": status == ActualStatus.ESTIMATED,
        "preliminary": status == ActualStatus.PRELIMINARY,
        "computed": bool(row.get("computed")),
        "source_code": row.get("source_code"),
        "source_title": row.get("source_title"),
        "source_url": row.get("source_url"),
        "as_of_date": row.get("as_of_date"),
    }


def outlook_text(entry: dict[str, Any], final: dict[str, Any] | None) -> str:
    """One sentence: forecast to miss by X, met, the sign of change, or why there is nothing to say."""
    if final is None:
        return ""
    kind = final["target_kind"]
    unit = unit_label(entry)
    year = final["target_year"]
    if kind == TargetKind.DIRECTION_ONLY:
        if final.get("direction_score") is None:
            return _("No figures yet to show the direction of change.")
        words = {1: _("improving"), 0: _("flat"), -1: _("worsening")}[final["direction_score"]]
        return _("Latest change: %(direction)s (%(change)s %% on the year before).") % {
            "direction": words,
            "change": fmt_pct(final.get("change_pct")),
        }
    if final.get("projected_value") is None:
        return _("No forecast: no figures yet.")
    parts = []
    if kind == TargetKind.GROWTH_RATE and final.get("projected_rate_pct") is not None:
        parts.append(
            _("Average growth %(rate)s %% a year against %(target)s %%.")
            % {"rate": fmt_pct(final["projected_rate_pct"]), "target": fmt_pct(final["target_value"])}
        )
    shortfall = final.get("shortfall_value")
    actual = final.get("projection_source") == "actual"
    if kind == TargetKind.ASPIRATIONAL:
        if final.get("progress_pct") is not None:
            parts.append(_("%(progress)s %% of the way to the target.") % {"progress": fmt_pct(final["progress_pct"])})
    elif shortfall is not None and shortfall > 0:
        gap_unit = _("pp") if (kind == TargetKind.GROWTH_RATE and entry["value_kind"] == "rate") else unit
        params = {
            "year": year,
            "gap": fmt_estimate(shortfall),
            "unit": gap_unit,
            "pct": fmt_pct(final["shortfall_pct"]),
        }
        if actual:
            parts.append(_("Missed the %(year)s target by %(gap)s %(unit)s (%(pct)s %%).") % params)
        else:
            parts.append(_("Forecast to miss the %(year)s target by %(gap)s %(unit)s (%(pct)s %%).") % params)
    elif shortfall is not None:
        parts.append(
            (_("Met the %(year)s target.") if actual else _("Forecast to meet the %(year)s target.")) % {"year": year}
        )
    return " ".join(parts)


def target_text(entry: dict[str, Any], final: dict[str, Any] | None) -> str:
    if final is None:
        return ""
    comparator = COMPARATOR_SYMBOLS.get(final.get("comparator") or "", "")
    if final["target_kind"] == TargetKind.DIRECTION_ONLY:
        falling = entry["direction"] == "lower_is_better"
        text = _("%(year)s target: keeps falling") if falling else _("%(year)s target: keeps rising")
        return text % {"year": final["target_year"]}
    unit = "%" if final["target_kind"] == TargetKind.GROWTH_RATE else unit_label(entry)
    suffix = _(" a year") if final["target_kind"] == TargetKind.GROWTH_RATE else ""
    return _("%(year)s target: %(comparator)s %(value)s %(unit)s%(suffix)s") % {
        "year": final["target_year"],
        "comparator": comparator,
        "value": fmt_figure(final["target_value"]),
        "unit": unit,
        "suffix": suffix,
    }


def forecast_point(entry: dict[str, Any], year: int) -> dict[str, Any] | None:
    return next((f for f in entry["forecast"] if f["year"] == year), None)


def forecast_text(entry: dict[str, Any], final: dict[str, Any] | None, end_year: int) -> dict[str, str] | None:
    """Projection at the target (or end) year: a forecast with its 80 % interval, or the actual when known."""
    year = final["target_year"] if final else end_year
    if final is not None and final.get("projection_source") == "actual":
        return {
            "label": _("%(year)s actual") % {"year": year},
            "point": fmt_figure(final["projected_value"]),
            "interval": "",
            "kind": "actual",
        }
    point = forecast_point(entry, year)
    if point is None and final is not None and final.get("projected_value") is not None:
        point = {
            "point": final["projected_value"],
            "lower": final["projected_lower"],
            "upper": final["projected_upper"],
        }
    if point is None or point.get("point") is None:
        return None
    return {
        "label": _("%(year)s forecast") % {"year": year},
        "point": fmt_estimate(point["point"]),
        "interval": _("80 %% interval %(lower)s – %(upper)s")
        % {"lower": fmt_estimate(point["lower"]), "upper": fmt_estimate(point["upper"])},
        "kind": "forecast",
    }


def card(entry: dict[str, Any], snapshot: dict[str, Any], *, public: bool = False) -> dict[str, Any]:
    """Everything one indicator card (or table row) shows."""
    final = entry["final"]
    status = final["status"] if final else None
    latest = figure(entry["latest"])
    newer = entry.get("latest_any")
    newest = None
    if newer and (latest is None or (newer["period"] > latest["period"] and newer["period_type"] != "year")):
        newest = figure(newer)
    url_name = "plan:public_indicator" if public else "plan:planindicator_detail"
    url_arg = entry["code"] if public else entry["id"]
    return {
        "code": entry["code"],
        "ref": entry.get("ref") or "",
        "name": name_of(entry),
        "url": reverse(url_name, args=[url_arg]),
        "unit": unit_label(entry),
        "latest": latest,
        "newest": newest,
        "status": status if status in STATUS_CLASSES else "grey",
        "status_label": status_label(status) if status else reason_short(final["status_reason"] if final else None),
        "status_reason": ""
        if status or (final and final["status_reason"] == "no_projection")
        else reason_label(final["status_reason"] if final else None),
        "has_status": status in STATUS_CLASSES,
        "target": target_text(entry, final),
        "forecast": forecast_text(entry, final, snapshot["end_year"]),
        "outlook": outlook_text(entry, final),
        "is_public": entry["is_public"],
        "computed": bool(entry["computed"]),
        "goal": in_language(entry.get("goal__name_zh") or "", entry.get("goal__name_en") or ""),
        "goal_code": entry.get("goal__code") or "",
        "findings": entry["findings"] + list((entry["fit"] or {}).get("findings") or []),
        "sparkline": sparkline(entry),
        "spark_id": f"spark-{entry['code']}",
        "stale": bool(
            entry.get("cadence")
            and entry.get("next_due_on")
            and not entry["computed"]
            and entry["next_due_on"] < snapshot["as_of"]
        ),
        "next_due_on": entry.get("next_due_on"),
    }


def sparkline(entry: dict[str, Any]) -> dict[str, Any]:
    rows = entry["annual"][-10:]
    return {
        "title": name_of(entry),
        "x": [str(r["year"]) for r in rows],
        "unit": unit_label(entry),
        "series": [{"name": name_of(entry), "data": [r["value"] for r in rows]}],
    }


def indicator_chart(entry: dict[str, Any], snapshot: dict[str, Any]) -> dict[str, Any]:
    """Actual vs target vs forecast (with its 80 % band) by year, for charts.js."""
    annual = {r["year"]: r["value"] for r in entry["annual"]}
    forecast = {f["year"]: f for f in entry["forecast"]}
    targets = {t["year"]: t["value"] for t in entry["targets"] if t["value"] is not None}
    end = max([snapshot["end_year"], *forecast.keys(), *targets.keys()])
    start = min([*annual.keys(), *targets.keys(), snapshot["end_year"] - 5])
    start = max(start, end - 15)
    years = list(range(start, end + 1))
    last_year = max(annual) if annual else None
    fc_data, lower, upper = [], [], []
    for y in years:
        if y in forecast:
            fc_data.append(forecast[y]["point"])
            lower.append(forecast[y]["lower"])
            upper.append(forecast[y]["upper"])
        elif y == last_year and forecast:
            fc_data.append(annual[y])  # the forecast line starts at the latest actual
            lower.append(annual[y])
            upper.append(annual[y])
        else:
            fc_data.append(None)
            lower.append(None)
            upper.append(None)
    series = [{"name": _("Actual"), "data": [annual.get(y) for y in years]}]
    if forecast:
        series.append(
            {
                "name": _("Forecast"),
                "data": fc_data,
                "dashed": True,
                "lower": lower,
                "upper": upper,
                # xgettext:no-python-format
                "band_label": _("80 % interval"),
            }
        )
    kind = entry["target_kind"]
    comparable = kind not in (TargetKind.GROWTH_RATE, TargetKind.DIRECTION_ONLY, TargetKind.CONTEXT)
    if comparable and len(targets) > 1:  # yearly targets; a single one is the dashed target line below
        series.append({"name": _("Target"), "data": [targets.get(y) for y in years], "type": "line", "dashed": True})
    if kind == TargetKind.GROWTH_RATE and entry["value_kind"] != "rate" and entry.get("baseline_value") and targets:
        rate = next(iter(targets.values())) / 100.0
        base_year, base = entry["baseline_year"], entry["baseline_value"]
        series.append(
            {
                "name": _("Required path"),
                "dashed": True,
                "data": [base * (1 + rate) ** (y - base_year) if y >= base_year else None for y in years],
            }
        )
    chart: dict[str, Any] = {
        "title": name_of(entry),
        "x": [str(y) for y in years],
        "unit": unit_label(entry),
        # xgettext:no-python-format
        "band_label": _("80 % interval"),
        "empty_text": _("No figures yet"),
        "series": series,
    }
    final = entry["final"]
    if comparable and final and final.get("target_value") is not None:
        chart["target"] = final["target_value"]
        chart["target_label"] = _("%(year)s target") % {"year": final["target_year"]}
    return chart


def district_map(entry_name: str, unit: str, rows: list[dict[str, Any]], *, url: str = "") -> dict[str, Any]:
    """Values per district for map.js."""
    return {
        "title": entry_name,
        "unit": unit,
        "name_field": "name_en" if (get_language() or "").startswith("en") else "name_zh",
        "no_data_text": _("No data"),
        "values": [{"code": r["code"], "value": r["value"], **({"url": url} if url else {})} for r in rows],
    }


def as_of_note(as_of: dt.date, today: dt.date) -> str:
    if as_of >= today:
        return ""
    return _(
        "The dashboard as it was on %(date)s: only figures known by then are shown, and forecasts and statuses "
        "are recomputed as of that date."
    ) % {"date": as_of.isoformat()}


def describe_definition(definition: Any, names: dict[str, str]) -> str:
    """A computed indicator's definition in words."""
    from industria.plan.computed import describe

    return describe(definition, names=names)
