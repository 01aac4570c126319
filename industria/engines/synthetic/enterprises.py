"""The enterprise population: who exists, where, in which industry, how big, and the registry frame.

Two pools are drawn: the above-size pool (firms that are 规上 in a normal year) and the below-size pool. Sizes of the
above-size pool are ``threshold * (1 + m * L)`` with ``L`` lognormal and ``m`` a product of district, division and
ownership multipliers raked (iterative proportional fitting) so that the pool's output shares match the published
district, division and ownership shares (see calibration.py).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from industria.engines.synthetic import calibration as cal
from industria.engines.synthetic.codes import generate_uscc
from industria.engines.synthetic.names import generate_names

OWNERSHIP_TYPES = tuple(cal.OWNERSHIP)

ENTERPRISE_SCHEMA = {
    "uscc": pl.String,
    "name_zh": pl.String,
    "name_en": pl.String,
    "district_code": pl.String,
    "industry_code": pl.String,
    "ownership_type": pl.String,
    "established_on": pl.Date,
    "closed_on": pl.Date,
    "registered_capital_cny": pl.Int64,
    "is_listed": pl.Boolean,
    "is_headquarters": pl.Boolean,
    "synthetic": pl.Boolean,
}


@dataclass(frozen=True)
class Population:
    """Latent arrays, one entry per enterprise; index i is row i of the enterprises frame."""

    above_pool: np.ndarray  # bool
    district: np.ndarray  # 6-digit code (str)
    central: np.ndarray  # bool: central-city district
    industry_code: np.ndarray  # str
    division: np.ndarray  # 2-digit str
    ownership: np.ndarray  # str
    first_year: np.ndarray  # int: first year with facts
    last_year: np.ndarray  # int: last year with facts
    established_on: np.ndarray  # datetime64[D]
    closed_on: np.ndarray  # datetime64[D], NaT while operating
    base_output_cny: np.ndarray  # float: gross output in the first year, before the yearly calibration
    leading: np.ndarray  # bool: code maps to a lead-* group
    frontier: np.ndarray  # bool: code maps to a track-* or future-* group

    @property
    def n(self) -> int:
        return int(self.above_pool.size)


def _normalise(weights: np.ndarray) -> np.ndarray:
    total = weights.sum()
    if total <= 0:
        raise ValueError("weights must have a positive sum")
    return weights / total


def _code_weights(industry_codes: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Per-code count weights and the code divisions.

    A division's weight (calibration.DIVISIONS count_w) is shared by the codes passed in for it: finer codes take
    calibration.FINER_CODE_COUNT_SHARE (or an override) and the 2-digit code keeps the rest; without the 2-digit
    code the finer codes share the division evenly.
    """
    divisions = [c[:2] for c in industry_codes]
    weights = np.zeros(len(industry_codes))
    for div in sorted(set(divisions)):
        members = [i for i, d in enumerate(divisions) if d == div]  # loops over reference codes only
        div_w = cal.DIVISIONS.get(div, cal.UNKNOWN_DIVISION).count_w
        finer = [i for i in members if len(industry_codes[i]) > 2]
        top = [i for i in members if len(industry_codes[i]) == 2]
        if not top:
            weights[members] = div_w / len(members)
            continue
        shares = np.array(
            [cal.FINER_CODE_COUNT_SHARE_OVERRIDES.get(industry_codes[i], cal.FINER_CODE_COUNT_SHARE) for i in finer]
        )
        if shares.sum() > cal.FINER_CODES_MAX_SHARE:
            shares *= cal.FINER_CODES_MAX_SHARE / shares.sum()
        weights[finer] = div_w * shares
        weights[top] = div_w * (1.0 - shares.sum())
    return _normalise(weights), np.array(divisions)


def _entry_exit(
    rng: np.random.Generator, n: int, years: list[int], entrant_share: float, hazard: float
) -> tuple[np.ndarray, np.ndarray]:
    first = np.full(n, years[0], dtype=np.int64)
    if len(years) > 1:
        entrants = rng.random(n) < entrant_share
        first[entrants] = rng.integers(years[1], years[-1] + 1, int(entrants.sum()))
    survived = rng.geometric(hazard, n)  # years with facts before exiting
    last = np.minimum(first + survived - 1, years[-1])
    return first, last


def _dates_in_year(rng: np.random.Generator, year: np.ndarray, start_day: int = 0) -> np.ndarray:
    """A random date in each given year, from day ``start_day`` (0 = 1 January) on."""
    jan1 = (year - 1970).astype("datetime64[Y]").astype("datetime64[D]")
    next_jan1 = (year + 1 - 1970).astype("datetime64[Y]").astype("datetime64[D]")
    length = (next_jan1 - jan1).astype(np.int64)
    offset = start_day + (rng.random(year.size) * (length - start_day)).astype(np.int64)
    return jan1 + offset.astype("timedelta64[D]")


