"""Domain errors with stable codes.  The UI shows them as form errors; the API as problem+json."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """A business rule refused the operation.  ``code`` is stable; ``message`` is translatable with ``params``."""

    code = "domain_error"
    default_message = _("The operation is not allowed.")
    http_status = 400

    def __init__(self, message: Any = None, *, params: dict[str, Any] | None = None, code: str | None = None):
        self.params = params or {}
        if code:
            self.code = code
        self.message = message if message is not None else self.default_message
        super().__init__(str(self))

    def __str__(self) -> str:
        try:
            return str(self.message) % self.params if self.params else str(self.message)
        except (KeyError, TypeError, ValueError):
            return str(self.message)


class OutOfScope(DomainError):
    """The object lies outside the acting user's district or enterprise."""

    code = "out_of_scope"
    default_message = _("This record is outside your scope.")
    http_status = 403


class ConflictError(DomainError):
    """The operation conflicts with the current state of the object."""

    code = "conflict"
    default_message = _("The record changed meanwhile; reload and try again.")
    http_status = 409
