"""Computed indicators: definitions as data, evaluated live over the enterprise registry, set-based.

Three kinds (docs/models/plan/indicators.md §Computed indicators):

* ``count_tiers`` — number of enterprises holding a tier of ``tier_kind`` (optionally of one ``level``) that is
  valid at each date (stock: granted on or before the date, not past ``valid_until``, not revoked), or, with
  ``first_granted_from``, first granted between that date and each date (cumulative new holders);
* ``sum_fact`` — sum of an enterprise yearly fact (``gross_output_cny`` …) over the enterprises that belong to an
  industry group or any of its sub-areas, each counted once with its largest membership weight, divided by
  ``divide_by`` to reach the indicator's unit;
* ``ratio_of_indicators`` — numerator indicator / denominator indicator × ``scale`` for each year where both
  are known (evaluated from the two annual series, no query).

Every registry evaluation is one aggregate query (conditional aggregates, one per date), whatever the number of
enterprises; breakdowns by district or industry group are one grouped query each. A definition whose tier kind
has no row at all in the registry gives no values (an empty registry is "no data", not zero).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, F, Max, Min, OuterRef, Q, Sum
from django.utils.translation import gettext as _

from industria.core.exceptions import DomainError
from industria.enterprises.choices import TierKind, TierLevel, TierStatus

SUMMABLE_FACTS = (
    "main_revenue_cny",
    "operating_revenue_cny",
    "gross_output_cny",
    "value_added_cny",
    "tax_paid_cny",
    "profit_cny",
    "rd_expense_cny",
    "employees_avg",
    "rd_staff",
    "energy_tce",
)


class ComputedDefinitionError(DomainError):
    """A computed-indicator definition is malformed; the message names the field path."""

    code = "computed_definition_invalid"


@dataclass(frozen=True)
class CountTiers:
    tier_kind: str
    level: str | None = None
    first_granted_from: dt.date | None = None
    kind: str = "count_tiers"


@dataclass(frozen=True)
class SumFact:
    fact: str
    industry_group: str
    divide_by: Decimal = Decimal(1)
    above_size_only: bool = False
    kind: str = "sum_fact"


@dataclass(frozen=True)
class RatioOfIndicators:
    numerator: str
    denominator: str
    scale: Decimal = Decimal(1)
    kind: str = "ratio_of_indicators"


Definition = CountTiers | SumFact | RatioOfIndicators


@dataclass(frozen=True)
class ComputedPoint:
    """One evaluated value: at ``period``, optionally for one district or industry group."""

    period: dt.date
    value: float
    synthetic: bool
    district_code: str | None = None
    group_code: str | None = None


def _fail(path: str, message: str) -> ComputedDefinitionError:
    return ComputedDefinitionError(f"{path}: {message}")


def _date(value: Any, path: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise _fail(path, f"not a date: {value!r}") from exc


def parse_computed(raw: Any, *, path: str = "computed") -> Definition | None:
    """Validate a definition (YAML/JSON mapping) and return it typed; ``None`` for a hand-updated indicator."""
    if raw in (None, {}, ""):
        return None
    if not isinstance(raw, dict):
        raise _fail(path, "expected a mapping")
    kind = raw.get("kind")
    known = {"kind", "note"}
    if kind == "count_tiers":
        known |= {"tier_kind", "level", "status", "as_of", "first_granted_from"}
        if raw.get("tier_kind") not in TierKind.values:
            raise _fail(f"{path}.tier_kind", f"{raw.get('tier_kind')!r} is not a registry tier kind {TierKind.values}")
        if raw.get("level") is not None and raw["level"] not in TierLevel.values:
            raise _fail(f"{path}.level", f"{raw['level']!r} not in {TierLevel.values}")
        if raw.get("status", "valid") != "valid":
            raise _fail(f"{path}.status", "only 'valid' tiers are counted")
        if raw.get("as_of", "period_end") != "period_end":
            raise _fail(f"{path}.as_of", "only 'period_end' is supported")
        first = raw.get("first_granted_from")
        definition: Definition = CountTiers(
            tier_kind=raw["tier_kind"],
            level=raw.get("level"),
            first_granted_from=_date(first, f"{path}.first_granted_from") if first is not None else None,
        )
    elif kind == "sum_fact":
        known |= {"fact", "industry_group", "period", "divide_by", "above_size_only"}
        if raw.get("fact") not in SUMMABLE_FACTS:
            raise _fail(f"{path}.fact", f"{raw.get('fact')!r} not in {list(SUMMABLE_FACTS)}")
        if not raw.get("industry_group"):
            raise _fail(f"{path}.industry_group", "required")
        if raw.get("period", "year") != "year":
            raise _fail(f"{path}.period", "only yearly facts are summed")
        divide_by = Decimal(str(raw.get("divide_by", 1)))
        if divide_by <= 0:
            raise _fail(f"{path}.divide_by", "must be positive")
        definition = SumFact(
            fact=raw["fact"],
            industry_group=str(raw["industry_group"]),
            divide_by=divide_by,
            above_size_only=bool(raw.get("above_size_only", False)),
        )
    elif kind == "ratio_of_indicators":
        known |= {"numerator", "denominator", "scale"}
        for key in ("numerator", "denominator"):
            if not raw.get(key):
                raise _fail(f"{path}.{key}", "required")
        definition = RatioOfIndicators(
            numerator=raw["numerator"], denominator=raw["denominator"], scale=Decimal(str(raw.get("scale", 1)))
        )
    else:
        raise _fail(f"{path}.kind", f"{kind!r} not in ['count_tiers', 'sum_fact', 'ratio_of_indicators']")
    unknown = sorted(set(raw) - known)
    if unknown:
        raise _fail(path, f"unknown keys {unknown}")
    return definition


def as_json(raw: dict[str, Any]) -> dict[str, Any]:
    """A definition with dates as ISO strings, ready for a JSONField."""
    return {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in raw.items()}


def _plain(number: Decimal) -> str:
    """A decimal with thousands separators and no trailing zeros after the point."""
    text = f"{number:,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def describe(definition: Definition, *, names: dict[str, str] | None = None) -> str:
    """The definition in words (active language), shown beside every computed value."""
    names = names or {}
    if isinstance(definition, CountTiers):
        tier = str(TierKind(definition.tier_kind).label)
        if definition.level:
            tier = f"{tier} ({TierLevel(definition.level).label})"
        if definition.first_granted_from:
            return _(
                "Number of enterprises first granted the tier “%(tier)s” between %(start)s and the end of each "
                "period (revoked tiers excluded), from the enterprise registry."
            ) % {"tier": tier, "start": definition.first_granted_from.isoformat()}
        return _(
            "Number of enterprises holding a valid tier “%(tier)s” at the end of each period (granted by then, "
            "not expired, not revoked), from the enterprise registry."
        ) % {"tier": tier}
    if isinstance(definition, SumFact):
        return _(
            "Sum of the yearly fact “%(fact)s” over the enterprises in the industry group “%(group)s” and its "
            "sub-areas, each counted once with its largest membership weight, divided by %(divide_by)s%(size)s; "
            "from the enterprise registry."
        ) % {
            "fact": definition.fact,
            "group": names.get(definition.industry_group, definition.industry_group),
            "divide_by": _plain(definition.divide_by),
            "size": _(" (above-size enterprises only)") if definition.above_size_only else "",
        }
    return _("%(numerator)s ÷ %(denominator)s × %(scale)s, for each year where both are known.") % {
        "numerator": names.get(definition.numerator, definition.numerator),
        "denominator": names.get(definition.denominator, definition.denominator),
        "scale": _plain(definition.scale),
    }


GroupTree = list[tuple[int, str, int | None]]


def group_tree() -> GroupTree:
    """(id, code, parent id) of every group of the current industrial system (one small query)."""
    from industria.enterprises.models import IndustryGroup

    return list(IndustryGroup.objects.filter(system__is_current=True).values_list("id", "code", "parent_id"))


def _group_ids(code: str, tree: GroupTree) -> list[int]:
    """The group's id and its descendants'."""
    children: dict[int | None, list[int]] = {}
    root = None
    for pk, group_code, parent in tree:
        children.setdefault(parent, []).append(pk)
        if group_code == code:
            root = pk
    if root is None:
        return []
    out, stack = [], [root]
    while stack:
        pk = stack.pop()
        out.append(pk)
        stack.extend(children.get(pk, []))
    return sorted(out)


def _tier_scope(definition: CountTiers) -> Q:
    scope = Q(kind=definition.tier_kind)
    if definition.level:
        scope &= Q(level=definition.level)
    return scope


def _tier_aggregates(key: str, definition: CountTiers, dates: list[dt.date]) -> dict[str, Any]:
    """Conditional aggregates of one definition: how many tiers it knows, and the count at each date."""
    from industria.enterprises.models import Tier

    scope = _tier_scope(definition)
    aggs: dict[str, Any] = {
        f"{key}_all": Count("id", filter=scope),
        f"{key}_synthetic": Count("id", filter=scope & Q(synthetic=True)),
        f"{key}_first": Min("granted_on", filter=scope),
    }
    first = definition.first_granted_from
    new_holder = Q()
    if first is not None:
        earlier = Tier.objects.filter(
            enterprise_id=OuterRef("enterprise_id"), kind=definition.tier_kind, granted_on__lt=first
        ).exclude(status=TierStatus.REVOKED)
        if definition.level:
            earlier = earlier.filter(level=definition.level)
        new_holder = Q(granted_on__gte=first) & ~Exists(earlier)
    for i, day in enumerate(dates):
        if first is None:
            counted = Q(granted_on__lte=day) & (Q(valid_until__isnull=True) | Q(valid_until__gte=day))
        else:
            counted = new_holder & Q(granted_on__lte=day)
        aggs[f"{key}_v{i}"] = Count("enterprise_id", distinct=True, filter=scope & counted)
    return aggs


def _tiers(definitions: dict[str, CountTiers]) -> Any:
    from industria.enterprises.models import Tier

    kinds = sorted({d.tier_kind for d in definitions.values()})
    return Tier.objects.filter(kind__in=kinds).exclude(status=TierStatus.REVOKED)


def _sum_inner(definitions: dict[str, SumFact], years: list[int], tree: GroupTree, extra: tuple[str, ...] = ()) -> Any:
    """One row per yearly fact of a member enterprise, with its largest weight in each definition's group set."""
    from industria.enterprises.models import EnterpriseYearFact

    sample = next(iter(definitions.values()))
    group_sets = {key: _group_ids(d.industry_group, tree) for key, d in definitions.items()}
    union = sorted({pk for ids in group_sets.values() for pk in ids})
    facts = EnterpriseYearFact.objects.filter(
        year__in=years, enterprise__group_links__group_id__in=union, **{f"{sample.fact}__isnull": False}
    )
    if sample.above_size_only:
        facts = facts.filter(above_size=True)
    weights = {
        f"{key}_w": Max("enterprise__group_links__weight", filter=Q(enterprise__group_links__group_id__in=ids))
        for key, ids in group_sets.items()
    }
    return facts.values("id", "year", sample.fact, "synthetic", *extra).annotate(**weights)


