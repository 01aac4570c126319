"""Economic-density engine: a hand-computed golden case at each level, allocation properties, benchmarks."""

from __future__ import annotations

from typing import Any

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from industria.engines.common.schema import SchemaError
from industria.engines.economic_density import PUBLISHED_BENCHMARKS, allocate, economic_density

MU = 10_000 / 15  # m² per mu
YI = 100_000_000  # 1 亿元

# P1, P2 in park 10 / Pudong; P3 outside parks and P4 (idle, never used) in park 20, both in Jiading
PARCELS = pl.DataFrame(
    {
        "parcel_id": [1, 2, 3, 4],
        "park_id": [10, 10, None, 20],
        "district_code": ["310115", "310115", "310114", "310114"],
        "area_m2": [10 * MU, 10 * MU, 20 * MU, 10 * MU],
    }
)
USES = pl.DataFrame(
    {
        "enterprise_id": [1, 1, 2, 3, 1],
        "parcel_id": [1, 2, 2, 3, 1],
        "year": [2023, 2023, 2023, 2023, 2024],
        "used_area_m2": [None, 5 * MU, None, None, None],  # E1 uses all of P1 and half of P2: shares 2/3, 1/3
    }
)
FACTS = pl.DataFrame(
    {
        "enterprise_id": [1, 2, 3, 1],
        "year": [2023, 2023, 2023, 2024],
        "gross_output_cny": [3 * YI, 1 * YI, 2 * YI, 6 * YI],
        "tax_paid_cny": [0.3 * YI, None, 0.2 * YI, 0.5 * YI],
    }
)
GRADES = pl.DataFrame({"enterprise_id": [1, 2, 2, 3], "year": [2023, 2023, 2023, 2023], "grade": ["A", "B", "D", "C"]})


def table(level: str) -> dict[tuple[Any, int], dict[str, Any]]:
    result = economic_density(USES, FACTS, PARCELS, GRADES, level=level)  # type: ignore[arg-type]
    key = result.columns[0]
    return {(row[key], row["year"]): row for row in result.iter_rows(named=True)}


def test_allocation_by_used_area() -> None:
    allocated = allocate(USES, FACTS, PARCELS).sort("year", "enterprise_id", "parcel_id")
    assert allocated.select("enterprise_id", "parcel_id", "year").rows() == [
        (1, 1, 2023),
        (1, 2, 2023),
        (2, 2, 2023),
        (3, 3, 2023),
        (1, 1, 2024),
    ]
    assert allocated["share"].to_list() == pytest.approx([2 / 3, 1 / 3, 1, 1, 1])
    assert allocated["output_cny"].to_list() == pytest.approx([2 * YI, 1 * YI, 1 * YI, 2 * YI, 6 * YI])
    assert allocated["tax_cny"].to_list()[2] is None  # E2 reported no tax


def test_parcel_level() -> None:
    rows = table("parcel")
    assert set(rows) == {(p, y) for p in (1, 2, 3, 4) for y in (2023, 2024)}
    p2 = rows[(2, 2023)]
    assert p2["output_cny"] == pytest.approx(2 * YI)
    assert p2["tax_cny"] == pytest.approx(0.1 * YI)  # E1's third; E2's tax unknown
    assert p2["land_area_mu"] == pytest.approx(10)
    assert p2["output_cny_per_mu"] == pytest.approx(2 * YI / 10)
    assert p2["enterprises"] == 2
    assert (p2["grade_a"], p2["grade_b"], p2["grade_d"]) == (1, 0, 1)
    assert rows[(1, 2024)]["output_growth_pct"] == pytest.approx(200.0)  # 2 亿 -> 6 亿
    assert rows[(2, 2024)]["output_cny"] == 0.0
    assert rows[(2, 2024)]["output_growth_pct"] == pytest.approx(-100.0)
    idle = rows[(4, 2023)]
    assert (idle["output_cny"], idle["enterprises"], idle["output_growth_pct"]) == (0.0, 0, None)


def test_park_level() -> None:
    rows = table("park")
    assert set(rows) == {(10, 2023), (10, 2024), (20, 2023), (20, 2024)}  # P3 is in no park
    park = rows[(10, 2023)]
    assert park["land_area_m2"] == pytest.approx(20 * MU)
    assert park["output_cny"] == pytest.approx(4 * YI)
    assert park["output_cny_per_mu"] == pytest.approx(2 * 10**7)
    # 4 亿元 over 20 mu = 0.01333 km²: 300 亿元/km², i.e. 2,000 万元/亩 (1 亿元/km² = 6.67 万元/亩)
    assert park["output_100m_cny_per_km2"] == pytest.approx(300)
    assert park["tax_100m_cny_per_km2"] == pytest.approx(0.3 / (20 * MU / 1e6))  # E1 0.3 亿; E2 reported no tax
    assert (park["enterprises"], park["grade_a"], park["grade_b"], park["grade_c"], park["grade_d"]) == (2, 1, 0, 0, 1)
    assert rows[(10, 2024)]["output_growth_pct"] == pytest.approx(50.0)
    assert rows[(20, 2023)]["output_cny"] == 0.0
    assert rows[(20, 2023)]["land_area_mu"] == pytest.approx(10)


def test_district_level_counts_idle_land_in_the_denominator() -> None:
    rows = table("district")
    jiading = rows[("310114", 2023)]
    assert jiading["land_area_mu"] == pytest.approx(30)  # P3 + idle P4
    assert jiading["output_cny_per_mu"] == pytest.approx(2 * YI / 30)
    assert rows[("310114", 2024)]["output_growth_pct"] == pytest.approx(-100.0)
    assert rows[("310115", 2023)]["output_cny"] == pytest.approx(4 * YI)


