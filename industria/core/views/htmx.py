"""HTMX conventions: one view serves the full page or the fragment."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse


def is_partial(request: HttpRequest) -> bool:
    """True when HTMX asks for a fragment (not a boosted navigation, not a history restore: those need pages)."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def hx_redirect(url: str) -> HttpResponse:
    """Tell HTMX to navigate to ``url`` after a write."""
    response = HttpResponse(status=204)
    response["HX-Redirect"] = url
    return response
