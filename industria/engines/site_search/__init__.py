"""Investor site search (投资选址): rank available parcels and parks against an investor's requirements.

Hard filters (status, availability date, area range, buildable floor space, floor-area ratio) remove what cannot
serve; soft scores (the park leads the investor's industry group, preferred districts and parks, the park's output
per mu percentile, enterprises of the same chain nearby) order the rest; every candidate lists its reasons as
stable codes with JSON parameters for the UI to translate.  Nearby counts are grid-binned (no cross join), so
50,000 parcels are searched in milliseconds.  Pure: Polars and the stdlib.  Method: docs/engines/site_search.md.
"""

from industria.engines.site_search.criteria import SiteCriteria, SiteSearchRules, parse_criteria
from industria.engines.site_search.nearby import count_within
from industria.engines.site_search.search import (
    CHAIN_SCHEMA,
    ENGINE_VERSION,
    PARCELS_SCHEMA,
    PARKS_SCHEMA,
    REASON_CODES,
    REASON_DTYPE,
    RESULT_SCHEMA,
    search_sites,
)

__all__ = [
    "CHAIN_SCHEMA",
    "ENGINE_VERSION",
    "PARCELS_SCHEMA",
    "PARKS_SCHEMA",
    "REASON_CODES",
    "REASON_DTYPE",
    "RESULT_SCHEMA",
    "SiteCriteria",
    "SiteSearchRules",
    "count_within",
    "parse_criteria",
    "search_sites",
]
