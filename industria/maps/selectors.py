"""Map reads: GeoJSON layers for a viewport, district indicators and feature summaries, scoped to the user.

Every layer reads rows through the models' ``for_user`` querysets, so the anonymous public gets what
``scope_public_q`` allows (parks, strategic areas, available parcels) and a signed-in user what their role and
scope allow.  Enterprise-level figures (names, output, tax, the grade of an enterprise's parcel) are added only
when the user may read the enterprise, its facts or its grade: the public map never carries them.

Rows are read with ``values_list`` and written as strings by ``maps.geojson`` (no model instance per feature).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet, Sum, TextField
from django.db.models.functions import Cast
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from industria.accounts.models import District
from industria.enterprises.models import Enterprise, EnterpriseGroup, EnterpriseYearFact, IndustryGroup
from industria.evaluations.models import LandEfficiencyGrade
from industria.land.choices import LandUseClass, ParcelStatus, ParkKind, StrategicAreaKind
from industria.land.models import LandUse, Parcel, Park, StrategicArea
from industria.maps import geojson as gj
from industria.maps.geojson import ParamError, Viewport
from industria.projects.choices import ProjectStage
from industria.projects.models import KeyProject

PARCEL_POLYGON_ZOOM = 12  # below: parcels as centroids (a parcel is a few pixels wide at zoom 11)
PARCEL_LIMIT = {"polygon": 3000, "point": 10000}
PROJECT_LIMIT = 5000
CLUSTER_PX = 60  # enterprise cluster cell, in screen pixels
SINGLE_ENTERPRISE_ZOOM = 13  # at this zoom a cluster of one enterprise is shown as that enterprise
GRADES = ("A", "B", "C", "D")
COLOUR_BY = ("status", "grade")


def _en() -> bool:
    return (get_language() or "").startswith("en")


def _name(zh: str, en: str) -> str:
    return en if _en() and en else zh


def _url(name: str, pk: int) -> str | None:
    """The record page, or None when that page does not exist (yet)."""
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:
        return None


_PK_MARK = 987654321987


def url_template(name: str) -> str | None:
    """The record page of any pk as a ``%d`` template: one ``reverse`` per layer, not one per feature."""
    url = _url(name, _PK_MARK)
    return url.replace(str(_PK_MARK), "%d") if url else None


def _f(value: Any, digits: int = 2) -> float | None:
    return None if value is None else round(float(value), digits)


def can(user: Any, perm: str) -> bool:
    return bool(user is not None and user.is_authenticated and user.has_perm(perm))


# ----------------------------------------------------------------------------------------------- filters


@dataclass
class LayerFilters:
    """The filters of the layer panel (validated): district code, industry group, parcel status/grade."""

    district: str = ""
    group: int | None = None
    status: str = ""
    grade: str = ""
    stage: str = ""
    colour_by: str = "status"
    year: int | None = None
    limit: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def parse_filters(params: Any) -> LayerFilters:
    """Validate the filter parameters; a bad one raises ParamError naming it."""
    district = (params.get("district") or "").strip()
    if district and not District.objects.filter(code=district).exists():
        raise ParamError("district", _("Unknown district code."))
    group = gj.parse_int(params, "group", default=None, minimum=1, maximum=2**31 - 1)
    if group is not None and not IndustryGroup.objects.filter(pk=group).exists():
        raise ParamError("group", _("Unknown industry group."))
    return LayerFilters(
        district=district,
        group=group,
        status=gj.parse_choice(params, "status", ParcelStatus.values),
        grade=gj.parse_choice(params, "grade", GRADES),
        stage=gj.parse_choice(params, "stage", ProjectStage.values),
        colour_by=gj.parse_choice(params, "colour_by", COLOUR_BY) or "status",
        year=gj.parse_int(params, "year", default=None, minimum=1990, maximum=2100),
        limit=gj.parse_int(params, "limit", default=None, minimum=1, maximum=PARCEL_LIMIT["point"]),
    )


def _bbox_q(viewport: Viewport, prefix: str = "") -> Q:
    """Rows whose bounding box overlaps the viewport (indexed decimal columns)."""
    return Q(
        **{
            f"{prefix}min_lon__lte": viewport.max_lon,
            f"{prefix}max_lon__gte": viewport.min_lon,
            f"{prefix}min_lat__lte": viewport.max_lat,
            f"{prefix}max_lat__gte": viewport.min_lat,
        }
    )


def latest_land_use_year(user: Any) -> int | None:
    return LandUse.objects.for_user(user).aggregate(y=Max("year"))["y"]


def latest_grade_year(user: Any) -> int | None:
    return LandEfficiencyGrade.objects.for_user(user).aggregate(y=Max("year"))["y"]


def latest_fact_year(user: Any) -> int | None:
    return EnterpriseYearFact.objects.for_user(user).aggregate(y=Max("year"))["y"]


# ------------------------------------------------------------------------------------------------ layers


def park_layer(*, user: Any, viewport: Viewport, filters: LayerFilters) -> str:
    """Parks as (simplified) polygons, or points where only the centroid is known."""
    qs = Park.objects.for_user(user).filter(_bbox_q(viewport) | Q(min_lon__isnull=True, longitude__isnull=False))
    if filters.district:
        qs = qs.filter(district__code=filters.district)
    if filters.group:
        qs = qs.filter(lead_groups=filters.group)
    kinds = dict(ParkKind.choices)
    signed_in = bool(user and user.is_authenticated)
    features = []
    rows = qs.order_by("code").values_list(
        "pk", "code", "name_zh", "name_en", "kind", "district__code", "area_km2", "available_land_mu",
        "available_floor_m2", "synthetic", "geometry", "longitude", "latitude",
    )  # fmt: skip
    for pk, code, zh, en, kind, district, area, land, floor, synthetic, geometry, lon, lat in rows.distinct():
        geo = gj.simplify(geometry, viewport) or gj.point(lon, lat, viewport.decimals)
        if geo is None:
            continue
        props = {
            "kind": "park",
            "pk": pk,
            "code": code,
            "name": _name(zh, en),
            "park_kind": kinds.get(kind, kind),
            "district": district,
            "area_km2": _f(area, 3),
            "available_land_mu": _f(land),
            "available_floor_m2": _f(floor, 0),
            "synthetic": synthetic,
            "label": [_f(lon, 6), _f(lat, 6)],
        }
        if signed_in:
            props["url"] = _url("land:park_detail", pk)
        features.append(gj.feature(f"park.{pk}", geo, props))
    return gj.collection(features, layer="parks", zoom=viewport.zoom, truncated=False, count=len(features))


def strategic_area_layer(*, user: Any, viewport: Viewport, filters: LayerFilters) -> str:
    """Strategic areas (Lingang, the five new cities, transformation areas) as labelled overlays."""
    qs = StrategicArea.objects.for_user(user).filter(_bbox_q(viewport))
    if filters.district:
        qs = qs.filter(districts__code=filters.district)
    kinds = dict(StrategicAreaKind.choices)
    schematic = _("schematic boundary")
    signed_in = bool(user and user.is_authenticated)
    features = []
    rows = (
        qs.order_by("kind", "code")
        .distinct()
        .values_list(
            "pk", "code", "name_zh", "name_en", "kind", "area_km2", "synthetic", "geometry", "longitude", "latitude"
        )
    )
    for pk, code, zh, en, kind, area, synthetic, geometry, lon, lat in rows:
        geo = gj.simplify(geometry, viewport)
        if geo is None:
            continue
        name = _name(zh, en)
        props = {
            "kind": "area",
            "pk": pk,
            "code": code,
            "name": name,
            "label_text": f"{name} ({schematic})" if synthetic else name,
            "area_kind": kinds.get(kind, kind),
            "area_km2": _f(area, 1),
            "synthetic": synthetic,
            "label": [_f(lon, 6), _f(lat, 6)],
        }
        if signed_in:
            props["url"] = _url("land:strategicarea_detail", pk)
        features.append(gj.feature(f"area.{pk}", geo, props))
    return gj.collection(features, layer="areas", zoom=viewport.zoom, truncated=False, count=len(features))


def _grade_qs(user: Any, year: int) -> QuerySet:
    return LandEfficiencyGrade.objects.for_user(user).filter(year=year)


def parcel_grades(*, user: Any, viewport: Viewport, year: int) -> dict[int, str]:
    """The worst published grade (D worst) among each parcel's users in ``year``, for parcels in the viewport —
    only grades the user may read (none for the public).

    One hash join of the two scoped querysets, grouped by parcel: a city-wide viewport holds ~120,000 land uses,
    which a correlated per-row subquery would probe one by one."""
    if not can(user, "evaluations.view_landefficiencygrade"):
        return {}
    uses = (
        LandUse.objects.for_user(user)
        .filter(_bbox_q(viewport, "parcel__"), year=year)
        .values("parcel_id", "enterprise_id")
    )
    grades = _grade_qs(user, year).filter(grade__in=GRADES).values("enterprise_id", "grade")
    uses_sql, uses_params = uses.order_by().query.sql_with_params()
    grades_sql, grades_params = grades.order_by().query.sql_with_params()
    sql = (
        f"SELECT u.parcel_id, MAX(g.grade) FROM ({uses_sql}) u JOIN ({grades_sql}) g"
        " ON g.enterprise_id = u.enterprise_id GROUP BY u.parcel_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, (*uses_params, *grades_params))
        return dict(cursor.fetchall())


def parcel_layer(*, user: Any, viewport: Viewport, filters: LayerFilters) -> str:
    """Parcels in the viewport coloured by status (or by land-efficiency grade for users who may see grades):
    polygons from zoom 12, centroids below; at most PARCEL_LIMIT features, largest first, with a truncated flag."""
    polygons = viewport.zoom >= PARCEL_POLYGON_ZOOM
    shape = "polygon" if polygons else "point"
    limit = min(filters.limit or PARCEL_LIMIT[shape], PARCEL_LIMIT[shape])
    qs = Parcel.objects.for_user(user).filter(_bbox_q(viewport))
    if filters.district:
        qs = qs.filter(district__code=filters.district)
    if filters.status:
        qs = qs.filter(status=filters.status)
    signed_in = bool(user and user.is_authenticated)
    grade_year = latest_grade_year(user) if can(user, "evaluations.view_landefficiencygrade") else None
    use_year = latest_land_use_year(user) if signed_in else None
    if filters.group and signed_in and use_year:
        qs = qs.filter(
            Exists(
                LandUse.objects.filter(
                    parcel_id=OuterRef("pk"), year=use_year, enterprise__group_links__group_id=filters.group
                )
            )
        )
    grades = parcel_grades(user=user, viewport=viewport, year=grade_year) if grade_year else {}
    if filters.grade:
        if not grade_year:
            return gj.collection([], layer="parcels", zoom=viewport.zoom, geometry=shape, truncated=False, count=0)
        qs = qs.filter(pk__in=[pk for pk, g in grades.items() if g == filters.grade])
    columns = ["pk", "parcel_code", "status", "area_mu", "land_use_class", "district__code", "longitude", "latitude"]
    if polygons:
        # the geometry as stored text (no JSON decoding per row) and the bbox, to draw sub-pixel parcels as points
        qs = qs.annotate(geometry_text=Cast("geometry", output_field=TextField()))
        columns += ["geometry_text", "min_lon", "min_lat", "max_lon", "max_lat"]
    rows = list(qs.order_by("-area_m2", "pk").values_list(*columns)[: limit + 1])
    truncated = len(rows) > limit
    statuses = {k: str(v) for k, v in ParcelStatus.choices}
    classes = {k: str(v) for k, v in LandUseClass.choices}
    decimals = viewport.decimals
    min_size_deg = 2 * viewport.pixel_deg
    link = url_template("land:parcel_detail") if signed_in else None
    features = []
    for row in rows[:limit]:
        pk, code, status, area_mu, use_class, district, lon, lat = row[:8]
        geo: Any = None
        if (
            polygons
            and row[9] is not None
            and (float(row[11] - row[9]) >= min_size_deg or float(row[12] - row[10]) >= min_size_deg)
        ):
            geo = gj.simplify_text(row[8], viewport)
        if geo is None:
            geo = gj.point(lon, lat, decimals)
            if geo is None:
                continue
        props = {"kind": "parcel", "pk": pk, "code": code, "status": status, "area_mu": _f(area_mu)}
        if polygons:
            # a centroid layer (up to 10,000 points) carries only what colours and labels a point; the status
            # label comes from the page's legend, the rest from the summary on click
            props.update(
                status_label=statuses.get(status, status),
                use_class=classes.get(use_class, use_class),
                district=district,
            )
            if link:
                props["url"] = link % pk
        if pk in grades:
            props["grade"] = grades[pk]
        features.append(gj.feature(f"parcel.{pk}", geo, props))
    return gj.collection(
        features,
        layer="parcels",
        zoom=viewport.zoom,
        geometry=shape,
        truncated=truncated,
        limit=limit,
        count=len(features),
        colour_by=filters.colour_by if grades or filters.colour_by == "status" else "status",
        **({"grade_year": grade_year} if grades else {}),
    )


@functools.cache
def district_centres() -> dict[str, tuple[float, float]]:
    """District label points (``cp``) from the decoded boundary file (empty when ``make static`` has not run)."""
    candidates = [Path(settings.BASE_DIR) / "industria" / "static" / "vendor" / "shanghai-districts.geojson"]
    candidates += [Path(d) / "vendor" / "shanghai-districts.geojson" for d in getattr(settings, "STATICFILES_DIRS", [])]
    candidates.append(Path(__file__).resolve().parents[1] / "static" / "vendor" / "shanghai-districts.geojson")
    for path in candidates:
        if path.exists():
            data = json.loads(path.read_text(encoding="utf-8"))
            return {
                f["properties"]["code"]: tuple(f["properties"]["cp"])
                for f in data.get("features", [])
                if f.get("properties", {}).get("cp")
            }
    return {}


def project_layer(*, user: Any, viewport: Viewport, filters: LayerFilters) -> str:
    """Key projects by stage, placed at their parcel's centroid, else their park's, else their district's centre."""
    qs = KeyProject.objects.for_user(user)
    if filters.district:
        qs = qs.filter(district__code=filters.district)
    if filters.group:
        qs = qs.filter(industry_group_id=filters.group)
    if filters.stage:
        qs = qs.filter(stage=filters.stage)
    parks: dict[str, tuple[Any, Any]] = {}
    for zh, en, lon, lat in Park.objects.filter(longitude__isnull=False).values_list(
        "name_zh", "name_en", "longitude", "latitude"
    ):
        parks.setdefault(zh, (lon, lat))
        if en:
            parks.setdefault(en, (lon, lat))
    centres = district_centres()
    stages = dict(ProjectStage.choices)
    rows = qs.order_by("-total_investment_cny", "pk").values_list(
        "pk", "code", "name_zh", "name_en", "stage", "district__code", "park", "total_investment_cny",
        "parcel__longitude", "parcel__latitude",
    )  # fmt: skip
    features: list[str] = []
    truncated = False
    link = url_template("projects:keyproject_detail")
    for pk, code, zh, en, stage, district, park, investment, plon, plat in rows.iterator(chunk_size=5000):
        if plon is not None and plat is not None:
            lon, lat, source = float(plon), float(plat), "parcel"
        elif park and park.strip() in parks:
            lon, lat = (float(v) for v in parks[park.strip()])
            source = "park"
        elif district in centres:
            (lon, lat), source = centres[district], "district"
        else:
            continue
        if not (viewport.min_lon <= lon <= viewport.max_lon and viewport.min_lat <= lat <= viewport.max_lat):
            continue
        if len(features) >= PROJECT_LIMIT:
            truncated = True
            break
        props = {
            "kind": "project",
            "pk": pk,
            "code": code,
            "name": _name(zh, en),
            "stage": stage,
            "stage_label": stages.get(stage, stage),
            "district": district,
            "investment_100m_cny": _f(investment / Decimal(10**8), 2) if investment is not None else None,
            "located_by": source,
            "url": link % pk if link else None,
        }
        features.append(gj.feature(f"project.{pk}", gj.point(lon, lat, viewport.decimals), props))
    return gj.collection(
        features, layer="projects", zoom=viewport.zoom, truncated=truncated, limit=PROJECT_LIMIT, count=len(features)
    )


