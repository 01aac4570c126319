"""Field validators of the registry.  The set-based (Polars) USCC check for bulk import is in engines.common."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.cn import uscc as stdnum_uscc

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def validate_uscc(value: str) -> None:
    """Check a Unified Social Credit Code and say exactly what is wrong: length, a bad character, or the check digit."""
    code = (value or "").strip().upper()
    if len(code) != 18:
        raise ValidationError(
            _("A credit code has 18 characters; this one has %(n)d."), code="uscc_length", params={"n": len(code)}
        )
    for position, char in enumerate(code, start=1):
        if char not in USCC_ALPHABET:
            raise ValidationError(
                _(
                    "Character %(position)d of the credit code (“%(char)s”) is not allowed (I, O, S, V and Z never occur)."  # noqa: E501
                ),
                code="uscc_character",
                params={"position": position, "char": char},
            )
    expected = stdnum_uscc.calc_check_digit(code[:17])
    if code[17] != expected:
        raise ValidationError(
            _("The check digit of the credit code is wrong: it is “%(got)s”, it should be “%(expected)s”."),
            code="uscc_check_digit",
            params={"got": code[17], "expected": expected},
        )
