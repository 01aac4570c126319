"""Site-search engine: a hand-computed golden ranking, each hard filter at its boundary, reasons, the grid-binned
neighbour count against brute force, and properties (hard filters never violated, order-invariant ranking)."""

from __future__ import annotations

import json
import math
from datetime import date
from typing import Any

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from industria.engines.common.parsing import RulesError
from industria.engines.site_search import (
    RESULT_SCHEMA,
    SiteCriteria,
    SiteSearchRules,
    count_within,
    parse_criteria,
    search_sites,
)
from industria.engines.site_search.nearby import KM_PER_DEGREE

BY = date(2025, 1, 1)
RULES = SiteSearchRules()
PARCEL_SCHEMA = {
    "parcel_id": pl.Int64,
    "parcel_code": pl.String,
    "district_code": pl.String,
    "park_id": pl.Int64,
    "status": pl.String,
    "available_from": pl.Date,
    "area_m2": pl.Float64,
    "area_mu": pl.Float64,
    "floor_area_ratio": pl.Float64,
    "longitude": pl.Float64,
    "latitude": pl.Float64,
    "land_use_class": pl.String,
}
PARK_SCHEMA = {
    "park_id": pl.Int64,
    "code": pl.String,
    "district_code": pl.String,
    "lead_group_codes": pl.List(pl.String),
    "available_land_mu": pl.Float64,
    "available_floor_m2": pl.Float64,
    "output_cny_per_mu": pl.Float64,
    "longitude": pl.Float64,
    "latitude": pl.Float64,
}


def parcel(parcel_id: int, **values: Any) -> dict[str, Any]:
    area_mu = values.pop("area_mu", 50.0)
    row = {
        "parcel_id": parcel_id,
        "parcel_code": f"SH-{parcel_id}",
        "district_code": "310115",
        "park_id": None,
        "status": "available",
        "available_from": None,
        "area_m2": area_mu * 10_000 / 15,
        "area_mu": area_mu,
        "floor_area_ratio": 1.0,
        "longitude": 121.6,
        "latitude": 31.6,
        "land_use_class": "industrial",
    }
    row.update(values)
    return row


def park(park_id: int, **values: Any) -> dict[str, Any]:
    row = {
        "park_id": park_id,
        "code": f"K{park_id}",
        "district_code": "310115",
        "lead_group_codes": [],
        "available_land_mu": 0.0,
        "available_floor_m2": 0.0,
        "output_cny_per_mu": None,
        "longitude": 121.4,
        "latitude": 31.3,
    }
    row.update(values)
    return row


def parcels_frame(*rows: dict[str, Any]) -> pl.DataFrame:
    return pl.DataFrame(list(rows), schema=PARCEL_SCHEMA)


def parks_frame(*rows: dict[str, Any]) -> pl.DataFrame:
    return pl.DataFrame(list(rows), schema=PARK_SCHEMA)


def chain_frame(points: list[tuple[float, float]]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "enterprise_id": list(range(len(points))),
            "longitude": [p[0] for p in points],
            "latitude": [p[1] for p in points],
        },
        schema={"enterprise_id": pl.Int64, "longitude": pl.Float64, "latitude": pl.Float64},
    )


NO_CHAIN = chain_frame([])
NO_PARKS = parks_frame()


def ids(result: pl.DataFrame) -> list[tuple[str, int]]:
    return list(zip(result["kind"], result["id"], strict=True))


