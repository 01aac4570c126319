"""Loading of a plan from its reference YAML (fixtures/reference/plan/; schema docs/models/plan/reference-data.md).

Idempotent: rows are matched on their natural keys (source code; plan code; goal/action code; task number;
indicator code; target year; actual period, period type, series, vintage, known-on date and breakdown) and
updated in place. What administrators maintain is never overwritten by a reload: owners, cadences, due dates,
task status, and any task detail the YAML leaves empty (an empty YAML value never clears a filled field).

Models are looked up through ``get_model`` so that a data migration can pass its historical models.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from industria.plan.choices import YAML_COMPARATORS, YAML_QUALIFIERS, Cadence, TargetKind
from industria.plan.computed import as_json, parse_computed
from industria.plan.freshness import next_figure_due, next_report_due

REFERENCE_DIR = Path(__file__).resolve().parents[2] / "fixtures" / "reference" / "plan"
SHANGHAI_PLAN = REFERENCE_DIR / "shanghai-manufacturing-2023-2025.yaml"
HEADLINE_REFS = {f"T{i}" for i in range(1, 11)}
DEFAULT_TASK_CADENCE = Cadence.QUARTERLY

GetModel = Callable[[str, str], Any]


class PlanReferenceError(ValueError):
    """The YAML does not match what the loader expects; the message names the item."""


def read_plan(path: Path = SHANGHAI_PLAN) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _upsert(model: Any, lookup: dict[str, Any], values: dict[str, Any], *, keep: tuple[str, ...] = ()) -> Any:
    """Create, or update the fields that differ; ``keep`` fields are only set on creation."""
    obj, created = model.objects.get_or_create(**lookup, defaults=values)
    if created:
        return obj
    changed = False
    for key, value in values.items():
        if key in keep:
            continue
        if getattr(obj, key) != value:
            setattr(obj, key, value)
            changed = True
    if changed:
        obj.save()
    return obj


def _period_end(period: Any) -> dt.date:
    """A year stands for its last day; a date for itself."""
    if isinstance(period, dt.date):
        return period
    return dt.date(int(period), 12, 31)


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def plan_reference_load(get_model: GetModel, path: Path = SHANGHAI_PLAN, *, now: dt.datetime) -> dict[str, int]:
    """Load (or refresh) one plan YAML; returns counts per model. ``now`` stamps the plan's data version."""
    doc = read_plan(path)
    if doc.get("schema_version") != 1:
        raise PlanReferenceError(f"{path.name}: schema_version {doc.get('schema_version')!r} is not 1")
    m = {
        name: get_model(app, name)
        for app, name in [
            ("plan", "DataSource"),
            ("plan", "DevelopmentPlan"),
            ("plan", "PlanGoal"),
            ("plan", "PlanAction"),
            ("plan", "PlanTask"),
            ("plan", "PlanIndicator"),
            ("plan", "IndicatorTarget"),
            ("plan", "IndicatorActual"),
            ("accounts", "Department"),
            ("enterprises", "IndustryGroup"),
        ]
    }
    counts: dict[str, int] = {}
    sources = _load_sources(m, doc)
    counts["sources"] = len(sources)
    plan = _load_plan(m, doc, sources)
    goals = {
        g["code"]: _upsert(
            m["PlanGoal"],
            {"plan": plan, "code": g["code"]},
            {
                "name_zh": g["name_zh"],
                "name_en": g.get("name_en") or "",
                "sort_order": i,
                "source": sources.get(g.get("source")),
                "confidence": g.get("confidence") or "S",
                "note": g.get("note") or "",
            },
        )
        for i, g in enumerate(doc.get("goals") or [])
    }
    actions = {
        a["code"]: _upsert(
            m["PlanAction"],
            {"plan": plan, "number": a["number"]},
            {
                "code": a["code"],
                "name_zh": a["name_zh"],
                "name_en": a.get("name_en") or "",
                "summary_zh": a.get("summary_zh") or "",
                "summary_en": a.get("summary_en") or "",
                "source": sources.get(a.get("source")),
                "confidence": a.get("confidence") or "S",
            },
        )
        for a in doc.get("actions") or []
    }
    counts["goals"], counts["actions"] = len(goals), len(actions)
    counts["tasks"] = _load_tasks(m, doc, plan, actions, sources)
    rule_sets = doc.get("rag_rule_sets") or {}
    series = [(item, False) for item in doc.get("indicators") or []] + [
        (item, True) for item in doc.get("context_series") or []
    ]
    groups = {g.code: g for g in m["IndustryGroup"].objects.filter(system__is_current=True)}
    counts["indicators"] = counts["targets"] = counts["actuals"] = 0
    for order, (item, is_context) in enumerate(series, start=1):
        indicator = _load_indicator(m, plan, item, is_context, order, goals, actions, sources, rule_sets, groups)
        counts["indicators"] += 1
        for target in item.get("targets") or []:
            _upsert(
                m["IndicatorTarget"],
                {"indicator": indicator, "year": int(target["year"])},
                {
                    "value": _decimal(target.get("value")),
                    "comparator": YAML_COMPARATORS[str(target["comparator"])],
                    "text_zh": target.get("text_zh") or "",
                    "text_en": target.get("text_en") or "",
                    "source": sources.get(target.get("source")),
                    "confidence": target.get("confidence") or "S",
                    "note": target.get("note") or "",
                },
            )
            counts["targets"] += 1
        for key, series_kind in (("actuals", "value"), ("growth_actuals", "yoy_pct")):
            for actual in item.get(key) or []:
                _load_actual(m, indicator, actual, series_kind, sources)
                counts["actuals"] += 1
        _initial_due_date(m, indicator, plan)
    m["DevelopmentPlan"].objects.filter(pk=plan.pk).update(data_changed_at=now)
    return counts


