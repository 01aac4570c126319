"""Template filters of the projects pages: money in 亿元 / 万元, colour classes."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

register = template.Library()


@register.filter
def yi(value: Any) -> str:
    """CNY → 亿元 (CNY 100 million) with two decimals; empty for nothing."""
    if value in (None, ""):
        return ""
    return f"{Decimal(str(value)) / Decimal(100_000_000):,.2f}"


@register.filter
def wan(value: Any) -> str:
    """CNY → 万元 (CNY 10 thousand), whole numbers."""
    if value in (None, ""):
        return ""
    return f"{Decimal(str(value)) / Decimal(10_000):,.0f}"


@register.filter
def status_class(colour: Any) -> str:
    """The CSS class of a warning or ranking colour (the site's green/amber/red/grey badges)."""
    return {"green": "status-green", "yellow": "status-amber", "red": "status-red", "blue": "status-blue"}.get(
        str(colour), "status-grey"
    )


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    return mapping.get(key) if hasattr(mapping, "get") else None
