"""Synthetic-city generator: a deterministic, calibrated, clearly labelled fake industrial registry.

Pure Polars/numpy (no Django, no clock, no I/O): the reference data (districts, GB/T 4754 codes, the industry
mapping) is passed in, the calibration constants live in ``calibration.py`` with their sources, and the same seed
always gives the same frames. See docs/engines/synthetic.md.
"""

from industria.engines.synthetic.city import DEFAULT_YEARS, Scale, SyntheticCity, generate_city
from industria.engines.synthetic.enterprises import ENTERPRISE_SCHEMA
from industria.engines.synthetic.facts import YEARLY_SCHEMA
from industria.engines.synthetic.monthly import MONTHLY_SCHEMA
from industria.engines.synthetic.summary import calibration_report
from industria.engines.synthetic.tiers import TIER_KINDS, TIER_SCHEMA

GENERATOR_VERSION = "1.0.0"

__all__ = [
    "DEFAULT_YEARS",
    "ENTERPRISE_SCHEMA",
    "GENERATOR_VERSION",
    "MONTHLY_SCHEMA",
    "TIER_KINDS",
    "TIER_SCHEMA",
    "YEARLY_SCHEMA",
    "Scale",
    "SyntheticCity",
    "calibration_report",
    "generate_city",
]
