"""What leaves the land app as text or spreadsheets: the site-search reasons rendered in the user's language,
the investor workbook (criteria sheet + ranked results with reasons) and the inefficient-land list."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from industria.accounts.models import District
from industria.core.exports import XLSX, export_filename
from industria.enterprises.models import IndustryGroup

from .choices import InefficiencyKind
from .models import Park

# the engine's stable reason codes → the sentence shown to the user (params are pre-formatted strings)
REASON_TEXTS: dict[str, dict[str, Any]] = {
    "available": {
        "parcel": gettext_lazy("Available by %(available_by)s (available from %(available_from)s)"),
        "park": gettext_lazy("The park offers %(available_land_mu)s mu of land and %(available_floor_m2)s m² of floor"),
    },
    "area_in_range": {
        "parcel": gettext_lazy("Area %(area_mu)s mu is within the requested %(range)s"),
        "park": gettext_lazy("Available land %(area_mu)s mu covers the requested %(range)s"),
    },
    "floor_space": {"*": gettext_lazy("Buildable floor %(floor_m2)s m² ≥ the requested %(min_floor_m2)s m²")},
    "far_ok": {"*": gettext_lazy("Floor-area ratio %(floor_area_ratio)s ≥ the requested %(min_floor_area_ratio)s")},
    "preferred_district": {"*": gettext_lazy("In a preferred district: %(district)s")},
    "preferred_park": {"*": gettext_lazy("In a preferred park: %(park)s")},
    "park_leads_group": {"*": gettext_lazy("%(park)s leads the industry %(group)s")},
    "park_efficiency": {
        "*": gettext_lazy(
            "%(park)s produces %(output_wan_per_mu)s 10k CNY per mu, better than %(percentile)s%% of the parks"
        )
    },
    "chain_nearby": {"*": gettext_lazy("%(count)s enterprises of the same industry chain within %(radius_km)s km")},
}


def _fmt(value: Any, digits: int = 0) -> str:
    if value is None:
        return "—"
    if isinstance(value, (int, float)):
        return f"{value:,.{digits}f}"
    return str(value)


class ReasonRenderer:
    """Renders reason codes with their params; names of districts, parks and groups are looked up once."""

    def __init__(self, reasons: Iterable[Any]):
        reasons = list(reasons)
        district_codes = {r.params.get("district_code") for r in reasons if r.params.get("district_code")}
        park_ids = {r.params.get("park_id") for r in reasons if r.params.get("park_id")}
        group_codes = {r.params.get("group_code") for r in reasons if r.params.get("group_code")}
        self.districts = {d.code: str(d) for d in District.objects.filter(code__in=district_codes)}
        self.parks = {p.pk: str(p) for p in Park.objects.filter(pk__in=park_ids)}
        self.groups = {
            g.code: str(g) for g in IndustryGroup.objects.filter(code__in=group_codes, system__is_current=True)
        }

    def text(self, code: str, params: dict[str, Any], kind: str = "parcel") -> str:
        texts = REASON_TEXTS.get(code)
        if texts is None:
            return code
        template = texts.get(kind) or texts.get("*") or next(iter(texts.values()))
        low, high = params.get("min_area_mu"), params.get("max_area_mu")
        if low is not None and high is not None:
            area_range = _("%(low)s–%(high)s mu") % {"low": _fmt(low, 1), "high": _fmt(high, 1)}
        elif low is not None:
            area_range = _("at least %(low)s mu") % {"low": _fmt(low, 1)}
        else:
            area_range = _("at most %(high)s mu") % {"high": _fmt(high, 1)}
        output = params.get("output_cny_per_mu")
        values = {
            "available_by": params.get("available_by") or "—",
            "available_from": params.get("available_from") or _("now"),
            "available_land_mu": _fmt(params.get("available_land_mu"), 1),
            "available_floor_m2": _fmt(params.get("available_floor_m2")),
            "area_mu": _fmt(params.get("area_mu"), 1),
            "range": area_range,
            "floor_m2": _fmt(params.get("floor_m2")),
            "min_floor_m2": _fmt(params.get("min_floor_m2")),
            "floor_area_ratio": _fmt(params.get("floor_area_ratio"), 2),
            "min_floor_area_ratio": _fmt(params.get("min_floor_area_ratio"), 2),
            "district": self.districts.get(params.get("district_code"), params.get("district_code") or "—"),
            "park": self.parks.get(params.get("park_id"), params.get("park_id") or "—"),
            "group": self.groups.get(params.get("group_code"), params.get("group_code") or "—"),
            "output_wan_per_mu": _fmt(output / 10_000 if output is not None else None, 1),
            "percentile": _fmt(params.get("percentile"), 0),
            "count": _fmt(params.get("count")),
            "radius_km": _fmt(params.get("radius_km"), 1),
        }
        try:
            return str(template) % values
        except (KeyError, TypeError, ValueError):
            return str(template)


def _workbook_response(stem: str, sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[Any]]]]) -> HttpResponse:
    import xlsxwriter

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    bold = workbook.add_format({"bold": True})
    for name, headers, rows in sheets:
        sheet = workbook.add_worksheet(name[:31])
        sheet.write_row(0, 0, list(headers), bold)
        for r, row in enumerate(rows, start=1):
            sheet.write_row(r, 0, [_cell(v) for v in row])
        sheet.set_column(0, len(headers) - 1, 18)
    workbook.close()
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{export_filename(stem)}.xlsx"'
    return response


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if hasattr(value, "as_tuple"):
        return float(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, (int, float, str)):
        return value
    return str(value)


def site_search_workbook(*, criteria_rows: Sequence[tuple[str, Any]], results: Sequence[Any]) -> HttpResponse:
    """The workbook handed to an investor: the requirements, then the ranked candidates with their reasons."""
    renderer = ReasonRenderer(reason for result in results for reason in result.reasons)
    headers = [
        _("Rank"),
        _("Score"),
        _("Kind"),
        _("Parcel or park"),
        _("District"),
        _("Park"),
        _("Area (mu)"),
        _("Floor-area ratio"),
        _("Buildable floor (m²)"),
        _("Available from"),
        _("Reasons"),
    ]
    rows = []
    for result in results:
        obj = result.obj
        rows.append(
            [
                result.rank,
                result.score,
                _("Parcel") if result.kind == "parcel" else _("Park"),
                result.label,
                obj.district if obj is not None else "",
                obj.park if obj is not None else "",
                obj.area_mu if obj is not None else None,
                obj.floor_area_ratio if obj is not None else None,
                obj.buildable_floor_m2 if obj is not None else None,
                obj.available_from if obj is not None else None,
                "\n".join(renderer.text(r.code, r.params, result.kind) for r in result.reasons),
            ]
        )
    return _workbook_response(
        "site-search",
        [
            (_("Criteria"), [_("Criterion"), _("Value")], criteria_rows),
            (_("Results"), headers, rows),
        ],
    )


def inefficient_workbook(listed: Sequence[Any]) -> HttpResponse:
    """The inefficient-land list as shown (after filters and scope), one row per parcel."""
    labels = dict(InefficiencyKind.choices)
    headers = [
        _("Parcel id"),
        _("District"),
        _("Park"),
        _("Status"),
        _("Area (mu)"),
        _("Primary kind"),
        _("All kinds"),
        _("Open actions"),
    ]
    rows = (
        [
            row.parcel.parcel_code,
            str(row.parcel.district),
            str(row.parcel.park) if row.parcel.park_id else "",
            str(row.parcel.get_status_display()),
            row.parcel.area_mu,
            str(labels.get(row.primary_kind, row.primary_kind)),
            "; ".join(str(labels.get(k, k)) for k in row.kinds),
            "; ".join(str(a.get_kind_display()) for a in row.open_actions),
        ]
        for row in listed
    )
    return _workbook_response("inefficient-land", [(_("Inefficient land"), headers, rows)])