def _year_end_before(first: dt.date) -> dt.date:
    """The registry's series starts at the first year end on or after its first grant."""
    return dt.date(first.year, 12, 31) if first else dt.date.min


def evaluate_many(
    definitions: dict[Any, Definition], *, dates: list[dt.date], tree: GroupTree | None = None
) -> dict[Any, list[ComputedPoint]]:
    """Evaluate many registry definitions city-wide at each date, set-based and batched.

    All ``count_tiers`` definitions share one aggregate query over the tiers (one scan whatever their number);
    each ``sum_fact`` definition is one aggregate query over the yearly facts of its group's members (a shared
    query would scan the union of all groups, measured slower), plus one small query for the group tree.
    Ratios are skipped (they need the two annual series).
    """
    out: dict[Any, list[ComputedPoint]] = {key: [] for key in definitions}
    tiers = {f"t{i}": (key, d) for i, (key, d) in enumerate(definitions.items()) if isinstance(d, CountTiers)}
    if tiers and dates:
        aggs: dict[str, Any] = {}
        for alias, (_key, d) in tiers.items():
            aggs.update(_tier_aggregates(alias, d, dates))
        row = _tiers({a: d for a, (_k, d) in tiers.items()}).aggregate(**aggs)
        for alias, (key, _d) in tiers.items():
            if row[f"{alias}_all"]:
                synthetic, first = row[f"{alias}_synthetic"] > 0, row[f"{alias}_first"]
                out[key] = [
                    ComputedPoint(day, float(row[f"{alias}_v{i}"]), synthetic)
                    for i, day in enumerate(dates)
                    if day >= _year_end_before(first)  # no zeros for years before the registry's first grant
                ]
    years = sorted({d.year for d in dates if (d.month, d.day) == (12, 31)})
    sums = {key: d for key, d in definitions.items() if isinstance(d, SumFact)}
    if sums and years:
        tree = tree if tree is not None else group_tree()
        for key, d in sums.items():  # one query each: each uses the index on its own group set
            out[key] = _sum_by_year(d, years, tree)
    return out


