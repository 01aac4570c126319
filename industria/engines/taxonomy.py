"""Resolution of the GB/T 4754 → industrial-system mapping (fixtures/reference/industry/default-industry-mapping.yaml).

For an industry code and a kind, the rules of that kind whose ``industry_code`` is a prefix of the code (``exact``
rules: equal to it) are collected and only those at the longest matching ``industry_code`` are kept. Kinds are
resolved independently; the kind of a group is the prefix of its code (``lead-ic`` -> leading_industry).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import polars as pl

KIND_BY_PREFIX = {
    "trans": "transformation",
    "lead": "leading_industry",
    "cluster": "key_cluster",
    "track": "new_track",
    "future": "future_industry",
}

RESOLVED_SCHEMA = {
    "industry_code": pl.String,
    "group_code": pl.String,
    "kind": pl.String,
    "weight": pl.Float64,
    "primary": pl.Boolean,
}


def group_kind(group_code: str) -> str:
    """Kind of a group from its code prefix; raises ValueError for an unknown prefix."""
    prefix = group_code.split("-", 1)[0]
    try:
        return KIND_BY_PREFIX[prefix]
    except KeyError:
        raise ValueError(f"group code {group_code!r}: unknown kind prefix {prefix!r}") from None


def mapping_rules(mapping: pl.DataFrame | Iterable[Mapping[str, Any]] | None) -> list[dict[str, Any]]:
    """Normalise mapping rules (a frame or the YAML ``rules`` list) to dicts; validates the fields."""
    if mapping is None:
        return []
    rows = mapping.to_dicts() if isinstance(mapping, pl.DataFrame) else [dict(r) for r in mapping]
    rules = []
    for i, row in enumerate(rows):
        try:
            code = str(row["industry_code"])
            group = str(row["group_code"])
            weight = float(row.get("weight", 1.0))
        except KeyError as exc:
            raise ValueError(f"mapping rule {i}: missing field {exc.args[0]!r}") from None
        if not code.isdigit() or not 2 <= len(code) <= 4:
            raise ValueError(f"mapping rule {i}: industry_code {code!r} is not a 2-4 digit GB/T 4754 code")
        if not 0.0 <= weight <= 1.0:
            raise ValueError(f"mapping rule {i}: weight {weight} outside [0, 1]")
        rules.append(
            {
                "industry_code": code,
                "group_code": group,
                "kind": group_kind(group),
                "weight": weight,
                "primary": bool(row.get("primary", False)),
                "exact": bool(row.get("exact", False)),
            }
        )
    return rules


def resolve_groups(
    industry_codes: Sequence[str], mapping: pl.DataFrame | Iterable[Mapping[str, Any]] | None
) -> pl.DataFrame:
    """One row per (industry code, group) that applies, with kind, weight and primary flag.

    Loops run over the distinct codes of the reference data, not over enterprises.
    """
    rules = mapping_rules(mapping)
    out: list[dict[str, Any]] = []
    for code in sorted(set(industry_codes)):
        by_kind: dict[str, list[dict[str, Any]]] = {}
        for rule in rules:
            rc = rule["industry_code"]
            if (rule["exact"] and rc == code) or (not rule["exact"] and code.startswith(rc)):
                by_kind.setdefault(rule["kind"], []).append(rule)
        for kind, matched in by_kind.items():
            longest = max(len(r["industry_code"]) for r in matched)
            for r in matched:
                if len(r["industry_code"]) == longest:
                    out.append(
                        {
                            "industry_code": code,
                            "group_code": r["group_code"],
                            "kind": kind,
                            "weight": r["weight"],
                            "primary": r["primary"],
                        }
                    )
    return pl.DataFrame(out, schema=RESOLVED_SCHEMA)