def enterprise_locations(*, user: Any, viewport: Viewport, filters: LayerFilters) -> tuple[int | None, dict]:
    """Each enterprise the user may see, located at the centroid of the parcel it uses in the latest land-use
    year (the lowest parcel id when it uses several): {enterprise_id: (lon, lat)}."""
    year = filters.year or latest_land_use_year(user)
    if year is None:
        return None, {}
    enterprises = Enterprise.objects.for_user(user)
    if filters.district:
        enterprises = enterprises.filter(district__code=filters.district)
    if filters.group:
        enterprises = enterprises.filter(
            Exists(EnterpriseGroup.objects.filter(enterprise_id=OuterRef("pk"), group_id=filters.group))
        )
    rows = (
        LandUse.objects.for_user(user)
        .filter(_bbox_q(viewport, "parcel__"), year=year, enterprise__in=enterprises.values("pk"))
        .filter(parcel__longitude__isnull=False, parcel__latitude__isnull=False)
        .order_by("enterprise_id", "parcel_id")
        .values_list("enterprise_id", "parcel__longitude", "parcel__latitude")
    )
    located: dict[int, tuple[float, float]] = {}
    for enterprise_id, lon, lat in rows.iterator(chunk_size=10000):
        if enterprise_id not in located:
            located[enterprise_id] = (float(lon), float(lat))
    return year, located