def evaluate_computed(
    definition: Definition, *, dates: list[dt.date], breakdown: str | None = None
) -> list[ComputedPoint]:
    """Evaluate one registry definition at each date: one aggregate query (one grouped query per breakdown).

    ``breakdown`` is ``None`` (city-wide), ``"district"`` or ``"industry_group"``. Sums use complete years
    only (the dates that are 31 December); a sum by district is given for the latest of those years.
    """
    if isinstance(definition, RatioOfIndicators):
        return []
    if breakdown is None:
        return evaluate_many({"one": definition}, dates=dates)["one"]
    if isinstance(definition, CountTiers):
        return _tiers_by(definition, dates, breakdown)
    return _sum_by_district(definition, dates) if breakdown == "district" else []


def _tiers_by(definition: CountTiers, dates: list[dt.date], breakdown: str) -> list[ComputedPoint]:
    key = "enterprise__district__code" if breakdown == "district" else "enterprise__group_links__group__code"
    grouped = _tiers({"t": definition}).values(key).annotate(**_tier_aggregates("t", definition, dates)).order_by(key)
    points = []
    for row in grouped:
        if row[key] is None or not row["t_all"]:
            continue
        for i, day in enumerate(dates):
            if day < _year_end_before(row["t_first"]):
                continue
            points.append(
                ComputedPoint(
                    day,
                    float(row[f"t_v{i}"]),
                    row["t_synthetic"] > 0,
                    district_code=row[key] if breakdown == "district" else None,
                    group_code=row[key] if breakdown != "district" else None,
                )
            )
    return points