def _rake(
    rng: np.random.Generator,
    floor: float,
    groups: list[tuple[np.ndarray, np.ndarray]],
    target_total: float,
    counted: np.ndarray,
) -> np.ndarray:
    """Sizes ``floor * (1 + m * L)`` whose shares by each grouping match the targets and whose total over the
    ``counted`` rows is ``target_total``. ``groups``: (category index per row, target output share per category)."""
    n = counted.size
    excess = rng.lognormal(0.0, cal.ABOVE_SIZE_EXCESS_SIGMA, n)
    # Start from the expected multipliers (output share / count share) to converge quickly.
    for idx, target in groups:
        count_share = np.bincount(idx, minlength=target.size) / n
        with np.errstate(divide="ignore", invalid="ignore"):
            start = np.where(count_share > 0, target / count_share, 1.0)
        excess *= start[idx]
    for _ in range(30):
        for idx, target in groups:
            present = np.bincount(idx, minlength=target.size) > 0
            share = np.where(present, target, 0.0)
            share = share / share.sum()
            out = floor * (1.0 + excess)
            total = out.sum()
            excess_by = np.bincount(idx, weights=floor * excess, minlength=target.size)
            floor_by = np.bincount(idx, weights=np.full(n, floor), minlength=target.size)
            wanted = np.maximum(share * total - floor_by, 0.05 * floor_by)
            with np.errstate(divide="ignore", invalid="ignore"):
                factor = np.where(excess_by > 0, wanted / excess_by, 1.0)
            excess *= factor[idx]
        # Level: the rows counted in the first year add up to the target.
        counted_excess = (floor * excess[counted]).sum()
        wanted_excess = target_total - floor * counted.sum()
        if counted_excess > 0 and wanted_excess > 0:
            excess *= wanted_excess / counted_excess
    return floor * (1.0 + excess)


def draw_population(
    rng: np.random.Generator,
    *,
    n_above: int,
    n_below: int,
    districts: list[str],
    industry_codes: list[str],
    leading_codes: set[str],
    frontier_codes: set[str],
    years: list[int],
    first_year_output_cny: float,
) -> Population:
    """Draw both pools; ``first_year_output_cny`` is the above-size output target of the first year at this scale."""
    n = n_above + n_below
    above_pool = np.zeros(n, dtype=bool)
    above_pool[:n_above] = True

    # Districts.
    profiles = [cal.DISTRICTS.get(d, cal.UNKNOWN_DISTRICT) for d in districts]
    count_above = _normalise(np.array([p.count_share for p in profiles]))
    count_below = _normalise(
        np.array([p.count_share * (cal.BELOW_SIZE_CENTRAL_COUNT_BOOST if p.central else 1.0) for p in profiles])
    )
    district_idx = np.concatenate(
        [rng.choice(len(districts), n_above, p=count_above), rng.choice(len(districts), n_below, p=count_below)]
    )
    district_output = _normalise(np.array([p.output_share for p in profiles]))
    central_by_district = np.array([p.central for p in profiles])

    # Industries (division weights split over the codes passed in).
    code_w, code_div = _code_weights(industry_codes)
    code_idx = rng.choice(len(industry_codes), n, p=code_w)
    div_names = sorted(set(code_div.tolist()))
    div_of_code = np.searchsorted(np.array(div_names), code_div)
    division_idx = div_of_code[code_idx]
    division_output = _normalise(np.array([cal.DIVISIONS.get(d, cal.UNKNOWN_DIVISION).output_w for d in div_names]))

    # Ownership.
    own = cal.OWNERSHIP
    ownership_idx = np.concatenate(
        [
            rng.choice(len(own), n_above, p=_normalise(np.array([p.count_share_above for p in own.values()]))),
            rng.choice(len(own), n_below, p=_normalise(np.array([p.count_share_below for p in own.values()]))),
        ]
    )
    ownership_output = _normalise(np.array([p.output_share for p in own.values()]))

    # Panel windows.
    first_a, last_a = _entry_exit(rng, n_above, years, cal.ENTRANT_SHARE_ABOVE, cal.EXIT_HAZARD_ABOVE)
    first_b, last_b = _entry_exit(rng, n_below, years, cal.ENTRANT_SHARE_BELOW, cal.EXIT_HAZARD_BELOW)
    first_year = np.concatenate([first_a, first_b])
    last_year = np.concatenate([last_a, last_b])

    # Establishment dates: firms present in the first year are older; entrants are founded in their entry year.
    shape_a, scale_a = cal.AGE_GAMMA_ABOVE
    shape_b, scale_b = cal.AGE_GAMMA_BELOW
    age = np.concatenate([rng.gamma(shape_a, scale_a, n_above), rng.gamma(shape_b, scale_b, n_below)])
    est_year = np.where(
        first_year == years[0],
        np.maximum(years[0] - np.floor(age).astype(np.int64), cal.EARLIEST_ESTABLISHED_YEAR),
        first_year,
    )
    established_on = _dates_in_year(rng, est_year)
    closing = last_year < years[-1]
    closed_on = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    closed_on[closing] = _dates_in_year(rng, last_year[closing], start_day=181)
    # Firms that close in their founding year close between the day after founding and 31 December.
    short = np.flatnonzero(closing & (est_year == last_year))
    if short.size:
        dec31 = (last_year[short] + 1 - 1970).astype("datetime64[Y]").astype("datetime64[D]") - np.timedelta64(1, "D")
        founded = np.minimum(established_on[short], dec31 - np.timedelta64(1, "D"))
        span = (dec31 - founded).astype(np.int64)  # >= 1
        established_on[short] = founded
        closed_on[short] = founded + (1 + (rng.random(short.size) * span).astype(np.int64)).astype("timedelta64[D]")

    # Sizes.
    floor = cal.ABOVE_SIZE_MAIN_REVENUE_CNY / cal.MAIN_REVENUE_TO_OUTPUT * 1.02
    base_output = np.empty(n)
    base_output[:n_above] = _rake(
        rng,
        floor,
        [
            (district_idx[:n_above], district_output),
            (division_idx[:n_above], division_output),
            (ownership_idx[:n_above], ownership_output),
        ],
        first_year_output_cny,
        first_year[:n_above] == years[0],
    )
    below = np.exp(rng.normal(np.log(cal.BELOW_SIZE_MEDIAN_SHARE_OF_THRESHOLD), cal.BELOW_SIZE_SIGMA, n_below))
    for _ in range(50):  # truncate below the threshold by redrawing
        over = below >= 0.97
        if not over.any():
            break
        below[over] = np.exp(
            rng.normal(np.log(cal.BELOW_SIZE_MEDIAN_SHARE_OF_THRESHOLD), cal.BELOW_SIZE_SIGMA, int(over.sum()))
        )
    base_output[n_above:] = np.minimum(below, 0.97) * floor

    codes = np.array(industry_codes)[code_idx]
    return Population(
        above_pool=above_pool,
        district=np.array(districts)[district_idx],
        central=central_by_district[district_idx],
        industry_code=codes,
        division=np.array(div_names)[division_idx],
        ownership=np.array(OWNERSHIP_TYPES)[ownership_idx],
        first_year=first_year,
        last_year=last_year,
        established_on=established_on,
        closed_on=closed_on,
        base_output_cny=base_output,
        leading=np.isin(codes, list(leading_codes)),
        frontier=np.isin(codes, list(frontier_codes)),
    )


