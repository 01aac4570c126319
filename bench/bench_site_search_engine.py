"""Site-search and economic-density engines on city-scale synthetic frames (issue 7), against naive loops.

* site search: 48,501 parcels (10 % available, lognormal areas, 60 % clustered in 200 parks), 200 parks and
  20,000 same-chain enterprises clustered around the parks; the engine (grid-binned neighbour counts) against
  the pure-Python loop a first version would write (filter, score, and count the chain with a distance test
  against every enterprise), timed on a sample of candidates and scaled to all of them;
* the worst case where every parcel is available (every parcel a candidate);
* economic density at the park level over 500,000 land uses.

No database.  Run: `.venv/bin/python -m bench site_search_engine` (BENCH_REPEAT, BENCH_SAMPLE).  Figures are
printed; docs/engines/site_search.md quotes them.  Benchmarks report ratios, never timed assertions in tests.
"""

from __future__ import annotations

import math
import os
import random
import sys
from datetime import date, timedelta

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import polars as pl  # noqa: E402

from bench.harness import table, timed  # noqa: E402
from industria.engines.economic_density import economic_density  # noqa: E402
from industria.engines.site_search import SiteCriteria, SiteSearchRules, search_sites  # noqa: E402
from industria.engines.site_search.nearby import KM_PER_DEGREE  # noqa: E402

REPEAT = int(os.environ.get("BENCH_REPEAT", "7"))
SAMPLE = int(os.environ.get("BENCH_SAMPLE", "200"))
N_PARCELS, N_PARKS, N_CHAIN = 48_501, 200, 20_000
GROUPS = [f"G{i}" for i in range(12)]
DISTRICTS = [f"3101{i:02d}" for i in (4, 5, 6, 7, 9, 10, 12, 13, 14, 15, 16, 17, 18, 20, 51)]
CRITERIA = SiteCriteria(
    available_by=date(2025, 6, 1),
    min_area_mu=10,
    max_area_mu=200,
    min_floor_m2=5_000,
    industry_group_code="G3",
    preferred_district_codes=("310115",),
)
RULES = SiteSearchRules()


def synthetic(available_share: float, seed: int = 7) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    rnd = random.Random(seed)
    park_xy = [(121.0 + rnd.random() * 0.9, 30.7 + rnd.random() * 0.8) for _ in range(N_PARKS)]
    parks = pl.DataFrame(
        {
            "park_id": list(range(1, N_PARKS + 1)),
            "code": [f"P{i}" for i in range(N_PARKS)],
            "district_code": [rnd.choice(DISTRICTS) for _ in range(N_PARKS)],
            "lead_group_codes": [rnd.sample(GROUPS, 3) for _ in range(N_PARKS)],
            "available_land_mu": [float(rnd.randrange(500)) for _ in range(N_PARKS)],
            "available_floor_m2": [float(rnd.randrange(100_000)) for _ in range(N_PARKS)],
            "output_cny_per_mu": [rnd.lognormvariate(15, 0.5) for _ in range(N_PARKS)],
            "longitude": [p[0] for p in park_xy],
            "latitude": [p[1] for p in park_xy],
        }
    )
    rows = []
    for i in range(N_PARCELS):
        in_park = rnd.random() < 0.6
        k = rnd.randrange(N_PARKS)
        lon, lat = (
            (park_xy[k][0] + rnd.gauss(0, 0.01), park_xy[k][1] + rnd.gauss(0, 0.01))
            if in_park
            else (121.0 + rnd.random() * 0.9, 30.7 + rnd.random() * 0.8)
        )
        area_mu = rnd.lognormvariate(math.log(35), 0.9)
        rows.append(
            {
                "parcel_id": i + 1,
                "parcel_code": f"X{i}",
                "district_code": rnd.choice(DISTRICTS),
                "park_id": k + 1 if in_park else None,
                "status": "available" if rnd.random() < available_share else "in_use",
                "available_from": date(2024, 1, 1) + timedelta(days=rnd.randrange(1000)),
                "area_m2": area_mu * 10_000 / 15,
                "area_mu": area_mu,
                "floor_area_ratio": rnd.choice([1.0, 1.2, 1.5, 2.0, 2.5]),
                "longitude": lon,
                "latitude": lat,
                "land_use_class": "industrial",
            }
        )
    parcels = pl.DataFrame(rows)
    chain_xy = [park_xy[rnd.randrange(N_PARKS)] for _ in range(N_CHAIN)]
    chain = pl.DataFrame(
        {
            "enterprise_id": list(range(N_CHAIN)),
            "longitude": [x + rnd.gauss(0, 0.02) for x, _ in chain_xy],
            "latitude": [y + rnd.gauss(0, 0.02) for _, y in chain_xy],
        }
    )
    return parcels, parks, chain