def enterprise_layer(*, user: Any, viewport: Viewport, filters: LayerFilters) -> str:
    """Enterprises clustered on a grid of CLUSTER_PX pixels at the zoom (server side); a cluster of one is
    shown as that enterprise (name and link) from zoom 13 when the user may read it."""
    year, located = enterprise_locations(user=user, viewport=viewport, filters=filters)
    cell = CLUSTER_PX * viewport.pixel_deg
    cells: dict[tuple[int, int], list[Any]] = {}
    for enterprise_id, (lon, lat) in located.items():
        key = (int(lon // cell), int(lat // cell))
        entry = cells.get(key)
        if entry is None:
            cells[key] = [1, lon, lat, enterprise_id]
        else:
            entry[0] += 1
            entry[1] += lon
            entry[2] += lat
    # ``located`` holds only enterprises the user may read (Enterprise.for_user needs enterprises.view_enterprise)
    singles = {e[3] for e in cells.values() if e[0] == 1 and viewport.zoom >= SINGLE_ENTERPRISE_ZOOM}
    names = {
        pk: _name(zh, en)
        for pk, zh, en in Enterprise.objects.filter(pk__in=singles).values_list("pk", "name_zh", "name_en")
    }
    link = url_template("enterprises:enterprise_detail")
    features = []
    for (cx, cy), (n, slon, slat, first) in sorted(cells.items()):
        props: dict[str, Any] = {"kind": "cluster", "count": n}
        if n == 1 and first in names:
            props = {
                "kind": "enterprise",
                "count": 1,
                "pk": first,
                "name": names[first],
                "url": link % first if link else None,
            }
        geo = gj.point(slon / n, slat / n, viewport.decimals)
        features.append(gj.feature(f"cluster.{cx}.{cy}", geo, props))
    return gj.collection(
        features,
        layer="enterprises",
        zoom=viewport.zoom,
        year=year,
        cell_deg=round(cell, 6),
        truncated=False,
        count=len(features),
        enterprises=len(located),
    )


# ------------------------------------------------------------------------------------- district indicators


@dataclass(frozen=True)
class Indicator:
    code: str
    label: Any
    unit: Any
    public: bool  # may the anonymous public see it (no enterprise figures behind it)


INDICATORS = [
    Indicator("enterprises", gettext_lazy("Enterprises"), gettext_lazy("enterprises"), False),
    Indicator("above_size", gettext_lazy("Above-size enterprises"), gettext_lazy("enterprises"), False),
    Indicator("gross_output", gettext_lazy("Gross industrial output"), gettext_lazy("100m CNY"), False),
    Indicator("tax", gettext_lazy("Tax paid"), gettext_lazy("100m CNY"), False),
    Indicator("output_per_mu", gettext_lazy("Output per mu"), gettext_lazy("10k CNY/mu"), False),
    Indicator("grade_a_share", gettext_lazy("Share of A-grade enterprises"), "%", False),
    Indicator("parcels", gettext_lazy("Industrial parcels"), gettext_lazy("parcels"), True),
    Indicator("available_land", gettext_lazy("Available land"), gettext_lazy("mu"), True),
    Indicator("parks", gettext_lazy("Parks"), gettext_lazy("parks"), True),
]


def indicators_for(user: Any) -> list[Indicator]:
    signed_in = bool(user and user.is_authenticated)
    return [i for i in INDICATORS if signed_in or i.public]


def district_values(*, user: Any, indicator: str, year: int | None = None) -> dict[str, Any]:
    """One indicator per district, computed set-based (one grouped query) over the rows the user may see."""
    allowed = {i.code: i for i in indicators_for(user)}
    if indicator not in allowed:
        raise ParamError(
            "indicator",
            _("%(field)s must be one of: %(choices)s.") % {"field": "indicator", "choices": ", ".join(allowed)},
        )
    spec = allowed[indicator]
    values: dict[str, float | None] = {}
    used_year = None
    scale = 1.0  # sums are read as they are and scaled here (integer division on SQLite otherwise)
    if indicator == "enterprises":
        rows = Enterprise.objects.for_user(user).values("district__code").annotate(v=Count("pk"))
    elif indicator in ("above_size", "gross_output", "tax", "output_per_mu"):
        used_year = year or latest_fact_year(user)
        facts = EnterpriseYearFact.objects.for_user(user).filter(year=used_year).values("enterprise__district__code")
        if indicator == "above_size":
            rows = facts.filter(above_size=True).annotate(v=Count("pk"))
        elif indicator == "gross_output":
            rows, scale = facts.annotate(v=Sum("gross_output_cny")), 1e-8
        elif indicator == "tax":
            rows, scale = facts.annotate(v=Sum("tax_paid_cny")), 1e-8
        else:
            per_mu = facts.filter(land_area_mu__gt=0).annotate(out=Sum("gross_output_cny"), mu=Sum("land_area_mu"))
            rows = [
                {"enterprise__district__code": r["enterprise__district__code"], "v": r["out"] / r["mu"] / 10**4}
                for r in per_mu
                if r["mu"]
            ]
    elif indicator == "grade_a_share":
        used_year = year or latest_grade_year(user)
        rows = (
            LandEfficiencyGrade.objects.for_user(user)
            .filter(year=used_year)
            .values("enterprise__district__code")
            .annotate(n=Count("pk"), a=Count("pk", filter=Q(grade="A")))
        )
        for r in rows:
            values[r["enterprise__district__code"]] = round(100.0 * r["a"] / r["n"], 1) if r["n"] else None
        rows = []
    elif indicator == "parcels":
        rows = Parcel.objects.for_user(user).values("district__code").annotate(v=Count("pk"))
    elif indicator == "available_land":
        rows = (
            Parcel.objects.for_user(user)
            .filter(status=ParcelStatus.AVAILABLE)
            .values("district__code")
            .annotate(v=Sum("area_mu"))
        )
    else:  # parks
        rows = Park.objects.for_user(user).values("district__code").annotate(v=Count("pk"))
    for r in rows:
        code = r.get("district__code") or r.get("enterprise__district__code")
        values[code] = None if r["v"] is None else round(float(r["v"]) * scale, 2)
    return {
        "indicator": spec.code,
        "title": str(spec.label),
        "unit": str(spec.unit),
        "year": used_year,
        "values": [{"code": code, "value": value} for code, value in sorted(values.items()) if code],
        "indicators": [{"code": i.code, "label": str(i.label), "unit": str(i.unit)} for i in indicators_for(user)],
    }


# ---------------------------------------------------------------------------------------------- summaries


SUMMARY_KINDS = ("park", "area", "parcel", "project", "enterprise", "district")


def summary(*, user: Any, kind: str, pk: str) -> dict[str, Any] | None:
    """What the summary panel shows for a clicked feature (None when the row is not visible to the user).

    ``rows`` are (label, value) pairs already in the active language; enterprise-level figures only when the
    user may read them.
    """
    signed_in = bool(user and user.is_authenticated)
    if kind == "park":
        park = Park.objects.for_user(user).select_related("district").filter(pk=_int(pk)).first()
        if park is None:
            return None
        rows = [
            (_("Kind"), park.get_kind_display()),
            (_("District"), park.district.name_en if _en() else park.district.name_zh),
            (_("Area (km²)"), _f(park.area_km2, 2)),
            (_("Available land (mu)"), _f(park.available_land_mu)),
            (_("Available floor space (m²)"), _f(park.available_floor_m2, 0)),
            (_("Lead industries"), ", ".join(str(g) for g in park.lead_groups.all())),
        ]
        if signed_in:
            rows.append((_("Parcels"), Parcel.objects.for_user(user).filter(park=park).count()))
        return _card(park.name, rows, "land:park_detail", park.pk, signed_in, synthetic=park.synthetic)
    if kind == "area":
        area = StrategicArea.objects.for_user(user).filter(pk=_int(pk)).first()
        if area is None:
            return None
        rows = [
            (_("Kind"), area.get_kind_display()),
            (_("Area (km²)"), _f(area.area_km2, 1)),
            (_("Source"), area.source),
        ]
        return _card(area.name, rows, "land:strategicarea_detail", area.pk, signed_in, synthetic=area.synthetic)
    if kind == "parcel":
        parcel = Parcel.objects.for_user(user).select_related("district", "park").filter(pk=_int(pk)).first()
        if parcel is None:
            return None
        rows = [
            (_("Status"), parcel.get_status_display()),
            (_("District"), parcel.district.name_en if _en() else parcel.district.name_zh),
            (_("Park"), parcel.park.name if parcel.park_id else "—"),
            (_("Area (mu)"), _f(parcel.area_mu)),
            (_("Land-use class"), parcel.get_land_use_class_display()),
            (_("Floor-area ratio"), _f(parcel.floor_area_ratio)),
        ]
        if parcel.available_from:
            rows.append((_("Available from"), parcel.available_from.isoformat()))
        if signed_in:
            year = latest_land_use_year(user)
            uses = LandUse.objects.for_user(user).filter(parcel=parcel, year=year)
            visible = Enterprise.objects.for_user(user)
            if can(user, "enterprises.view_enterprise"):
                names = visible.filter(pk__in=uses.values("enterprise_id")).values_list("name_zh", "name_en")
                rows.append((_("Users (%(year)s)") % {"year": year}, ", ".join(_name(z, e) for z, e in names) or "—"))
            grade_year = latest_grade_year(user)
            if grade_year and can(user, "evaluations.view_landefficiencygrade"):
                grades = _grade_qs(user, grade_year).filter(
                    enterprise_id__in=LandUse.objects.filter(parcel=parcel, year=grade_year).values("enterprise_id")
                )
                worst = grades.aggregate(g=Max("grade"))["g"]
                if worst:
                    rows.append((_("Land-efficiency grade (%(year)s)") % {"year": grade_year}, worst))
        return _card(parcel.parcel_code, rows, "land:parcel_detail", parcel.pk, signed_in, synthetic=parcel.synthetic)
    if not signed_in:
        return None
    if kind == "project":
        project = KeyProject.objects.for_user(user).select_related("district", "investor").filter(pk=_int(pk)).first()
        if project is None:
            return None
        rows = [
            (_("Stage"), project.get_stage_display()),
            (_("District"), project.district.name_en if _en() else project.district.name_zh),
            (_("Park"), project.park or "—"),
            (_("Investor"), project.investor_display),
            (_("Total investment (100m CNY)"), _f(project.total_investment_cny / Decimal(10**8))),
        ]
        return _card(f"{project.code} {project.name}", rows, "projects:keyproject_detail", project.pk, True)
    if kind == "enterprise":
        enterprise = Enterprise.objects.for_user(user).select_related("district").filter(pk=_int(pk)).first()
        if enterprise is None:
            return None
        rows = [(_("District"), enterprise.district.name_en if _en() else enterprise.district.name_zh)]
        fact = EnterpriseYearFact.objects.for_user(user).filter(enterprise=enterprise).order_by("-year").first()
        if fact is not None:
            rows += [
                (_("Year"), fact.year),
                (_("Gross industrial output (100m CNY)"), _f(fact.gross_output_cny / Decimal(10**8), 3)),
                (_("Tax paid (100m CNY)"), _f(fact.tax_paid_cny / Decimal(10**8), 3)),
            ]
        grade = LandEfficiencyGrade.objects.for_user(user).filter(enterprise=enterprise).order_by("-year").first()
        if grade is not None:
            rows.append((_("Land-efficiency grade (%(year)s)") % {"year": grade.year}, grade.grade))
        return _card(str(enterprise), rows, "enterprises:enterprise_detail", enterprise.pk, True)
    if kind == "district":
        district = District.objects.filter(code=pk).first()
        if district is None:
            return None
        rows = [
            (_("Enterprises"), Enterprise.objects.for_user(user).filter(district=district).count()),
            (_("Parks"), Park.objects.for_user(user).filter(district=district).count()),
            (_("Industrial parcels"), Parcel.objects.for_user(user).filter(district=district).count()),
        ]
        return _card(
            district.name_en if _en() else district.name_zh, rows, "accounts:district_detail", district.pk, True
        )
    return None


def public_district_summary(code: str) -> dict[str, Any] | None:
    """The public's view of a district: parks and available land only."""
    district = District.objects.filter(code=code).first()
    if district is None:
        return None
    available = Parcel.objects.for_user(None).filter(district=district)
    rows = [
        (_("Parks"), Park.objects.for_user(None).filter(district=district).count()),
        (_("Available parcels"), available.count()),
        (_("Available land (mu)"), _f(available.aggregate(v=Sum("area_mu"))["v"])),
    ]
    return _card(district.name_en if _en() else district.name_zh, rows, "", 0, False)


def _int(value: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _card(
    title: str, rows: Iterable[tuple[Any, Any]], url_name: str, pk: int, with_link: bool, *, synthetic: bool = False
) -> dict[str, Any]:
    return {
        "title": title,
        "rows": [(str(label), "—" if value is None or value == "" else value) for label, value in rows],
        "url": _url(url_name, pk) if with_link and url_name else None,
        "synthetic": synthetic,
    }