def _top_k(score: np.ndarray, k: int) -> np.ndarray:
    """Boolean mask of the k highest scores (ties broken by index)."""
    mask = np.zeros(score.size, dtype=bool)
    k = max(0, min(int(k), score.size))
    if k:
        mask[np.argsort(-score, kind="stable")[:k]] = True
    return mask


def build_enterprises(rng: np.random.Generator, pop: Population, *, scale_ratio: float) -> pl.DataFrame:
    """The registry frame (ENTERPRISE_SCHEMA), one row per enterprise, in population order."""
    n = pop.n
    log_size = np.log(pop.base_output_cny)
    n_above = int(pop.above_pool.sum())

    listed = np.zeros(n, dtype=bool)
    above_rows = np.flatnonzero(pop.above_pool)
    below_rows = np.flatnonzero(~pop.above_pool)
    listed[above_rows] = _top_k(
        log_size[above_rows] + rng.gumbel(0.0, 1.5, above_rows.size), round(cal.LISTED_SHARE_ABOVE * n_above)
    )
    listed[below_rows] = _top_k(rng.random(below_rows.size), round(cal.LISTED_SHARE_BELOW * below_rows.size))

    foreign = np.isin(pop.ownership, ["foreign", "hk_macao_taiwan"])
    headquarters = np.zeros(n, dtype=bool)
    headquarters[above_rows] = _top_k(
        log_size[above_rows] + 2.0 * foreign[above_rows] + rng.gumbel(0.0, 1.5, above_rows.size),
        round(cal.HEADQUARTERS_CITY * scale_ratio),
    )

    revenue = pop.base_output_cny * cal.MAIN_REVENUE_TO_OUTPUT
    capital = revenue * cal.REGISTERED_CAPITAL_TO_REVENUE_MEDIAN * np.exp(rng.normal(0.0, 0.8, n))
    capital = np.maximum(np.round(capital / 10_000) * 10_000, 100_000).astype(np.int64)  # whole 万元, >= 10万

    ma = pop.established_on >= np.datetime64(cal.USCC_MA_FROM)
    uscc = generate_uscc(pop.district, ma, rng)
    name_zh, name_en = generate_names(pl.Series(pop.industry_code), foreign, listed, rng)

    return pl.DataFrame(
        {
            "uscc": uscc,
            "name_zh": name_zh,
            "name_en": name_en,
            "district_code": pop.district,
            "industry_code": pop.industry_code,
            "ownership_type": pop.ownership,
            "established_on": pop.established_on,
            "closed_on": pop.closed_on,
            "registered_capital_cny": capital,
            "is_listed": listed,
            "is_headquarters": headquarters,
            "synthetic": np.ones(n, dtype=bool),
        },
        schema=ENTERPRISE_SCHEMA,
    )
