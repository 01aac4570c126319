"""Reads of the registry pages: scoped querysets with annotations, facts series for charts, group roll-ups.

Every function scopes rows through ``for_user`` or takes an object the caller already fetched through it.
Dates are parameters (``as_of``): nothing here reads the clock.  Chart specs follow the ``charts.js`` contract
(docs/frontend.md §3) and carry labels already translated into the active language.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import (
    Case,
    Count,
    DecimalField,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Least
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .choices import Confidence, GroupKind, TierStatus
from .models import (
    Enterprise,
    EnterpriseGroup,
    EnterpriseMonthFact,
    EnterpriseYearFact,
    IndustryCategory,
    IndustryGroup,
    IndustryMapping,
    IndustrySystem,
    Tier,
)

#: A tier ending within this many days of ``as_of`` is flagged for re-review.
TIER_EXPIRY_WARNING_DAYS = 90
YEAR_MIN, YEAR_MAX = 1949, 2100
TEN_THOUSAND = Decimal(10_000)
HUNDRED_MILLION = Decimal(100_000_000)
MONTHS_SHOWN = 24

# Which primary group is "the" group of an enterprise when several kinds have one: the key clusters partition
# manufacturing output, so they come first.
KIND_ORDER = [
    GroupKind.KEY_CLUSTER,
    GroupKind.LEADING_INDUSTRY,
    GroupKind.NEW_TRACK,
    GroupKind.FUTURE_INDUSTRY,
    GroupKind.TRANSFORMATION,
]


def _kind_rank(path: str) -> Case:
    return Case(
        *[When(**{path: kind}, then=Value(rank)) for rank, kind in enumerate(KIND_ORDER)],
        default=Value(len(KIND_ORDER)),
        output_field=IntegerField(),
    )


# --------------------------------------------------------------------------------------------- facts year


def facts_latest_year() -> int | None:
    """The latest year for which any yearly facts exist (an index-only MAX)."""
    return EnterpriseYearFact.objects.aggregate(year=Max("year"))["year"]


def facts_year_resolve(raw: Any) -> int | None:
    """The facts year a page shows: ``raw`` when it is a plausible year, else the latest year with facts."""
    try:
        year = int(str(raw).strip())
    except (TypeError, ValueError):
        return facts_latest_year()
    return year if YEAR_MIN <= year <= YEAR_MAX else facts_latest_year()


# --------------------------------------------------------------------------------------------- enterprises


def enterprise_list(*, user: Any, year: int | None) -> QuerySet[Enterprise]:
    """Enterprises in ``user``'s scope with their facts of ``year`` and their primary group links prefetched.

    No per-row subquery and no join to the facts: the page (or each export chunk) costs one query for the
    enterprises and one each for their facts of the year (``year_fact_list``, read with ``enterprise_year_fact``)
    and their primary links (``primary_links``, read with ``enterprise_primary_group``).  ``count()`` stays on the
    enterprise table, and rows skipped by OFFSET cost nothing beyond the index scan.
    """
    facts = EnterpriseYearFact.objects.filter(year=year) if year is not None else EnterpriseYearFact.objects.none()
    primary = EnterpriseGroup.objects.filter(primary=True).select_related("group").order_by()
    return (
        Enterprise.objects.for_user(user, "view")
        .select_related("district")
        .prefetch_related(
            Prefetch("year_facts", queryset=facts.order_by(), to_attr="year_fact_list"),
            Prefetch("group_links", queryset=primary, to_attr="primary_links"),
        )
    )


def enterprise_year_fact(enterprise: Enterprise) -> EnterpriseYearFact | None:
    """The facts of the list's year prefetched by ``enterprise_list`` (None when there are none)."""
    rows = getattr(enterprise, "year_fact_list", None)
    return rows[0] if rows else None


def enterprise_primary_group(enterprise: Enterprise) -> IndustryGroup | None:
    """The group shown as an enterprise's own, among its primary links prefetched by ``enterprise_list``.

    A key cluster comes first (the clusters partition manufacturing output), then the other layers.
    """
    links = getattr(enterprise, "primary_links", None) or []
    rank = {kind: i for i, kind in enumerate(KIND_ORDER)}
    best = min(
        links, key=lambda link: (rank.get(link.group.kind, 9), link.group.sort_order, link.group_id), default=None
    )
    return best.group if best is not None else None


