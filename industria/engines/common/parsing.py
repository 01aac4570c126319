"""Path-aware reading of already-loaded rule-set data (a YAML or JSON document as Python objects).

Every error names the field path, e.g. ``indicators[2].bands[1].gte: expected a number``, so a rule-set
author can find the mistake without reading Python.  No YAML here: callers load the file themselves.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

CODE_RE = re.compile(r"^[a-z][a-z0-9_]*$")
RULESET_CODE_RE = re.compile(r"^[a-z][a-z0-9-]*$")
SOURCE_TAGS = ("S", "M", "U")


class RulesError(ValueError):
    """A rule set failed validation; ``path`` names the offending field."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path or '<root>'}: {message}")
        self.path = path
        self.message = message


@dataclass(frozen=True)
class Node:
    """A value inside a rule-set document together with its field path."""

    value: Any
    path: str = ""

    def fail(self, message: str) -> RulesError:
        return RulesError(self.path, message)

    def _child_path(self, key: str | int) -> str:
        if isinstance(key, int):
            return f"{self.path}[{key}]"
        return f"{self.path}.{key}" if self.path else key

    # --- containers -------------------------------------------------------------------------
    def mapping(self, allowed: Iterable[str] | None = None, required: Iterable[str] = ()) -> Node:
        """Check this node is a mapping with string keys, only ``allowed`` keys and every ``required`` key."""
        if not isinstance(self.value, Mapping):
            raise self.fail(f"expected a mapping, got {_kind(self.value)}")
        for key in self.value:
            if not isinstance(key, str):
                raise self.fail(f"keys must be strings, got {key!r}")
        if allowed is not None:
            allowed_set = set(allowed)
            unknown = sorted(k for k in self.value if k not in allowed_set)
            if unknown:
                raise RulesError(
                    self._child_path(unknown[0]), f"unknown field (allowed: {', '.join(sorted(allowed_set))})"
                )
        for key in required:
            if key not in self.value:
                raise RulesError(self._child_path(key), "required field is missing")
        return self

    def has(self, key: str) -> bool:
        return isinstance(self.value, Mapping) and key in self.value and self.value[key] is not None

    def get(self, key: str) -> Node | None:
        """The child node, or None when the key is absent or null."""
        if not self.has(key):
            return None
        return Node(self.value[key], self._child_path(key))

    def req(self, key: str) -> Node:
        node = self.get(key)
        if node is None:
            raise RulesError(self._child_path(key), "required field is missing")
        return node

    def items(self) -> list[tuple[str, Node]]:
        self.mapping()
        return [(k, Node(v, self._child_path(k))) for k, v in self.value.items()]

    def as_list(self, min_items: int = 0) -> list[Node]:
        if not isinstance(self.value, list | tuple):
            raise self.fail(f"expected a list, got {_kind(self.value)}")
        if len(self.value) < min_items:
            raise self.fail(f"expected at least {min_items} item(s)")
        return [Node(v, self._child_path(i)) for i, v in enumerate(self.value)]

    # --- scalars ----------------------------------------------------------------------------
    def as_str(self) -> str:
        if not isinstance(self.value, str) or not self.value.strip():
            raise self.fail(f"expected a non-empty string, got {_kind(self.value)}")
        return self.value

    def as_code(self, pattern: re.Pattern[str] = CODE_RE) -> str:
        value = self.as_str()
        if not pattern.match(value):
            raise self.fail(f"expected a code matching {pattern.pattern}, got {value!r}")
        return value

    def as_number(self) -> Decimal:
        """A YAML int or float as an exact Decimal (floats go through their shortest repr: 0.05 -> 0.05)."""
        value = self.value
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
            raise self.fail(f"expected a number, got {_kind(value)}")
        try:
            result = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        except InvalidOperation as exc:  # pragma: no cover - repr of a float always parses
            raise self.fail("expected a number") from exc
        if not result.is_finite():
            raise self.fail("expected a finite number")
        return result

    def as_int(self) -> int:
        if isinstance(self.value, bool) or not isinstance(self.value, int):
            raise self.fail(f"expected an integer, got {_kind(self.value)}")
        return int(self.value)

    def as_bool(self) -> bool:
        if not isinstance(self.value, bool):
            raise self.fail(f"expected true or false, got {_kind(self.value)}")
        return self.value

    def as_date(self) -> date:
        value = self.value
        if isinstance(value, datetime):
            raise self.fail("expected a date (YYYY-MM-DD), got a date-time")
        if isinstance(value, date):
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value)
            except ValueError as exc:
                raise self.fail(f"expected a date (YYYY-MM-DD), got {value!r}") from exc
        raise self.fail(f"expected a date (YYYY-MM-DD), got {_kind(value)}")

    def as_str_list(self, min_items: int = 0) -> tuple[str, ...]:
        return tuple(n.as_str() for n in self.as_list(min_items))

    def as_code_list(self, min_items: int = 0) -> tuple[str, ...]:
        return tuple(n.as_code() for n in self.as_list(min_items))

    def as_text(self) -> dict[str, str]:
        """A title: either one string or a mapping of language code to string ({zh: …, en: …})."""
        if isinstance(self.value, str):
            return {"zh": self.as_str()}
        return {k: n.as_str() for k, n in self.items()}


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"a boolean ({value})"
    if isinstance(value, str):
        return f"a string ({value!r})"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, int | float | Decimal):
        return f"a number ({value})"
    return type(value).__name__


def decimal_places(value: Decimal) -> int:
    """Number of digits after the decimal point of an exact decimal (0 for integers)."""
    exponent = value.normalize().as_tuple().exponent
    assert isinstance(exponent, int)
    return max(0, -exponent)