def _sum_by_year(definition: SumFact, years: list[int], tree: GroupTree) -> list[ComputedPoint]:
    inner = _sum_inner({"s": definition}, years, tree)
    fact = definition.fact
    aggs: dict[str, Any] = {"syn": Count("id", filter=Q(synthetic=True))}
    for year in years:
        aggs[f"v{year}"] = Sum(F(fact) * F("s_w"), filter=Q(year=year))
        aggs[f"n{year}"] = Count("id", filter=Q(year=year))
    row = inner.aggregate(**aggs)
    synthetic = row["syn"] > 0
    return [
        ComputedPoint(dt.date(y, 12, 31), float(row[f"v{y}"]) / float(definition.divide_by), synthetic)
        for y in years
        if row[f"n{y}"]
    ]


def _sum_by_district(definition: SumFact, dates: list[dt.date]) -> list[ComputedPoint]:
    from industria.accounts.models import District

    years = sorted({d.year for d in dates if (d.month, d.day) == (12, 31)})
    if not years:
        return []
    year = years[-1]
    codes = list(District.objects.values_list("code", flat=True))
    inner = _sum_inner({"s": definition}, [year], group_tree(), extra=("enterprise__district__code",))
    aggs: dict[str, Any] = {"n_synthetic": Count("id", filter=Q(synthetic=True) & Q(s_w__isnull=False))}
    for code in codes:
        in_district = Q(enterprise__district__code=code) & Q(s_w__isnull=False)
        aggs[f"v{code}"] = Sum(F(definition.fact) * F("s_w"), filter=in_district)
        aggs[f"n{code}"] = Count("id", filter=in_district)
    row = inner.aggregate(**aggs)
    synthetic = row["n_synthetic"] > 0
    day = dt.date(year, 12, 31)
    return [
        ComputedPoint(day, float(row[f"v{c}"]) / float(definition.divide_by), synthetic, district_code=c)
        for c in codes
        if row[f"n{c}"]
    ]