def test_users_without_reported_output_give_null_not_zero() -> None:
    facts = FACTS.filter(pl.col("enterprise_id") != 3)
    result = economic_density(USES, facts, PARCELS, GRADES, level="parcel")
    p3 = result.filter((pl.col("parcel_id") == 3) & (pl.col("year") == 2023)).row(0, named=True)
    assert p3["enterprises"] == 1
    assert p3["output_cny"] is None
    assert p3["output_cny_per_mu"] is None


def test_bad_level_and_missing_columns() -> None:
    with pytest.raises(ValueError, match="level"):
        economic_density(USES, FACTS, PARCELS, GRADES, level="city")  # type: ignore[arg-type]
    with pytest.raises(SchemaError, match="area_m2"):
        economic_density(USES, FACTS, PARCELS.drop("area_m2"), GRADES, level="park")


def test_published_benchmarks() -> None:
    by_kind = {b["kind"]: b for b in PUBLISHED_BENCHMARKS}
    assert by_kind["development_zone"]["value_100m_cny_per_km2"] == 83.66
    assert by_kind["industrial_base"]["value_100m_cny_per_km2"] == 75.69
    assert by_kind["characteristic_park"]["value_100m_cny_per_km2"] == 141.0
    for item in PUBLISHED_BENCHMARKS:
        assert item["source"].startswith("http")
        assert item["confidence"] in ("S", "M", "U")
        assert {"code", "label_zh", "label_en", "year"} <= set(item)


@st.composite
def land(draw: st.DrawFn) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    n_parcels = draw(st.integers(1, 8))
    parcels = pl.DataFrame(
        {
            "parcel_id": list(range(n_parcels)),
            "park_id": draw(st.lists(st.one_of(st.none(), st.integers(1, 3)), min_size=n_parcels, max_size=n_parcels)),
            "district_code": draw(
                st.lists(st.sampled_from(["310115", "310114"]), min_size=n_parcels, max_size=n_parcels)
            ),
            "area_m2": draw(st.lists(st.floats(100, 1e6), min_size=n_parcels, max_size=n_parcels)),
        },
        schema={"parcel_id": pl.Int64, "park_id": pl.Int64, "district_code": pl.String, "area_m2": pl.Float64},
    )
    uses = draw(
        st.lists(
            st.tuples(st.integers(1, 5), st.integers(0, n_parcels - 1), st.sampled_from([2023, 2024])),
            unique=True,
            max_size=15,
        )
    )
    used = draw(st.lists(st.one_of(st.none(), st.floats(1, 1e5)), min_size=len(uses), max_size=len(uses)))
    uses_frame = pl.DataFrame(
        {
            "enterprise_id": [u[0] for u in uses],
            "parcel_id": [u[1] for u in uses],
            "year": [u[2] for u in uses],
            "used_area_m2": used,
        },
        schema={"enterprise_id": pl.Int64, "parcel_id": pl.Int64, "year": pl.Int32, "used_area_m2": pl.Float64},
    )
    keys = [(e, y) for e in range(1, 6) for y in (2023, 2024)]
    facts = pl.DataFrame(
        {
            "enterprise_id": [k[0] for k in keys],
            "year": [k[1] for k in keys],
            "gross_output_cny": draw(st.lists(st.floats(0, 1e10), min_size=len(keys), max_size=len(keys))),
            "tax_paid_cny": draw(st.lists(st.floats(0, 1e9), min_size=len(keys), max_size=len(keys))),
        },
        schema={
            "enterprise_id": pl.Int64,
            "year": pl.Int32,
            "gross_output_cny": pl.Float64,
            "tax_paid_cny": pl.Float64,
        },
    )
    grades = facts.select("enterprise_id", "year", pl.lit("B").alias("grade"))
    return uses_frame, facts, parcels, grades


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=land())
def test_allocation_conserves_totals(data: tuple[pl.DataFrame, ...]) -> None:
    uses, facts, parcels, grades = data
    allocated = allocate(uses, facts, parcels)
    per_enterprise = allocated.group_by("enterprise_id", "year").agg(pl.col("output_cny").sum(), pl.col("share").sum())
    joined = per_enterprise.join(facts, on=["enterprise_id", "year"])
    for row in joined.iter_rows(named=True):
        assert row["share"] == pytest.approx(1.0)
        assert row["output_cny"] == pytest.approx(row["gross_output_cny"], rel=1e-9, abs=1e-6)
    total = allocated["output_cny"].sum()
    by_parcel = economic_density(uses, facts, parcels, grades, level="parcel")
    by_district = economic_density(uses, facts, parcels, grades, level="district")
    assert by_parcel["output_cny"].sum() == pytest.approx(total, rel=1e-9, abs=1e-6)
    assert by_district["output_cny"].sum() == pytest.approx(total, rel=1e-9, abs=1e-6)
    assert by_district["land_area_m2"].sum() == pytest.approx(parcels["area_m2"].sum() * by_district["year"].n_unique())
    # invariant to the order of every input
    shuffled = economic_density(uses.reverse(), facts.reverse(), parcels.reverse(), grades.reverse(), level="park")
    assert_equal_approx(shuffled, economic_density(uses, facts, parcels, grades, level="park"))


def assert_equal_approx(left: pl.DataFrame, right: pl.DataFrame) -> None:
    from polars.testing import assert_frame_equal

    assert_frame_equal(left, right, check_exact=False, rel_tol=1e-9, abs_tol=1e-6)
