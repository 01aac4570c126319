"""HTMX conventions: one view serves the full page or the fragment."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse


def is_partial(request: HttpRequest) -> bool:
    """True when HTMX asks for a fragment (not a boosted full-page navigation)."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.boosted


def hx_redirect(url: str) -> HttpResponse:
    """Tell HTMX to navigate to ``url`` after a write."""
    response = HttpResponse(status=204)
    response["HX-Redirect"] = url
    return response
