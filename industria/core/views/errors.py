"""Error pages: problem+json under /api/, a friendly localized page elsewhere; never a traceback."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def _respond(request: HttpRequest, status: int, code: str, title: str, detail: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        body = {"type": f"urn:industria:error:{code}", "title": title, "status": status, "code": code, "detail": detail}
        return JsonResponse(
            body, status=status, content_type="application/problem+json", json_dumps_params={"ensure_ascii": False}
        )
    return render(request, "error.html", {"status": status, "title": title, "detail": detail}, status=status)


def bad_request(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _respond(request, 400, "bad_request", _("Bad request."), _("The request could not be understood."))


def permission_denied(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _respond(
        request,
        403,
        "permission_denied",
        _("Permission denied."),
        _("Your role does not allow this. Ask an administrator if you need it."),
    )


def page_not_found(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _respond(
        request, 404, "not_found", _("Not found."), _("No such page or record, or it is outside your scope.")
    )


def server_error(request: HttpRequest) -> HttpResponse:
    return _respond(
        request,
        500,
        "server_error",
        _("Something went wrong on our side."),
        _("The error has been logged. Nothing you entered was half-saved; please try again later."),
    )
