"""Reads of the land app: scoped querysets, and the read models (Polars frames) the land engines take.

Split by capability: ``registry`` (parks, strategic areas, parcels and their pages), ``frames`` (set-based
reads of tables into frames), ``density`` (economic density), ``inefficiency`` (the inefficient-land list and
the revitalisation progress) and ``sitesearch`` (the investor site search).
"""

from .density import density_table, density_trend, may_see_enterprise_figures
from .inefficiency import inefficiency_rules, inefficient_parcels, revitalisation_progress
from .registry import (
    parcel_land_uses,
    parcel_list,
    parcel_summary,
    park_available_parcels,
    park_list,
    strategic_area_list,
)
from .sitesearch import SiteResult, site_search

__all__ = [
    "SiteResult",
    "density_table",
    "density_trend",
    "inefficiency_rules",
    "inefficient_parcels",
    "may_see_enterprise_figures",
    "park_available_parcels",
    "park_list",
    "parcel_land_uses",
    "parcel_list",
    "parcel_summary",
    "revitalisation_progress",
    "site_search",
    "strategic_area_list",
]