def test_golden_ranking() -> None:
    parks = parks_frame(
        park(
            1,
            lead_group_codes=["G1"],
            available_land_mu=100.0,
            available_floor_m2=5000.0,
            output_cny_per_mu=2e6,
            longitude=121.0,
            latitude=31.0,
        ),
        park(2, district_code="310114", lead_group_codes=["G2"]),  # nothing to offer
        park(3, district_code="310114", lead_group_codes=["G1", "G2"], available_land_mu=20.0, output_cny_per_mu=1e6),
    )
    parcels = parcels_frame(
        parcel(101, park_id=1, longitude=121.0, latitude=31.0),
        parcel(102, district_code="310114"),
        parcel(103, status="in_use"),
        parcel(104, available_from=date(2025, 1, 2)),
        parcel(105, area_mu=5.0),
        parcel(106, area_mu=150.0),
    )
    chain = chain_frame([(121.0, 31.005), (121.005, 31.0), (120.995, 30.995), (121.2, 31.0)])
    criteria = SiteCriteria(
        available_by=BY, min_area_mu=10, max_area_mu=100, industry_group_code="G1", preferred_district_codes=["310115"]
    )
    result = search_sites(parcels, parks, chain, criteria=criteria, rules=RULES)
    assert result.schema == pl.Schema(RESULT_SCHEMA)
    # weights: efficiency 20 + industry 30 + district 15 + chain 20 = 85
    # 101: 20×1.0 + 30 + 15 + 20×3/10 = 71 → 83.53; park 1 the same, but its 100 mu is further from 55 mu
    # park 3: 20×0.5 + 30 = 40 → 47.06; 102: nothing → 0
    assert ids(result) == [("parcel", 101), ("park", 1), ("park", 3), ("parcel", 102)]
    assert result["score"].to_list() == pytest.approx([83.53, 83.53, 47.06, 0.0])
    assert result["rank"].to_list() == [1, 2, 3, 4]
    assert result["chain_nearby"].to_list() == [3, 3, 0, 0]
    first = {r["code"]: json.loads(r["params"]) for r in result["reasons"][0]}
    assert list(first) == [
        "available",
        "area_in_range",
        "preferred_district",
        "park_leads_group",
        "park_efficiency",
        "chain_nearby",
    ]
    assert first["available"] == {"available_from": None, "available_by": "2025-01-01"}
    assert first["area_in_range"] == {"area_mu": 50.0, "min_area_mu": 10, "max_area_mu": 100}
    assert first["park_leads_group"] == {"park_id": 1, "group_code": "G1"}
    assert first["park_efficiency"] == {"park_id": 1, "output_cny_per_mu": 2e6, "percentile": 100.0}
    assert first["chain_nearby"] == {"count": 3, "radius_km": 3.0}
    park_reasons = [r["code"] for r in result["reasons"][1]]
    assert park_reasons[:2] == ["available", "area_in_range"]
    assert [r["code"] for r in result["reasons"][3]] == ["available", "area_in_range"]


def test_without_preferences_only_efficiency_scores() -> None:
    parks = parks_frame(park(1, available_land_mu=30.0, output_cny_per_mu=1.0), park(2, available_land_mu=30.0))
    parcels = parcels_frame(parcel(7, park_id=2), parcel(8, park_id=1))
    result = search_sites(parcels, parks, NO_CHAIN, criteria=SiteCriteria(available_by=BY), rules=RULES)
    # only park efficiency is active: park 1 is the only park with a figure (percentile 1.0)
    assert ids(result) == [("parcel", 8), ("park", 1), ("parcel", 7), ("park", 2)]
    assert result["score"].to_list() == [100.0, 100.0, 0.0, 0.0]


@pytest.mark.parametrize(
    ("values", "criteria", "kept"),
    [
        ({"area_mu": 10.0}, {"min_area_mu": 10}, True),
        ({"area_mu": 9.99}, {"min_area_mu": 10}, False),
        ({"area_mu": 100.0}, {"max_area_mu": 100}, True),
        ({"area_mu": 100.01}, {"max_area_mu": 100}, False),
        ({"area_mu": 30.0, "floor_area_ratio": 1.5}, {"min_floor_m2": 30_000}, True),  # 20,000 m² × 1.5
        ({"area_mu": 30.0, "floor_area_ratio": 1.49}, {"min_floor_m2": 30_000}, False),
        ({"floor_area_ratio": None}, {"min_floor_m2": 1}, False),
        ({"floor_area_ratio": None}, {}, True),
        ({"floor_area_ratio": 2.0}, {"min_floor_area_ratio": 2.0}, True),
        ({"floor_area_ratio": 1.99}, {"min_floor_area_ratio": 2.0}, False),
        ({"floor_area_ratio": None}, {"min_floor_area_ratio": 1.0}, False),
        ({"available_from": BY}, {}, True),
        ({"available_from": date(2025, 1, 2)}, {}, False),
        ({"status": "idle"}, {}, False),
        ({"status": "in_use"}, {}, False),
    ],
)
def test_parcel_hard_filter_boundaries(values: dict[str, Any], criteria: dict[str, Any], kept: bool) -> None:
    result = search_sites(
        parcels_frame(parcel(1, **values)),
        NO_PARKS,
        NO_CHAIN,
        criteria=SiteCriteria(available_by=BY, **criteria),
        rules=RULES,
    )
    assert (result.height == 1) is kept


@pytest.mark.parametrize(
    ("values", "criteria", "kept"),
    [
        ({"available_land_mu": 10.0}, {"min_area_mu": 10}, True),
        ({"available_land_mu": 9.9}, {"min_area_mu": 10}, False),
        ({"available_land_mu": 500.0}, {"max_area_mu": 10}, True),  # a park is not too big: it can carve a plot
        ({"available_floor_m2": 5000.0}, {"min_floor_m2": 5000}, True),
        ({"available_floor_m2": 4999.0, "available_land_mu": 99.0}, {"min_floor_m2": 5000}, False),
        ({"available_floor_m2": 5000.0}, {}, True),
        ({}, {}, False),  # nothing to offer
    ],
)
def test_park_hard_filter_boundaries(values: dict[str, Any], criteria: dict[str, Any], kept: bool) -> None:
    result = search_sites(
        parcels_frame(),
        parks_frame(park(1, **values)),
        NO_CHAIN,
        criteria=SiteCriteria(available_by=BY, **criteria),
        rules=RULES,
    )
    assert (result.height == 1) is kept