def enterprise_year_fact_exists_q(*, year: int, **conditions: Any) -> Q:
    """``Q`` of enterprises that have facts for ``year`` matching ``conditions`` (an EXISTS, never a join)."""
    return Q(Exists(EnterpriseYearFact.objects.filter(enterprise=OuterRef("pk"), year=year, **conditions)))


def enterprise_in_groups_q(group_ids: Sequence[int]) -> Q:
    """``Q`` of enterprises rolling up (mapping or explicit) to any of ``group_ids``."""
    return Q(Exists(EnterpriseGroup.objects.filter(enterprise=OuterRef("pk"), group_id__in=list(group_ids))))


def enterprise_holding_tier_q(*, kind: str | Sequence[str], on: date) -> Q:
    """``Q`` of enterprises holding a tier of ``kind`` valid on ``on``."""
    kinds = [kind] if isinstance(kind, str) else list(kind)
    tiers = Tier.objects.filter(tier_valid_on_q(on), enterprise=OuterRef("pk"), kind__in=kinds)
    return Q(Exists(tiers))


def industry_category_path(code: str) -> list[IndustryCategory]:
    """The GB/T 4754 section, division, group and class of ``code`` that the reference data holds, broadest first."""
    code = (code or "").strip()
    if not code:
        return []
    prefixes = {code[:n] for n in (2, 3, 4) if len(code) >= n}
    section = IndustryCategory.objects.filter(code=code[:2]).values("section")[:1]
    rows = IndustryCategory.objects.filter(Q(code__in=prefixes) | Q(level="section", code=Subquery(section)))
    order = {"section": 0, "division": 1, "group": 2, "class": 3}
    return sorted(rows, key=lambda c: (order.get(c.level, 9), c.code))


def enterprise_groups(*, enterprise: Enterprise) -> list[EnterpriseGroup]:
    """The groups an enterprise rolls up to (mapping and explicit rows), by layer of the system."""
    return list(
        enterprise.group_links.select_related("group", "group__parent").order_by(
            _kind_rank("group__kind"), "group__sort_order", "source"
        )
    )


def enterprise_taggable_groups(*, enterprise: Enterprise) -> QuerySet[IndustryGroup]:
    """Groups of the current system an enterprise is not yet tagged with explicitly."""
    system = industry_system_current()
    tagged = EnterpriseGroup.objects.filter(enterprise=enterprise, source="explicit").values("group_id")
    return (
        IndustryGroup.objects.filter(system=system)
        .exclude(pk__in=tagged)
        .select_related("parent")
        .order_by("sort_order", "code")
    )


# --------------------------------------------------------------------------------------------- tiers


def tier_valid_on_q(day: date, prefix: str = "") -> Q:
    """``Q`` of tiers valid on ``day``: not revoked, granted, not past validity (as ``Tier.is_valid_on``)."""
    return (
        ~Q(**{f"{prefix}status": TierStatus.REVOKED})
        & Q(**{f"{prefix}granted_on__lte": day})
        & (Q(**{f"{prefix}valid_until__isnull": True}) | Q(**{f"{prefix}valid_until__gte": day}))
    )


def tier_expiring_q(*, as_of: date, days: int) -> Q:
    """``Q`` of tiers still valid on ``as_of`` whose validity ends within ``days`` days (as ``Tier.expires_within``)."""
    return tier_valid_on_q(as_of) & Q(valid_until__isnull=False, valid_until__lte=as_of + timedelta(days=days))


def tier_list(*, user: Any, as_of: date, warn_days: int = TIER_EXPIRY_WARNING_DAYS) -> QuerySet[Tier]:
    """Tiers in ``user``'s scope with ``valid_now`` and ``expiring`` (ends within ``warn_days`` of ``as_of``)."""
    return (
        Tier.objects.for_user(user, "view")
        .select_related("enterprise", "enterprise__district")
        .annotate(
            valid_now=Case(When(tier_valid_on_q(as_of), then=Value(True)), default=Value(False)),
            expiring=Case(When(tier_expiring_q(as_of=as_of, days=warn_days), then=Value(True)), default=Value(False)),
        )
        .order_by("enterprise__uscc", "kind", "-granted_on")
    )


