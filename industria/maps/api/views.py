"""GeoJSON layer endpoints of the industrial map (plain Django views: the body is written as text, fast).

``GET /api/maps/<layer>/?bbox=minLon,minLat,maxLon,maxLat&zoom=Z&district=&group=&status=&grade=&colour_by=``
returns ``application/geo+json`` (a FeatureCollection with the foreign members ``layer``, ``zoom``,
``truncated``, ``limit``, ``count``).  Bad parameters give problem+json 400 naming the field.  The anonymous
public may read parks, strategic areas and available parcels, and the public district indicators; the
projects and enterprises layers answer 403 to it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from industria.maps import selectors
from industria.maps.geojson import (
    ParamError,
    forbidden_response,
    parse_viewport,
    problem_response,
    respond,
)

Layer = Callable[..., str]
LAYERS: dict[str, tuple[Layer, bool]] = {
    # name: (selector, public)
    "parks": (selectors.park_layer, True),
    "areas": (selectors.strategic_area_layer, True),
    "parcels": (selectors.parcel_layer, True),
    "projects": (selectors.project_layer, False),
    "enterprises": (selectors.enterprise_layer, False),
}


def _user(request: HttpRequest) -> Any:
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


@require_GET
def layer(request: HttpRequest, name: str) -> HttpResponse:
    """One layer for the viewport."""
    selector, public = LAYERS[name]
    user = _user(request)
    if user is None and not public:
        return forbidden_response()
    try:
        viewport = parse_viewport(request.GET)
        filters = selectors.parse_filters(request.GET)
        body = selector(user=user, viewport=viewport, filters=filters)
    except ParamError as error:
        return problem_response(error)
    return respond(request, body, public=user is None)


@require_GET
def districts(request: HttpRequest) -> HttpResponse:
    """A district indicator for the choropleth (``indicator``, ``year``) as JSON."""
    import json

    user = _user(request)
    try:
        filters = selectors.parse_filters(request.GET)
        data = selectors.district_values(
            user=user, indicator=(request.GET.get("indicator") or "parcels").strip(), year=filters.year
        )
    except ParamError as error:
        return problem_response(error)
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return respond(request, body, content_type="application/json", public=user is None)
