"""What an investor asks for (``SiteCriteria``) and how candidates are weighed (``SiteSearchRules``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any

from industria.engines.common.parsing import Node, RulesError


@dataclass(frozen=True, kw_only=True)
class SiteCriteria:
    """An investor's requirements.  Only ``available_by`` is required; a blank criterion does not filter.

    Hard filters: the area range (mu), the buildable floor space (m², area × floor-area ratio), the minimum
    floor-area ratio and the date by which the land must be available.  Preferences (districts, parks, the
    industry group) only raise the score.
    """

    available_by: date
    min_area_mu: float | None = None
    max_area_mu: float | None = None
    min_floor_m2: float | None = None
    industry_group_code: str | None = None
    preferred_district_codes: tuple[str, ...] = ()
    preferred_park_ids: tuple[int, ...] = ()
    min_floor_area_ratio: float | None = None

    def __post_init__(self) -> None:
        # lists from a form or JSON become tuples (hashable, immutable); inconsistent bounds fail loudly
        object.__setattr__(self, "preferred_district_codes", tuple(self.preferred_district_codes or ()))
        object.__setattr__(self, "preferred_park_ids", tuple(int(p) for p in self.preferred_park_ids or ()))
        for name in ("min_area_mu", "max_area_mu", "min_floor_m2", "min_floor_area_ratio"):
            value = getattr(self, name)
            if value is not None and value < 0:
                raise RulesError(name, f"must not be negative, got {value!r}")
        if self.min_area_mu is not None and self.max_area_mu is not None and self.min_area_mu > self.max_area_mu:
            raise RulesError("max_area_mu", f"is below min_area_mu ({self.max_area_mu} < {self.min_area_mu})")

    @property
    def target_area_mu(self) -> float | None:
        """The area the ranking prefers among equal scores: the middle of the range, or its one bound."""
        if self.min_area_mu is not None and self.max_area_mu is not None:
            return (self.min_area_mu + self.max_area_mu) / 2
        return self.min_area_mu if self.min_area_mu is not None else self.max_area_mu

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready (e.g. for ``SavedSiteSearch.criteria``); ``parse_criteria`` reads it back."""
        out: dict[str, Any] = {f.name: getattr(self, f.name) for f in fields(self)}
        out["available_by"] = self.available_by.isoformat()
        out["preferred_district_codes"] = list(self.preferred_district_codes)
        out["preferred_park_ids"] = list(self.preferred_park_ids)
        return out


def parse_criteria(raw: Mapping[str, Any]) -> SiteCriteria:
    """``SiteCriteria`` from a JSON-like mapping; ``RulesError`` names the offending field."""
    root = Node(raw).mapping(allowed=[f.name for f in fields(SiteCriteria)], required=("available_by",))
    values: dict[str, Any] = {"available_by": root.req("available_by").as_date()}
    for name in ("min_area_mu", "max_area_mu", "min_floor_m2", "min_floor_area_ratio"):
        node = root.get(name)
        if node is not None:
            values[name] = float(node.as_number())
    if (node := root.get("industry_group_code")) is not None:
        values["industry_group_code"] = node.as_str()
    if (node := root.get("preferred_district_codes")) is not None:
        values["preferred_district_codes"] = node.as_str_list()
    if (node := root.get("preferred_park_ids")) is not None:
        items = node.value if isinstance(node.value, list) else None
        if items is None or not all(isinstance(i, int) and not isinstance(i, bool) for i in items):
            raise node.fail("expected a list of park ids")
        values["preferred_park_ids"] = tuple(items)
    return SiteCriteria(**values)


@dataclass(frozen=True)
class SiteSearchRules:
    """Weights of the soft scores (relative; the score is 100 × the weighted share met) and the neighbourhood.

    A weight counts only when its criterion is given (no industry group: neither the industry match nor the
    chain counts), so a candidate meeting every active preference scores 100.  All values are design choices
    [U], configurable: see docs/engines/site_search.md.
    """

    weight_industry_match: float = 30.0
    weight_preferred_district: float = 15.0
    weight_preferred_park: float = 15.0
    weight_park_efficiency: float = 20.0
    weight_chain_nearby: float = 20.0
    nearby_radius_km: float = 3.0
    chain_saturation_count: int = 10
    include_parcels: bool = True
    include_parks: bool = True
    sources: Mapping[str, str] = field(
        default_factory=lambda: {
            "weights": "U: design choice, no published scheme for site matching",
            "nearby_radius_km": "U: about a 10-minute drive inside a Shanghai industrial area",
            "chain_saturation_count": "U: design choice",
        }
    )

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name.startswith("weight_") and value < 0:
                raise RulesError(f.name, f"must not be negative, got {value!r}")
        if self.nearby_radius_km <= 0:
            raise RulesError("nearby_radius_km", f"must be positive, got {self.nearby_radius_km!r}")
        if self.chain_saturation_count < 1:
            raise RulesError("chain_saturation_count", f"must be at least 1, got {self.chain_saturation_count!r}")