def enterprise_tiers(*, enterprise: Enterprise, as_of: date, warn_days: int = TIER_EXPIRY_WARNING_DAYS) -> list[Tier]:
    """An enterprise's tiers, newest first, each with ``valid_now`` and ``expiring`` set for ``as_of``."""
    tiers = list(enterprise.tiers.order_by("-granted_on", "kind"))
    for tier in tiers:
        tier.valid_now = tier.is_valid_on(as_of)
        tier.expiring = tier.expires_within(as_of, warn_days)
        tier.days_left = (tier.valid_until - as_of).days if tier.valid_until else None
    return tiers


# --------------------------------------------------------------------------------------------- facts over time


def enterprise_year_facts(*, enterprise: Enterprise) -> list[EnterpriseYearFact]:
    """An enterprise's yearly facts, oldest first."""
    return list(enterprise.year_facts.order_by("year"))


def _number(value: Any, divisor: Decimal = Decimal(1)) -> float | None:
    """A JSON number for charts.js (``None`` stays a gap); money is scaled, then rounded to 2 places."""
    if value is None:
        return None
    return float((Decimal(value) / divisor).quantize(Decimal("0.01")))


def money_10k(value: Any) -> Decimal | None:
    """CNY in units of 10,000 (万元), 2 decimals."""
    return None if value is None else (Decimal(value) / TEN_THOUSAND).quantize(Decimal("0.01"))


def money_100m(value: Any) -> Decimal | None:
    """CNY in units of 100 million (亿元), 2 decimals."""
    return None if value is None else (Decimal(value) / HUNDRED_MILLION).quantize(Decimal("0.01"))


def _labels() -> dict[str, str]:
    """Series names of the charts (the unit is the chart's, so names carry none)."""
    return {name: str(label) for name, label, _unit, _divisor in FACT_ROWS}


def year_fact_charts(facts: Sequence[EnterpriseYearFact]) -> dict[str, dict[str, Any]]:
    """Chart specs of yearly facts: finance (CNY 10k), employees, energy (tce) and land (mu).

    Specs carry no title: the page heads each chart (and labels it for screen readers) itself.
    """
    x = [str(f.year) for f in facts]
    labels = _labels()
    empty = _("No data")

    def series(name: str, divisor: Decimal = Decimal(1)) -> dict[str, Any]:
        return {"name": labels[name], "data": [_number(getattr(f, name), divisor) for f in facts]}

    return {
        "finance": {
            "x": x,
            "unit": _("CNY 10k"),
            "y_zero": True,
            "empty_text": empty,
            "series": [
                series(name, TEN_THOUSAND)
                for name in ("main_revenue_cny", "gross_output_cny", "value_added_cny", "tax_paid_cny")
            ],
        },
        "employees": {
            "x": x,
            "unit": _("persons"),
            "empty_text": empty,
            "series": [series("employees_avg"), series("rd_staff")],
        },
        "energy": {
            "x": x,
            "unit": "tce",
            "y_zero": True,
            "empty_text": empty,
            "series": [series("energy_tce")],
        },
        "land": {
            "x": x,
            "unit": _("mu"),
            "empty_text": empty,
            "series": [series("land_area_mu")],
        },
    }


# The yearly facts table: (field, label, unit, divisor); money is shown in CNY 10k (万元), as statistics do.
FACT_ROWS: list[tuple[str, Any, Any, Decimal]] = [
    ("main_revenue_cny", gettext_lazy("Main-business revenue"), gettext_lazy("CNY 10k"), TEN_THOUSAND),
    ("operating_revenue_cny", gettext_lazy("Operating revenue"), gettext_lazy("CNY 10k"), TEN_THOUSAND),
    ("gross_output_cny", gettext_lazy("Gross industrial output"), gettext_lazy("CNY 10k"), TEN_THOUSAND),
    ("value_added_cny", gettext_lazy("Industrial value added"), gettext_lazy("CNY 10k"), TEN_THOUSAND),
    ("tax_paid_cny", gettext_lazy("Tax paid"), gettext_lazy("CNY 10k"), TEN_THOUSAND),
    ("profit_cny", gettext_lazy("Total profit"), gettext_lazy("CNY 10k"), TEN_THOUSAND),
    ("total_assets_cny", gettext_lazy("Total assets"), gettext_lazy("CNY 10k"), TEN_THOUSAND),
    ("total_liabilities_cny", gettext_lazy("Total liabilities"), gettext_lazy("CNY 10k"), TEN_THOUSAND),
    ("rd_expense_cny", gettext_lazy("R&D expense"), gettext_lazy("CNY 10k"), TEN_THOUSAND),
    ("employees_avg", gettext_lazy("Average employees"), gettext_lazy("persons"), Decimal(1)),
    ("rd_staff", gettext_lazy("R&D staff"), gettext_lazy("persons"), Decimal(1)),
    ("energy_tce", gettext_lazy("Energy use"), "tce", Decimal(1)),
    ("electricity_kwh", gettext_lazy("Electricity use"), "kWh", Decimal(1)),
    ("emissions_t", gettext_lazy("Main-pollutant emissions"), "t", Decimal(1)),
    ("land_area_mu", gettext_lazy("Land area"), gettext_lazy("mu"), Decimal(1)),
    ("floor_area_m2", gettext_lazy("Floor area"), "m²", Decimal(1)),
]