def test_preferred_park_and_tie_breaks() -> None:
    parcels = parcels_frame(parcel(3, area_mu=40.0), parcel(2, area_mu=60.0), parcel(1, area_mu=45.0, park_id=9))
    criteria = SiteCriteria(available_by=BY, min_area_mu=20, max_area_mu=60, preferred_park_ids=[9])
    result = search_sites(parcels, NO_PARKS, NO_CHAIN, criteria=criteria, rules=RULES)
    # park 9 is unknown to the parks table (no efficiency) but preferred: 15 / 35
    assert result["score"].to_list() == pytest.approx([42.86, 0.0, 0.0])
    # equal scores: closer to 40 mu first (|40-40| < |60-40|)
    assert result["id"].to_list() == [1, 3, 2]
    assert [r["code"] for r in result["reasons"][0]][-1] == "preferred_park"
    tied = search_sites(
        parcels_frame(parcel(5), parcel(4)), NO_PARKS, NO_CHAIN, criteria=SiteCriteria(available_by=BY), rules=RULES
    )
    assert tied["id"].to_list() == [4, 5]


def test_include_switches_and_empty_result() -> None:
    parks = parks_frame(park(1, available_land_mu=10.0))
    parcels = parcels_frame(parcel(1))
    only_parks = search_sites(
        parcels, parks, NO_CHAIN, criteria=SiteCriteria(available_by=BY), rules=SiteSearchRules(include_parcels=False)
    )
    assert ids(only_parks) == [("park", 1)]
    empty = search_sites(parcels_frame(), NO_PARKS, NO_CHAIN, criteria=SiteCriteria(available_by=BY), rules=RULES)
    assert empty.height == 0
    assert empty.schema == pl.Schema(RESULT_SCHEMA)


def test_criteria_validation_and_round_trip() -> None:
    with pytest.raises(RulesError) as info:
        SiteCriteria(available_by=BY, min_area_mu=50, max_area_mu=10)
    assert info.value.path == "max_area_mu"
    with pytest.raises(RulesError):
        SiteCriteria(available_by=BY, min_floor_m2=-1)
    with pytest.raises(RulesError):
        SiteSearchRules(nearby_radius_km=0)
    criteria = SiteCriteria(
        available_by=BY,
        min_area_mu=10.5,
        industry_group_code="G1",
        preferred_district_codes=["310115"],
        preferred_park_ids=[3],
    )
    assert parse_criteria(json.loads(json.dumps(criteria.as_dict()))) == criteria
    with pytest.raises(RulesError) as info:
        parse_criteria({"available_by": "2025-13-01"})
    assert info.value.path == "available_by"
    with pytest.raises(RulesError) as info:
        parse_criteria({"available_by": "2025-01-01", "min_area_mu": "ten"})
    assert info.value.path == "min_area_mu"


def brute_force(
    candidates: list[tuple[float, float]], points: list[tuple[float, float]], radius_km: float
) -> list[int]:
    def close(a: tuple[float, float], b: tuple[float, float]) -> bool:
        dx = (b[0] - a[0]) * math.cos(math.radians((a[1] + b[1]) / 2)) * KM_PER_DEGREE
        dy = (b[1] - a[1]) * KM_PER_DEGREE
        return dx * dx + dy * dy <= radius_km * radius_km

    return [sum(close(c, p) for p in points) for c in candidates]


coordinate = st.tuples(st.floats(121.0, 121.3), st.floats(30.9, 31.2))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    candidates=st.lists(coordinate, max_size=25),
    points=st.lists(coordinate, max_size=60),
    radius_km=st.sampled_from([0.5, 2.0, 5.0]),
)
def test_count_within_equals_brute_force(
    candidates: list[tuple[float, float]], points: list[tuple[float, float]], radius_km: float
) -> None:
    frame = pl.DataFrame(
        {
            "_index": list(range(len(candidates))),
            "longitude": [c[0] for c in candidates],
            "latitude": [c[1] for c in candidates],
        },
        schema={"_index": pl.Int64, "longitude": pl.Float64, "latitude": pl.Float64},
    )
    counts = count_within(frame, chain_frame(points), radius_km=radius_km)
    assert counts.to_list() == brute_force(candidates, points, radius_km)