def naive_parcels(parcels: list[dict], parks: dict[int, dict], chain: list[tuple[float, float]], limit: int) -> int:
    """The loop a first version would write: per parcel, test the filters, score, count the chain one by one."""
    c, r = CRITERIA, RULES
    outputs = sorted(p["output_cny_per_mu"] for p in parks.values())
    done = 0
    for p in parcels:
        if done >= limit:
            break
        if p["status"] != "available" or p["available_from"] > c.available_by:
            continue
        if not (c.min_area_mu <= p["area_mu"] <= c.max_area_mu):
            continue
        if p["area_m2"] * p["floor_area_ratio"] < c.min_floor_m2:
            continue
        done += 1
        park = parks.get(p["park_id"])
        pct = (outputs.index(park["output_cny_per_mu"]) + 1) / len(outputs) if park else 0.0
        leads = bool(park) and c.industry_group_code in park["lead_group_codes"]
        near = 0
        for lon, lat in chain:
            dx = (lon - p["longitude"]) * math.cos(math.radians((lat + p["latitude"]) / 2)) * KM_PER_DEGREE
            dy = (lat - p["latitude"]) * KM_PER_DEGREE
            near += dx * dx + dy * dy <= r.nearby_radius_km**2
        _score = (
            20 * pct + 30 * leads + 15 * (p["district_code"] in c.preferred_district_codes) + 20 * min(near / 10, 1)
        )
    return done


def main() -> None:
    results = []
    for share in (0.1, 1.0):
        parcels, parks, chain = synthetic(share)
        search_sites(parcels, parks, chain, criteria=CRITERIA, rules=RULES)  # warm-up
        seconds, ranked = timed(
            lambda parcels=parcels, parks=parks, chain=chain: search_sites(
                parcels, parks, chain, criteria=CRITERIA, rules=RULES
            ),
            REPEAT,
        )
        label = f"{N_PARCELS:,} parcels ({share:.0%} available), {N_PARKS} parks, {N_CHAIN:,} chain"
        row = [label, f"{ranked.height:,}", f"{seconds * 1000:.1f} ms"]
        if share == 0.1:
            parcel_rows = parcels.to_dicts()
            park_rows = {p["park_id"]: p for p in parks.to_dicts()}
            chain_xy = list(zip(chain["longitude"], chain["latitude"], strict=True))
            loop_seconds, sampled = timed(
                lambda parcel_rows=parcel_rows, park_rows=park_rows, chain_xy=chain_xy: naive_parcels(
                    parcel_rows, park_rows, chain_xy, SAMPLE
                )
            )
            candidates = ranked.filter(pl.col("kind") == "parcel").height
            scaled = loop_seconds / max(sampled, 1) * candidates
            row += [f"{scaled:.1f} s (sample {sampled} scaled to {candidates:,})", f"{scaled / seconds:,.0f}×"]
        else:
            row += ["–", "–"]
        results.append(row)
    print(table(["case", "candidates", "engine (median)", "naive Python loop", "speed-up"], results), flush=True)

    rnd = random.Random(3)
    n_uses = 500_000
    parcels, _, _ = synthetic(0.1)
    uses = pl.DataFrame(
        {
            "enterprise_id": [i % 250_000 for i in range(n_uses)],
            "parcel_id": [rnd.randrange(1, N_PARCELS + 1) for _ in range(n_uses)],
            "year": [2023 + i // 250_000 for i in range(n_uses)],
            "used_area_m2": [None if rnd.random() < 0.5 else rnd.random() * 5000 for _ in range(n_uses)],
        }
    )
    facts = (
        uses.select("enterprise_id", "year")
        .unique()
        .with_columns(gross_output_cny=pl.lit(1e8), tax_paid_cny=pl.lit(5e6))
    )
    grades = facts.select("enterprise_id", "year", pl.lit("B").alias("grade"))
    rows = []
    for level in ("parcel", "park", "district"):
        seconds, out = timed(lambda level=level: economic_density(uses, facts, parcels, grades, level=level), 3)
        rows.append([f"economic density, {n_uses:,} uses, level {level}", f"{out.height:,} rows", f"{seconds:.2f} s"])
    print(table(["case", "result", "engine (median)"], rows), flush=True)


if __name__ == "__main__":
    main()