def year_fact_table(facts: Sequence[EnterpriseYearFact]) -> list[tuple[str, str, list[Any]]]:
    """Rows (label, unit, values by year) of the yearly facts table, money in CNY 10k, fields in import order."""
    rows = []
    for name, label, unit, divisor in FACT_ROWS:
        values = [getattr(f, name) for f in facts]
        if divisor != 1:
            values = [None if v is None else (Decimal(v) / divisor).quantize(Decimal("0.01")) for v in values]
        rows.append((str(label), str(unit), values))
    return rows


def month_output_chart(*, enterprise: Enterprise, as_of: date, months: int = MONTHS_SHOWN) -> dict[str, Any]:
    """Monthly output and value added (CNY 10k) for the ``months`` months ending at the latest month reported
    up to ``as_of``; missing months are gaps."""
    rows = list(
        EnterpriseMonthFact.objects.filter(enterprise=enterprise)
        .filter(Q(year__lt=as_of.year) | Q(year=as_of.year, month__lte=as_of.month))
        .order_by("-year", "-month")
        .values("year", "month", "gross_output_cny", "value_added_cny")[:months]
    )
    spec: dict[str, Any] = {
        "x": [],
        "unit": _("CNY 10k"),
        "y_zero": True,
        "empty_text": _("No monthly data"),
        "series": [],
    }
    if not rows:
        return spec
    end = rows[0]["year"] * 12 + rows[0]["month"] - 1
    index = {r["year"] * 12 + r["month"] - 1: r for r in rows}
    keys = list(range(end - months + 1, end + 1))
    spec["x"] = [f"{k // 12}-{k % 12 + 1:02d}" for k in keys]
    labels = _labels()
    spec["series"] = [
        {"name": labels[name], "data": [_number(index[k][name], TEN_THOUSAND) if k in index else None for k in keys]}
        for name in ("gross_output_cny", "value_added_cny")
    ]
    return spec


# --------------------------------------------------------------------------------------------- industrial system


def industry_system_current() -> IndustrySystem | None:
    """The industrial system in force (the latest one marked current)."""
    return IndustrySystem.objects.filter(is_current=True).order_by("-valid_from").first()


# Plan measures the reference data uses, with how to show their value.


@dataclass(frozen=True)
class GroupTarget:
    """A group's plan target as shown: the value in its display unit and how far to trust it."""

    value: Decimal
    unit: str
    year: int | None
    measure: str
    confidence: str
    confidence_label: str
    uncertain: bool
    uncertain_label: str


def group_target(group: IndustryGroup) -> GroupTarget | None:
    """The plan target of ``group`` in display units; tagged M or U it is marked uncertain / from memory."""
    if group.target_value is None:
        return None
    money = group.target_unit == "CNY"
    percent = group.target_unit == "ratio"
    confidence = group.target_confidence or ""
    uncertain_labels = {Confidence.M: _("from memory"), Confidence.U: _("uncertain")}
    return GroupTarget(
        value=(group.target_value / HUNDRED_MILLION)
        if money
        else (group.target_value * 100 if percent else group.target_value.normalize()),
        unit=_("CNY 100 million") if money else ("%" if percent else ""),
        year=group.target_year,
        measure=_measure_label(group.target_measure),
        confidence=confidence,
        confidence_label=str(Confidence(confidence).label) if confidence in Confidence.values else "",
        uncertain=confidence in uncertain_labels,
        uncertain_label=str(uncertain_labels.get(confidence, "")),
    )


def _measure_label(measure: str) -> str:
    labels = {
        "industry_scale": _("industry scale"),
        "digitally_transformed_share_of_above_size_manufacturers": _(
            "share of above-size manufacturers digitally transformed"
        ),
        "green_manufacturing_demonstration_units": _("green manufacturing demonstration units"),
    }
    return labels.get(measure, measure.replace("_", " "))


