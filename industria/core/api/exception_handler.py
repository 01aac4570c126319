"""Errors as ``application/problem+json`` (RFC 9457) with a stable ``code`` and a localized message.

Shape: ``{type, title, status, code, detail, params, errors: [{field, code, message}]}``.  The language is
chosen by ``Accept-Language`` (LocaleMiddleware), so the same error reads in Chinese or English.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from industria.core.exceptions import DomainError

PROBLEM = "application/problem+json"


def _flatten(detail: Any, prefix: str = "") -> list[dict[str, str]]:
    """DRF's nested error detail → a flat list of {field, code, message}."""
    out: list[dict[str, str]] = []
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = key if key != "non_field_errors" else ""
            out.extend(_flatten(value, f"{prefix}.{name}" if prefix and name else (name or prefix)))
    elif isinstance(detail, list):
        for i, value in enumerate(detail):
            if isinstance(value, (dict, list)) and not isinstance(value, exceptions.ErrorDetail):
                out.extend(_flatten(value, f"{prefix}[{i}]" if prefix else f"[{i}]"))
            else:
                out.extend(_flatten(value, prefix))
    else:
        out.append({"field": prefix, "code": getattr(detail, "code", "invalid") or "invalid", "message": str(detail)})
    return out


def problem(status_code: int, code: str, title: str, detail: str, **extra: Any) -> Response:
    """A problem+json response."""
    body = {
        "type": f"urn:industria:error:{code}",
        "title": title,
        "status": status_code,
        "code": code,
        "detail": detail,
        **extra,
    }
    return Response(body, status=status_code, content_type=PROBLEM)


def problem_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF exception handler: every error becomes problem+json; nothing escapes as a 500 page."""
    if isinstance(exc, DomainError):
        return problem(exc.http_status, exc.code, _("The request was refused."), str(exc), params=exc.params)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(detail=getattr(exc, "message_dict", None) or exc.messages)
    if isinstance(exc, Http404):
        return problem(404, "not_found", _("Not found."), _("No such record, or it is outside your scope."))
    if isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
        detail = "; ".join(f"{e['field']}: {e['message']}" if e["field"] else e["message"] for e in errors)
        return problem(status.HTTP_400_BAD_REQUEST, "invalid", _("The input is not valid."), detail, errors=errors)
    code = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
    code = code if isinstance(code, str) else "error"
    detail = response.data.get("detail", "") if isinstance(response.data, dict) else str(response.data)
    titles = {
        401: _("Authentication required."),
        403: _("Permission denied."),
        404: _("Not found."),
        405: _("Method not allowed."),
        429: _("Too many requests."),
    }
    result = problem(
        response.status_code, code, str(titles.get(response.status_code, _("Request failed."))), str(detail)
    )
    for header in ("WWW-Authenticate", "Retry-After", "Allow"):
        if header in response:
            result[header] = response[header]
    return result
