"""Map pages: the industrial map (signed in), the public map (anonymous allowed) and the summary fragment.

The page carries its configuration (endpoints, layers, labels in the active language) in a json_script block;
``static/js/industrial-map.js`` draws it (CSP: no inline script).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import View

from industria.accounts.models import District
from industria.enterprises.models import IndustryGroup
from industria.land.choices import ParcelStatus
from industria.maps import selectors
from industria.projects.choices import ProjectStage


def _user(request: HttpRequest) -> Any:
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def map_config(request: HttpRequest, *, public: bool) -> dict[str, Any]:
    """What industrial-map.js needs: endpoints, layers, indicators and every label in the active language."""
    user = None if public else _user(request)
    layers = [
        ("districts", _("District indicator"), True),
        ("areas", _("Strategic areas"), True),
        ("parks", _("Parks"), True),
        ("parcels", _("Parcels"), True),
    ]
    if user is not None:
        layers += [("projects", _("Key projects"), False), ("enterprises", _("Enterprises"), False)]
    endpoints = {name: reverse(f"maps-api:{name}") for name, _label, _on in layers}
    show_grades = user is not None and selectors.can(user, "evaluations.view_landefficiencygrade")
    return {
        "public": public,
        "lang": "en" if (get_language() or "").startswith("en") else "zh",
        "geojson": static("vendor/shanghai-districts.geojson"),
        "endpoints": endpoints,
        "summary_url": reverse("maps:summary_public" if public else "maps:summary", args=["KIND", "PK"]),
        "layers": [{"id": name, "label": str(label), "on": on} for name, label, on in layers],
        "indicators": [
            {"code": i.code, "label": str(i.label), "unit": str(i.unit)} for i in selectors.indicators_for(user)
        ],
        "default_indicator": "available_land" if public else "enterprises",
        "polygon_zoom": selectors.PARCEL_POLYGON_ZOOM,
        "grades": list(selectors.GRADES) if show_grades else [],
        "statuses": [{"code": c, "label": str(label)} for c, label in ParcelStatus.choices],
        "stages": [{"code": c, "label": str(label)} for c, label in ProjectStage.choices],
        "labels": {
            "no_data": _("No data"),
            "truncated": _("Showing the first %(n)s features: zoom in to see all."),
            "cluster": _("%(n)s enterprises"),
            "grade": _("Grade"),
            "status": _("Status"),
            "stage": _("Stage"),
            "parks": _("Parks"),
            "areas": _("Strategic areas (schematic)"),
            "loading": _("Loading…"),
            "error": _("The layer could not be loaded."),
            "points_note": _("Parcels are drawn as points below zoom %(zoom)s.")
            % {"zoom": selectors.PARCEL_POLYGON_ZOOM},
        },
    }


def _context(request: HttpRequest, *, public: bool) -> dict[str, Any]:
    user = None if public else _user(request)
    en = (get_language() or "").startswith("en")
    return {
        "public": public,
        "config": map_config(request, public=public),
        "districts": [(d.code, d.name_en if en else d.name_zh) for d in District.objects.order_by("code")],
        "groups": []
        if user is None
        else [(g.pk, g.name) for g in IndustryGroup.objects.filter(system__is_current=True).order_by("sort_order")],
        "statuses": ParcelStatus.choices,
        "grades": map_config_grades(user),
        "indicators": selectors.indicators_for(user),
    }


def map_config_grades(user: Any) -> list[str]:
    return (
        list(selectors.GRADES)
        if user is not None and selectors.can(user, "evaluations.view_landefficiencygrade")
        else []
    )


class MapView(LoginRequiredMixin, View):
    """The industrial map for signed-in users: every layer their role and scope allow."""

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "maps/map.html", _context(request, public=False))


class PublicMapView(View):
    """The public map: parks, strategic areas and available land; no enterprise-level figures."""

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "maps/map.html", _context(request, public=True))


class SummaryView(View):
    """The summary panel of a clicked feature (an HTML fragment loaded with htmx)."""

    public = False

    def get(self, request: HttpRequest, kind: str, pk: str) -> HttpResponse:
        if kind not in selectors.SUMMARY_KINDS:
            raise Http404
        user = None if self.public else _user(request)
        if user is None and kind == "district":
            card = selectors.public_district_summary(pk)
        else:
            card = selectors.summary(user=user, kind=kind, pk=pk)
        if card is None:
            raise Http404
        return render(request, "maps/partials/_summary.html", {"card": card, "kind": kind})