@dataclass
class GroupNode:
    """A group of the system tree with its sub-areas and its target read model."""

    group: IndustryGroup
    target: GroupTarget | None
    children: list[GroupNode] = field(default_factory=list)


@dataclass
class GroupLayer:
    """One layer of the system ("the 3", "the 6" …): its kind and its groups."""

    kind: str
    label: str
    nodes: list[GroupNode]


def industry_group_tree(*, system: IndustrySystem | None) -> list[GroupLayer]:
    """The groups of ``system`` as layers of trees (one query)."""
    if system is None:
        return []
    groups = list(IndustryGroup.objects.filter(system=system).order_by("sort_order", "code"))
    nodes = {g.pk: GroupNode(group=g, target=group_target(g)) for g in groups}
    roots: list[GroupNode] = []
    for g in groups:
        parent = nodes.get(g.parent_id) if g.parent_id else None
        (parent.children if parent else roots).append(nodes[g.pk])
    layers = []
    for kind in GroupKind:
        in_layer = [n for n in roots if n.group.kind == kind]
        if in_layer:
            layers.append(GroupLayer(kind=kind.value, label=str(kind.label), nodes=in_layer))
    return layers


def industry_group_subtree_ids(group: IndustryGroup) -> list[int]:
    """``group`` and every sub-area below it (one query over the system's groups)."""
    parents = dict(IndustryGroup.objects.filter(system_id=group.system_id).values_list("pk", "parent_id"))
    ids, frontier = [group.pk], [group.pk]
    while frontier:
        frontier = [pk for pk, parent in parents.items() if parent in frontier]
        ids.extend(frontier)
    return ids


def industry_group_descendant_ids(group_ids: Sequence[int]) -> list[int]:
    """``group_ids`` and all their sub-areas (one query over all groups)."""
    parents = dict(IndustryGroup.objects.values_list("pk", "parent_id"))
    ids, frontier = set(group_ids), set(group_ids)
    while frontier:
        frontier = {pk for pk, parent in parents.items() if parent in frontier} - ids
        ids |= frontier
    return sorted(ids)


@dataclass(frozen=True)
class GroupRollup:
    """Enterprises in scope rolling up to a group, and their weighted gross output in ``year``."""

    enterprises: int
    gross_output_cny: Decimal | None
    year: int | None


def industry_group_rollup(*, user: Any, group_ids: Sequence[int], year: int | None) -> GroupRollup:
    """Count and weighted ``year`` gross output of in-scope enterprises rolling up to ``group_ids`` (one query).

    An enterprise linked to several of the groups (a group and its sub-areas, a mapping row and an explicit tag)
    counts once, with the sum of its link weights capped at 1, so output is never counted twice.
    """
    output = (
        EnterpriseYearFact.objects.filter(enterprise=OuterRef("enterprise_id"), year=year)
        .order_by()
        .values("gross_output_cny")[:1]
    )
    money = DecimalField(max_digits=24, decimal_places=6)
    per_enterprise = (
        EnterpriseGroup.objects.for_user(user, "view")
        .filter(group_id__in=list(group_ids))
        .values("enterprise_id")
        .annotate(
            share=Least(Sum("weight"), Value(Decimal(1)), output_field=money),
            year_output=Subquery(output, output_field=money),
        )
    )
    totals = per_enterprise.aggregate(
        enterprises=Count("enterprise_id"), total=Sum(F("share") * F("year_output"), output_field=money)
    )
    total = totals["total"]
    return GroupRollup(
        enterprises=totals["enterprises"] or 0,
        gross_output_cny=Decimal(total).quantize(Decimal("0.01")) if total is not None else None,
        year=year,
    )


def industry_mapping_rules(*, group_ids: Sequence[int]) -> list[IndustryMapping]:
    """The default-mapping rules that feed ``group_ids``, each with ``category`` (its GB/T 4754 entry or None)."""
    rules = list(
        IndustryMapping.objects.filter(group_id__in=list(group_ids))
        .select_related("group")
        .order_by("industry_code", "group__sort_order")
    )
    categories = {c.code: c for c in IndustryCategory.objects.filter(code__in={r.industry_code for r in rules})}
    for rule in rules:
        rule.category = categories.get(rule.industry_code)
    return rules
