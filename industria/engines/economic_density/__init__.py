"""Economic density of industrial land (地均产出): output and tax per mu and per km² by parcel, park or district and
year, with the grade mix of the enterprises on the land and the trend, against Shanghai's published benchmarks.

An enterprise's output and tax of a year are allocated to the parcels it uses that year pro rata by used area (the
whole parcel when the used area is blank); the denominator of a unit is all its land, idle parcels included.  Pure:
Polars and the stdlib.  Method and sources: docs/engines/economic_density.md.
"""

from industria.engines.economic_density.benchmarks import PUBLISHED_BENCHMARKS
from industria.engines.economic_density.density import (
    ENGINE_VERSION,
    FACTS_SCHEMA,
    GRADES_SCHEMA,
    LEVEL_KEYS,
    M2_PER_MU,
    PARCELS_SCHEMA,
    USES_SCHEMA,
    allocate,
    economic_density,
)

__all__ = [
    "ENGINE_VERSION",
    "FACTS_SCHEMA",
    "GRADES_SCHEMA",
    "LEVEL_KEYS",
    "M2_PER_MU",
    "PARCELS_SCHEMA",
    "PUBLISHED_BENCHMARKS",
    "USES_SCHEMA",
    "allocate",
    "economic_density",
]