def _load_sources(m: dict[str, Any], doc: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for code, s in (doc.get("sources") or {}).items():
        out[code] = _upsert(
            m["DataSource"],
            {"code": code},
            {
                "title": s["title"][:400],
                "url": s.get("url") or "",
                "alt_urls": list(s.get("alt_urls") or []),
                "publisher": s.get("publisher") or "",
                "published_on": s.get("published_on"),
                "reference": (s.get("reference") or "")[:300],
            },
        )
    return out


def _load_plan(m: dict[str, Any], doc: dict[str, Any], sources: dict[str, Any]) -> Any:
    p = doc["plan"]
    return _upsert(
        m["DevelopmentPlan"],
        {"code": p["code"]},
        {
            "name_zh": p["name_zh"],
            "name_en": p.get("name_en") or "",
            "document_no": p.get("document_no") or "",
            "issuer_zh": p.get("issuer_zh") or "",
            "issuer_en": p.get("issuer_en") or "",
            "signed_on": p.get("signed_on"),
            "published_on": p.get("published_on"),
            "start_year": p["period"]["start_year"],
            "end_year": p["period"]["end_year"],
            "baseline_year": p.get("baseline_year"),
            "valid_from": p.get("valid_from"),
            "valid_to": p.get("valid_to"),
            "industrial_system": p.get("industrial_system") or "",
            "source": sources.get(p.get("source")),
            "confidence": p.get("confidence") or "S",
        },
    )


def _load_tasks(m: dict[str, Any], doc: dict[str, Any], plan: Any, actions: dict, sources: dict) -> int:
    first_report = plan.published_on or dt.date(plan.start_year, 1, 1)
    count = 0
    for t in doc.get("tasks") or []:
        values = {
            "action": actions.get(t.get("action")),
            "name_zh": t.get("name_zh") or "",
            "name_en": t.get("name_en") or "",
            "responsible_units_complete": bool(t.get("responsible_units_complete", False)),
            "to_be_completed_by_admin": bool(t.get("to_be_completed_by_admin", False)),
            "source": sources.get(t.get("source")),
            "confidence": t.get("confidence") or "",
            "note": t.get("note") or "",
        }
        task = m["PlanTask"].objects.filter(plan=plan, number=t["number"]).first()
        if task is None:
            task = m["PlanTask"].objects.create(
                plan=plan,
                number=t["number"],
                cadence=DEFAULT_TASK_CADENCE,
                next_due_on=next_report_due(DEFAULT_TASK_CADENCE, first_report),
                **values,
            )
        else:
            # An empty YAML value never clears what an administrator filled in.
            changed = [k for k, v in values.items() if v not in (None, "") and getattr(task, k) != v]
            if task.to_be_completed_by_admin and not values["to_be_completed_by_admin"]:
                changed.append("to_be_completed_by_admin")
            for key in changed:
                setattr(task, key, values[key])
            if changed:
                task.save()
        for unit in t.get("responsible_units_zh") or []:
            department, _created = m["Department"].objects.get_or_create(name_zh=unit, district=None)
            task.responsible_departments.add(department)
        count += 1
    return count


def _load_indicator(
    m: dict[str, Any],
    plan: Any,
    item: dict[str, Any],
    is_context: bool,
    order: int,
    goals: dict,
    actions: dict,
    sources: dict,
    rule_sets: dict,
    groups: dict,
) -> Any:
    code = item["code"]
    forecast = item.get("forecast") or {}
    computed_raw = item.get("computed")
    definition = parse_computed(computed_raw, path=f"{code}.computed")
    group_code = getattr(definition, "industry_group", None)
    if group_code is not None and group_code not in groups:
        raise PlanReferenceError(f"{code}.computed.industry_group: {group_code!r} is not a group of the current system")
    baseline = item.get("baseline") or {}
    breakdowns = set(item.get("breakdowns") or [])
    rule_set = item.get("rag_rules") or ""
    if rule_set and rule_set not in rule_sets:
        raise PlanReferenceError(f"{code}.rag_rules: unknown rule set {rule_set!r}")
    values = {
        "goal": goals.get(item.get("goal")),
        "action": actions.get(item.get("action")),
        "ref": item.get("ref") or "",
        "name_zh": item["name_zh"],
        "name_en": item.get("name_en") or "",
        "unit": item["unit"],
        "unit_zh": item.get("unit_zh") or "",
        "measure": item.get("measure") or "annual",
        "cumulative_from_year": item.get("cumulative_from"),
        "direction": item.get("direction") or "higher_is_better",
        "target_kind": TargetKind.CONTEXT if is_context else item["target_kind"],
        "value_kind": forecast.get("value_kind") or "level",
        "since_year": forecast.get("since_year"),
        "is_headline": (item.get("ref") or "") in HEADLINE_REFS,
        "is_public": bool(item.get("public", False)),
        "breakdown_district": "district" in breakdowns,
        "breakdown_industry_group": "industry_group" in breakdowns,
        "computed": as_json(computed_raw) if definition is not None else None,
        "rag_rule_set": rule_set,
        "rag_rules": list(rule_sets.get(rule_set) or []),
        "baseline_year": baseline.get("year"),
        "baseline_value": _decimal(baseline.get("value")),
        "baseline_qualifier": YAML_QUALIFIERS.get(baseline.get("qualifier"), ""),
        "baseline_source": sources.get(baseline.get("source")),
        "baseline_note": baseline.get("note") or "",
        "note": item.get("note") or forecast.get("note") or "",
        "sort_order": order,
        "cadence": "" if definition is not None else (item.get("cadence") or ""),
    }
    return _upsert(m["PlanIndicator"], {"plan": plan, "code": code}, values, keep=("cadence",))


def _load_actual(m: dict[str, Any], indicator: Any, a: dict[str, Any], series: str, sources: dict) -> Any:
    period = _period_end(a["period"])
    source = sources.get(a.get("source"))
    if a.get("as_of") is not None:
        as_of, inferred = a["as_of"], False
    else:
        published = source.published_on if source is not None else None
        as_of, inferred = (published if published and published >= period else period), True
    lookup = {
        "indicator": indicator,
        "series": series,
        "period": period,
        "period_type": a["period_type"],
        "vintage": a.get("vintage") or "first_release",
        "as_of_date": as_of,
        "district": None,
        "industry_group": None,
    }
    values = {
        "value": Decimal(str(a["value"])),
        "qualifier": YAML_QUALIFIERS.get(a.get("qualifier"), ""),
        "status": a["status"],
        "uncertain": bool(a.get("uncertain", False)),
        "as_of_inferred": inferred,
        "source": source,
        "confidence": a.get("confidence") or "V",
        "note": a.get("note") or "",
    }
    return _upsert(m["IndicatorActual"], lookup, values)


def _initial_due_date(m: dict[str, Any], indicator: Any, plan: Any) -> None:
    """A hand-updated indicator without a due date: the figure after its latest one (or the first plan year's)."""
    if not indicator.cadence or indicator.next_due_on is not None:
        return
    latest = (
        m["IndicatorActual"]
        .objects.filter(indicator=indicator, series="value", district=None, industry_group=None)
        .order_by("-period")
        .values_list("period", flat=True)
        .first()
    )
    start = latest or dt.date(plan.start_year - 1, 12, 31)
    m["PlanIndicator"].objects.filter(pk=indicator.pk).update(next_due_on=next_figure_due(indicator.cadence, start))
