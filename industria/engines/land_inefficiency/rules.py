"""Thresholds of the inefficient-land classification, each with its evidence tag and source.

The five types of inefficient land (批而未供、供而未用、用而未尽、建而未投、投而未达标, Huzhou/Zhejiang practice,
docs/reference domain rules §3.3) are named in policy texts but their cut-offs are set locally and were not
retrieved, except the one-year rule for idle land (闲置土地处置办法).  So every value is data: a ``Threshold`` with
its ``Source`` (S confirmed, M from memory, U placeholder), overridable with ``parse_rules`` so that a district can
configure its own cut-offs without code.  See docs/engines/land_inefficiency.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

from industria.engines.common.parsing import Node, RulesError
from industria.engines.common.sources import Source, parse_source

# InefficiencyKind values of the land app, in the fixed order of ``kinds`` (the life cycle, then grade, status)
KIND_ORDER: tuple[str, ...] = (
    "approved_not_supplied",
    "supplied_not_used",
    "used_not_fully",
    "built_not_producing",
    "below_standard",
    "grade_d",
    "idle",
)

_FIVE_TYPES = Source(
    tag="U",
    document_no=None,
    urls=(),
    note="five types of inefficient land named in Zhejiang/Huzhou practice; local cut-off not retrieved",
)


@dataclass(frozen=True)
class Threshold:
    """One rule value with its evidence.  ``uncertain`` values (tag U) are placeholders meant to be configured."""

    value: Any
    source: Source

    @property
    def uncertain(self) -> bool:
        return self.source.tag == "U"

    def as_dict(self) -> dict[str, Any]:
        value = list(self.value) if isinstance(self.value, tuple) else self.value
        return {"value": value, "source": self.source.as_dict()}


@dataclass(frozen=True)
class InefficiencyRules:
    """The cut-offs of each kind.  Day counts are "at least N days elapsed" (满 N 天): ``as_of - date >= N``."""

    approved_not_supplied_days: Threshold = Threshold(730, replace(_FIVE_TYPES, note="批而未供: placeholder"))
    supplied_not_used_days: Threshold = Threshold(
        365,
        Source(
            tag="M",
            document_no="国土资源部令第53号 (闲置土地处置办法, 2012) 第二条",
            note="idle when construction has not started one full year after the agreed start date; "
            "simplified here to one year after the transfer",
        ),
    )
    used_not_fully_share: Threshold = Threshold(
        0.5, replace(_FIVE_TYPES, note="用而未尽: developed share below the threshold")
    )
    built_not_producing_days: Threshold = Threshold(365, replace(_FIVE_TYPES, note="建而未投: placeholder"))
    below_standard_ratio: Threshold = Threshold(
        1.0, replace(_FIVE_TYPES, note="投而未达标: actual per mu below the agreed 标准地 clause × ratio")
    )
    below_standard_ramp_up_years: Threshold = Threshold(
        3, replace(_FIVE_TYPES, note="years from the start of production before the clauses are enforced")
    )
    grade_d_grades: Threshold = Threshold(
        ("D",),
        Source(
            tag="S",
            note="Shanghai 2024 campaign: D-grade land is taken back, banked or reduced (domain rules §3.4)",
            urls=("http://www.dingqianjf.com/news/show/00b1897ca3a0cc3b.html",),
        ),
    )
    idle_statuses: Threshold = Threshold(("idle",), Source(tag="S", note="the parcel's recorded status"))

    def as_dict(self) -> dict[str, dict[str, Any]]:
        """Every threshold with its source, for the UI and the explanation."""
        return {f.name: getattr(self, f.name).as_dict() for f in fields(self)}


DEFAULT_RULES = InefficiencyRules()

_KINDS = {
    "approved_not_supplied_days": "int",
    "supplied_not_used_days": "int",
    "used_not_fully_share": "share",
    "built_not_producing_days": "int",
    "below_standard_ratio": "positive",
    "below_standard_ramp_up_years": "int",
    "grade_d_grades": "codes",
    "idle_statuses": "codes",
}


def parse_rules(raw: Mapping[str, Any], *, base: InefficiencyRules = DEFAULT_RULES) -> InefficiencyRules:
    """Overrides of the defaults: ``{name: value}`` or ``{name: {value, source: {tag, document_no?, url?, note?}}}``.

    Unknown names, wrong types and out-of-range values raise ``RulesError`` with the field path.  A value
    overridden without a source keeps the default's source with tag ``U`` (a local choice, not verified).
    """
    root = Node(raw).mapping(allowed=_KINDS)
    changes: dict[str, Threshold] = {}
    for name, kind in _KINDS.items():
        node = root.get(name)
        if node is None:
            continue
        default: Threshold = getattr(base, name)
        source = replace(default.source, tag="U")
        if isinstance(node.value, Mapping):
            node.mapping(allowed=("value", "source"), required=("value",))
            source = parse_source(node.get("source"), source)
            node = node.req("value")
        changes[name] = Threshold(_value(node, kind), source)
    return replace(base, **changes)


def _value(node: Node, kind: str) -> Any:
    value = node.value
    if kind == "codes":
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise node.fail("expected a code or a list of codes")
        return tuple(value)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise node.fail(f"expected a number, got {value!r}")
    if kind == "int":
        if int(value) != value or value < 0:
            raise node.fail(f"expected a whole number ≥ 0, got {value!r}")
        return int(value)
    if kind == "share" and not 0 <= value <= 1:
        raise node.fail(f"expected a share between 0 and 1, got {value!r}")
    if kind == "positive" and value <= 0:
        raise node.fail(f"expected a number > 0, got {value!r}")
    return float(value)


__all__ = ["DEFAULT_RULES", "KIND_ORDER", "InefficiencyRules", "RulesError", "Threshold", "parse_rules"]
