"""``generate_city``: the entry point of the synthetic-city generator."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import polars as pl

from industria.engines.synthetic import calibration as cal
from industria.engines.synthetic.enterprises import build_enterprises, draw_population
from industria.engines.synthetic.facts import build_yearly_facts
from industria.engines.synthetic.monthly import MONTHLY_SCHEMA, build_monthly_facts
from industria.engines.synthetic.tiers import build_tiers
from industria.engines.taxonomy import resolve_groups

Scale = Literal["tiny", "city", "province", "nation"]
DEFAULT_YEARS: tuple[int, ...] = tuple(range(2019, 2025))
# Independent random streams, spawned from the seed in this order (append only: reordering changes every city).
_STREAMS = ("population", "enterprises", "facts", "monthly", "tiers")


@dataclass(frozen=True)
class SyntheticCity:
    """A generated city: four Polars frames, every row labelled ``synthetic=True``.

    ``enterprises`` one row per enterprise; ``yearly_facts`` one row per enterprise and year it was active;
    ``monthly_facts`` one row per above-size enterprise, year and month; ``tiers`` one row per designation record.
    """

    scale: str
    seed: int
    years: tuple[int, ...]
    enterprises: pl.DataFrame
    yearly_facts: pl.DataFrame
    monthly_facts: pl.DataFrame
    tiers: pl.DataFrame


def _codes(items: Iterable[str | Mapping[str, Any]], what: str) -> list[str]:
    out = []
    for item in items:
        code = str(item["code"]) if isinstance(item, Mapping) else str(item)
        out.append(code)
    if not out:
        raise ValueError(f"{what}: at least one code is needed")
    if len(set(out)) != len(out):
        raise ValueError(f"{what}: duplicate codes")
    return sorted(out)


def _validate_years(years: Iterable[int]) -> list[int]:
    ys = sorted({int(y) for y in years})
    if not ys:
        raise ValueError("years: at least one year is needed")
    if ys != list(range(ys[0], ys[-1] + 1)):
        raise ValueError(f"years must be consecutive, got {ys}")
    missing = [y for y in ys if y not in cal.ABOVE_SIZE_GROSS_OUTPUT_100M]
    if missing:
        known = sorted(cal.ABOVE_SIZE_GROSS_OUTPUT_100M)
        raise ValueError(f"no calibration target for years {missing}; supported {known[0]}-{known[-1]}")
    return ys


def generate_city(
    scale: Scale,
    seed: int,
    *,
    districts: Sequence[str | Mapping[str, Any]],
    industry_codes: Sequence[str | Mapping[str, Any]],
    mapping: pl.DataFrame | Iterable[Mapping[str, Any]] | None,
    years: Iterable[int] = DEFAULT_YEARS,
    include_below_size: bool | None = None,
    monthly: bool = True,
) -> SyntheticCity:
    """Generate a synthetic industrial city, deterministic for ``seed``.

    ``districts``: 6-digit district codes (or records with a ``code`` key, e.g. fixtures/reference/districts.yaml);
    they become the USCC region codes. ``industry_codes``: GB/T 4754 division (2-digit) or class (4-digit) codes to
    draw from (or records with ``code``). ``mapping``: the rules of default-industry-mapping.yaml (or a frame with
    industry_code, group_code, weight); codes mapped to ``lead-*`` groups get more R&D and innovation tiers.
    ``include_below_size``: generate the below-size pool (default: yes, except at nation scale).
    ``monthly``: build the monthly facts (they are the largest frame at nation scale).
    """
    if scale not in cal.SCALE_COUNTS:
        raise ValueError(f"scale must be one of {sorted(cal.SCALE_COUNTS)}, got {scale!r}")
    if not isinstance(seed, int) or seed < 0:
        raise ValueError("seed must be a non-negative int")
    district_codes = _codes(districts, "districts")
    bad = [d for d in district_codes if not (len(d) == 6 and d.isdigit())]
    if bad:
        raise ValueError(f"districts: not 6-digit codes: {bad}")
    codes = _codes(industry_codes, "industry_codes")
    bad = [c for c in codes if not (c.isdigit() and len(c) in (2, 3, 4))]
    if bad:
        raise ValueError(f"industry_codes: not GB/T 4754 division/group/class codes: {bad}")
    year_list = _validate_years(years)

    n_above, n_below = cal.SCALE_COUNTS[scale]
    if include_below_size is None:
        include_below_size = scale != "nation"
    if not include_below_size:
        n_below = 0
    elif scale == "nation":
        n_below = cal.NATION_BELOW_SIZE_WHEN_INCLUDED
    scale_ratio = n_above / cal.CITY_ABOVE_SIZE_POOL

    groups = resolve_groups(codes, mapping).filter(pl.col("weight") > 0)
    leading = set(groups.filter(pl.col("kind") == "leading_industry")["industry_code"].to_list())
    frontier = set(groups.filter(pl.col("kind").is_in(["new_track", "future_industry"]))["industry_code"].to_list())

    seq = np.random.SeedSequence(seed)
    rngs = dict(zip(_STREAMS, (np.random.Generator(np.random.PCG64(s)) for s in seq.spawn(len(_STREAMS))), strict=True))

    pop = draw_population(
        rngs["population"],
        n_above=n_above,
        n_below=n_below,
        districts=district_codes,
        industry_codes=codes,
        leading_codes=leading,
        frontier_codes=frontier,
        years=year_list,
        first_year_output_cny=cal.ABOVE_SIZE_GROSS_OUTPUT_100M[year_list[0]] * 1e8 * scale_ratio,
    )
    enterprises = build_enterprises(rngs["enterprises"], pop, scale_ratio=scale_ratio)
    uscc = enterprises["uscc"]
    yearly, panel = build_yearly_facts(rngs["facts"], pop, uscc, years=year_list, scale_ratio=scale_ratio)
    monthly_facts = (
        build_monthly_facts(rngs["monthly"], panel, uscc) if monthly else pl.DataFrame(schema=MONTHLY_SCHEMA)
    )
    tiers = build_tiers(
        rngs["tiers"], pop, panel, uscc, enterprises["is_headquarters"].to_numpy(), scale_ratio=scale_ratio
    )
    return SyntheticCity(
        scale=scale,
        seed=seed,
        years=tuple(year_list),
        enterprises=enterprises,
        yearly_facts=yearly,
        monthly_facts=monthly_facts,
        tiers=tiers,
    )