@st.composite
def search_case(draw: st.DrawFn) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame, SiteCriteria]:
    n = draw(st.integers(0, 25))
    parcels = parcels_frame(
        *(
            parcel(
                i,
                status=draw(st.sampled_from(["available", "available", "in_use", "idle"])),
                area_mu=draw(st.sampled_from([5.0, 10.0, 20.0, 50.0, 80.0])),
                floor_area_ratio=draw(st.one_of(st.none(), st.sampled_from([0.8, 1.0, 2.0]))),
                available_from=draw(st.one_of(st.none(), st.dates(date(2024, 6, 1), date(2025, 6, 1)))),
                park_id=draw(st.one_of(st.none(), st.integers(1, 4))),
                district_code=draw(st.sampled_from(["310115", "310114"])),
                longitude=draw(st.floats(121.0, 121.2)),
                latitude=draw(st.floats(31.0, 31.2)),
            )
            for i in range(n)
        )
    )
    parks = parks_frame(
        *(
            park(
                i,
                lead_group_codes=draw(st.lists(st.sampled_from(["G1", "G2", "G3"]), max_size=2, unique=True)),
                available_land_mu=draw(st.sampled_from([0.0, 10.0, 40.0])),
                available_floor_m2=draw(st.sampled_from([0.0, 10_000.0])),
                output_cny_per_mu=draw(st.one_of(st.none(), st.sampled_from([1e6, 2e6, 3e6]))),
                district_code=draw(st.sampled_from(["310115", "310114"])),
                longitude=draw(st.floats(121.0, 121.2)),
                latitude=draw(st.floats(31.0, 31.2)),
            )
            for i in range(1, 5)
        )
    )
    chain = chain_frame(draw(st.lists(st.tuples(st.floats(121.0, 121.2), st.floats(31.0, 31.2)), max_size=20)))
    criteria = SiteCriteria(
        available_by=date(2025, 1, 1),
        min_area_mu=draw(st.one_of(st.none(), st.sampled_from([10.0, 20.0]))),
        max_area_mu=draw(st.one_of(st.none(), st.sampled_from([50.0, 80.0]))),
        min_floor_m2=draw(st.one_of(st.none(), st.sampled_from([5_000.0, 20_000.0]))),
        min_floor_area_ratio=draw(st.one_of(st.none(), st.just(1.0))),
        industry_group_code=draw(st.one_of(st.none(), st.sampled_from(["G1", "G2"]))),
        preferred_district_codes=draw(st.lists(st.sampled_from(["310115", "310114"]), max_size=1)),
        preferred_park_ids=draw(st.lists(st.integers(1, 4), max_size=2)),
    )
    return parcels, parks, chain, criteria


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=search_case(), seed=st.integers(0, 2**16))
def test_hard_filters_never_violated_and_ranking_is_order_invariant(case: Any, seed: int) -> None:
    parcels, parks, chain, criteria = case
    result = search_sites(parcels, parks, chain, criteria=criteria, rules=RULES)
    assert result["rank"].to_list() == list(range(1, result.height + 1))
    assert all(0.0 <= s <= 100.0 for s in result["score"])
    assert result["score"].to_list() == sorted(result["score"], reverse=True)
    chosen = result.filter(pl.col("kind") == "parcel").join(parcels, left_on="id", right_on="parcel_id", suffix="_in")
    for row in chosen.iter_rows(named=True):
        assert row["status"] == "available"
        assert row["available_from"] is None or row["available_from"] <= criteria.available_by
        assert criteria.min_area_mu is None or row["area_mu_in"] >= criteria.min_area_mu
        assert criteria.max_area_mu is None or row["area_mu_in"] <= criteria.max_area_mu
        if criteria.min_floor_m2 is not None:
            assert row["floor_area_ratio"] is not None
            assert row["area_m2"] * row["floor_area_ratio"] >= criteria.min_floor_m2
        if criteria.min_floor_area_ratio is not None:
            assert row["floor_area_ratio"] is not None
            assert row["floor_area_ratio"] >= criteria.min_floor_area_ratio
    chosen_parks = result.filter(pl.col("kind") == "park").join(parks, left_on="id", right_on="park_id")
    for row in chosen_parks.iter_rows(named=True):
        assert row["available_land_mu"] > 0 or row["available_floor_m2"] > 0
        assert criteria.min_area_mu is None or row["available_land_mu"] >= criteria.min_area_mu
        assert criteria.min_floor_m2 is None or row["available_floor_m2"] >= criteria.min_floor_m2
    # the same ranking whatever the order of the input rows
    shuffled = search_sites(
        parcels.sample(fraction=1.0, shuffle=True, seed=seed),
        parks.sample(fraction=1.0, shuffle=True, seed=seed),
        chain.sample(fraction=1.0, shuffle=True, seed=seed),
        criteria=criteria,
        rules=RULES,
    )
    assert_frame_equal(shuffled, result)
