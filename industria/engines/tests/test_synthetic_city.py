"""The synthetic-city generator: determinism, valid registry data, consistent facts, calibration at city scale.

No database. The reference data comes from fixtures/reference/industry/ (tests may read files; the generator never
does). The city-scale city is generated once per module (about a second).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import polars as pl
import pytest
import yaml
from stdnum.cn import uscc as stdnum_uscc

from industria.engines.synthetic import (
    ENTERPRISE_SCHEMA,
    MONTHLY_SCHEMA,
    TIER_KINDS,
    TIER_SCHEMA,
    YEARLY_SCHEMA,
    SyntheticCity,
    calibration_report,
    generate_city,
)
from industria.engines.synthetic import calibration as cal
from industria.engines.synthetic.codes import uscc_valid_expr

ROOT = Path(__file__).resolve().parents[3]
INDUSTRY_DIR = ROOT / "fixtures/reference/industry"
# statistics-and-data.md §2.1: the 16 district codes.
DISTRICTS = [
    "310101", "310104", "310105", "310106", "310107", "310109", "310110", "310112",
    "310113", "310114", "310115", "310116", "310117", "310118", "310120", "310151",
]  # fmt: skip
CENTRAL = DISTRICTS[:7]
YEARS = list(range(2019, 2025))
AS_OF = dt.date(2024, 12, 31)


@pytest.fixture(autouse=True)
def _english_by_default() -> None:
    """Overrides the root conftest's autouse fixture, which needs pytest-django: engine tests run with
    ``-p no:django`` and need no Django settings."""


@pytest.fixture(scope="module")
def reference() -> dict:
    gbt = yaml.safe_load((INDUSTRY_DIR / "gbt4754-2017-manufacturing.yaml").read_text(encoding="utf-8"))
    mapping = yaml.safe_load((INDUSTRY_DIR / "default-industry-mapping.yaml").read_text(encoding="utf-8"))
    divisions = [d["code"] for d in gbt["divisions"] if d["section"] in ("C", "D")]
    classes = [c["code"] for c in gbt["classes"] if c["level"] == "class"]
    return {"codes": divisions + classes, "rules": mapping["rules"]}


def make(reference: dict, scale: str = "tiny", seed: int = 1, **kw) -> SyntheticCity:
    return generate_city(
        scale, seed, districts=DISTRICTS, industry_codes=reference["codes"], mapping=reference["rules"], **kw
    )


@pytest.fixture(scope="module")
def city(reference: dict) -> SyntheticCity:
    return make(reference, "city", seed=2024)


@pytest.fixture(scope="module")
def above(city: SyntheticCity) -> pl.DataFrame:
    return city.yearly_facts.filter(pl.col("above_size")).join(
        city.enterprises.select("uscc", "district_code", "ownership_type", "industry_code"), on="uscc"
    )


# ------------------------------------------------------------------------------------------------ determinism
def frames(c: SyntheticCity) -> list[pl.DataFrame]:
    return [c.enterprises, c.yearly_facts, c.monthly_facts, c.tiers]


def test_same_seed_gives_identical_frames(reference: dict) -> None:
    for a, b in zip(frames(make(reference, seed=5)), frames(make(reference, seed=5)), strict=True):
        assert a.equals(b)


def test_different_seed_gives_different_frames(reference: dict) -> None:
    for a, b in zip(frames(make(reference, seed=5)), frames(make(reference, seed=6)), strict=True):
        assert not a.equals(b)


def test_district_order_does_not_matter(reference: dict) -> None:
    a = make(reference, seed=9)
    b = generate_city(
        "tiny", 9, districts=list(reversed(DISTRICTS)), industry_codes=reference["codes"], mapping=reference["rules"]
    )
    assert a.yearly_facts.equals(b.yearly_facts)


def test_schemas_and_synthetic_label(city: SyntheticCity) -> None:
    for frame, schema in zip(
        frames(city), (ENTERPRISE_SCHEMA, YEARLY_SCHEMA, MONTHLY_SCHEMA, TIER_SCHEMA), strict=True
    ):
        assert dict(frame.schema) == schema
        assert frame["synthetic"].all()
        assert frame.height > 0


def test_scale_sizes(reference: dict, city: SyntheticCity) -> None:
    assert make(reference).enterprises.height == sum(cal.SCALE_COUNTS["tiny"])
    assert city.enterprises.height == 60_000
    assert make(reference, include_below_size=False).enterprises.height == cal.SCALE_COUNTS["tiny"][0]
    assert make(reference, monthly=False).monthly_facts.is_empty()


# ------------------------------------------------------------------------------------------------ registry
def test_every_uscc_is_valid_unique_and_in_its_district(city: SyntheticCity) -> None:
    e = city.enterprises
    assert e["uscc"].n_unique() == e.height
    assert e.select(uscc_valid_expr(pl.col("uscc")).all()).item()
    assert e.select((pl.col("uscc").str.slice(0, 2) == "91").all()).item()
    assert e.select((pl.col("uscc").str.slice(2, 6) == pl.col("district_code")).all()).item()
    assert set(e["district_code"].unique()) <= set(DISTRICTS)
    for code in e["uscc"].sample(1_000, seed=3).to_list():
        assert stdnum_uscc.is_valid(code), code


def test_ma_codes_for_firms_registered_after_uscc_reform(city: SyntheticCity) -> None:
    e = city.enterprises.with_columns(ma=pl.col("uscc").str.slice(8, 2) == "MA")
    assert (e["ma"] == (e["established_on"] >= cal.USCC_MA_FROM)).all()


def test_names_are_unique_and_marked_synthetic(city: SyntheticCity) -> None:
    e = city.enterprises
    assert e["name_zh"].n_unique() == e.height
    assert e["name_zh"].str.ends_with("（模拟）").all()
    assert e["name_en"].str.ends_with("(synthetic)").all()
    assert e.filter(pl.col("ownership_type") == "private")["name_zh"].str.starts_with("上海").all()


def test_registry_columns_are_plausible(reference: dict, city: SyntheticCity) -> None:
    e = city.enterprises
    assert set(e["industry_code"].unique()) <= set(reference["codes"])
    assert set(e["ownership_type"].unique()) == set(cal.OWNERSHIP)
    assert (e["registered_capital_cny"] >= 100_000).all()
    assert (e["registered_capital_cny"] % 10_000 == 0).all()
    closed = e.filter(pl.col("closed_on").is_not_null())
    assert (closed["closed_on"] > closed["established_on"]).all()
    assert 250 <= e["is_listed"].sum() <= 400  # ≈ 3% of the above-size pool (10,000)
    assert e["is_headquarters"].sum() == cal.HEADQUARTERS_CITY


# ------------------------------------------------------------------------------------------------ yearly facts
def test_panel_is_unbalanced_contiguous_and_within_the_firm_life(city: SyntheticCity) -> None:
    y = city.yearly_facts
    assert y.select(pl.struct("uscc", "year").n_unique()).item() == y.height
    spans = y.group_by("uscc").agg(
        pl.len().alias("n"), pl.col("year").min().alias("lo"), pl.col("year").max().alias("hi")
    )
    assert (spans["hi"] - spans["lo"] + 1 == spans["n"]).all()
    assert spans["n"].min() < len(YEARS)
    assert spans["lo"].max() > YEARS[0]
    assert spans["hi"].min() < YEARS[-1]
    life = spans.join(city.enterprises, on="uscc")
    assert (life["lo"] >= life["established_on"].dt.year()).all()
    assert (
        life.filter(pl.col("closed_on").is_not_null())
        .select((pl.col("hi") == pl.col("closed_on").dt.year()).all())
        .item()
    )


def test_facts_are_non_negative_and_consistent(city: SyntheticCity) -> None:
    y = city.yearly_facts
    non_negative = [c for c, t in YEARLY_SCHEMA.items() if t.is_numeric() and c not in ("profit_cny", "year")]
    assert y.select(pl.all_horizontal(pl.col(non_negative).fill_null(0) >= 0).all()).item()
    checks = {
        "value added < output": pl.col("value_added_cny") < pl.col("gross_output_cny"),
        "tax <= value added": pl.col("tax_paid_cny") <= pl.col("value_added_cny"),
        "profit <= value added": pl.col("profit_cny") <= pl.col("value_added_cny"),
        "operating >= main revenue": pl.col("operating_revenue_cny") >= pl.col("main_revenue_cny"),
        "liabilities within assets": pl.col("total_liabilities_cny").is_between(0, pl.col("total_assets_cny")),
        "rd staff within employees": pl.col("rd_staff") <= pl.col("employees_avg"),
        "rd staff iff rd expense": (pl.col("rd_staff") > 0) == (pl.col("rd_expense_cny") > 0),
        "energy covers electricity": pl.col("energy_tce") >= pl.col("electricity_kwh") * cal.KGCE_PER_KWH / 1000 - 0.01,
        "above-size flag": pl.col("above_size") == (pl.col("main_revenue_cny") >= 20_000_000),
        "employees >= 1": pl.col("employees_avg") >= 1,
    }
    failed = {name: y.filter(~expr).height for name, expr in checks.items() if y.filter(~expr).height}
    assert not failed


def test_size_class_follows_the_nbs_rule(city: SyntheticCity) -> None:
    y = city.yearly_facts
    large = (pl.col("employees_avg") >= 1000) & (pl.col("operating_revenue_cny") >= 400_000_000)
    medium = (pl.col("employees_avg") >= 300) & (pl.col("operating_revenue_cny") >= 20_000_000)
    small = (pl.col("employees_avg") >= 20) & (pl.col("operating_revenue_cny") >= 3_000_000)
    expected = (
        pl.when(large).then(pl.lit("large")).when(medium).then(pl.lit("medium")).when(small).then(pl.lit("small"))
    )
    assert y.select((pl.col("size_class") == expected.otherwise(pl.lit("micro"))).all()).item()


def test_about_five_percent_of_emissions_missing(city: SyntheticCity) -> None:
    share = city.yearly_facts["emissions_t"].null_count() / city.yearly_facts.height
    assert 0.04 < share < 0.06


def test_land_tenants_and_owners(city: SyntheticCity) -> None:
    y = city.yearly_facts
    assert y.filter(pl.col("land_area_mu") == 0).height > 0  # tenants
    owners = y.filter(pl.col("above_size") & (pl.col("land_area_mu") > 0))
    assert 25 <= owners["land_area_mu"].median() <= 45  # SD §4.2: median ≈ 30-40 mu
    assert (y["floor_area_m2"] > 0).all()


# ------------------------------------------------------------------------------------------------ calibration
def test_above_size_output_matches_published_totals(city: SyntheticCity) -> None:
    report = calibration_report(city)
    assert report["year"].to_list() == YEARS
    assert report["output_vs_target"].is_between(0.98, 1.02).all()
    output = dict(zip(report["year"], report["gross_output_cny"], strict=True))
    assert all(3.85e12 <= output[y] <= 4.3e12 for y in (2021, 2022, 2023, 2024))  # ≈ 3.9-4.3 trillion
    assert output[2020] / output[2019] < 1.01  # 2020 dip: flat year (the collapse is in February)
    assert output[2022] < output[2021]  # 2022 dip
    assert report["output_to_value_added"].is_between(3.6, 3.8).all()  # SD §4.6
    assert report["tax_to_revenue"].is_between(0.044, 0.050).all()  # SD §1.3: 4.7%
    assert report["profit_to_revenue"].is_between(0.070, 0.080).all()  # SD §1.3: 7.5%
    assert report["value_added_per_employee_cny"].is_between(400_000, 600_000).all()  # DR §1.2 T5
    assert report["above_size_enterprises"].is_between(8_000, 9_800).all()  # SD §1.8 [U]
    lo, hi = cal.TAX_PER_MU_CHECK_CNY
    assert report["tax_per_mu_cny"].is_between(lo, hi).all()  # SD §4.3


def test_district_and_ownership_shares(above: pl.DataFrame) -> None:
    def shares(key: str) -> dict[str, float]:
        s = above.group_by(key).agg(pl.col("gross_output_cny").sum())
        return dict(zip(s[key], s["gross_output_cny"] / s["gross_output_cny"].sum(), strict=True))

    district = shares("district_code")
    assert 0.29 <= district["310115"] <= 0.38  # Pudong ≈ a third (SD §2.1: 33.6% in 2024)
    assert sum(district.get(d, 0.0) for d in CENTRAL) < 0.08  # central districts small (SD §2.1)
    ownership = shares("ownership_type")
    for kind, profile in cal.OWNERSHIP.items():
        assert abs(ownership[kind] - profile.output_share) < 0.03, kind


def test_size_distribution(above: pl.DataFrame) -> None:
    y2024 = above.filter(pl.col("year") == 2024)
    output = np.sort(y2024["gross_output_cny"].to_numpy())[::-1]
    top1 = output[: output.size // 100].sum() / output.sum()
    assert 0.3 <= top1 <= 0.5  # SD §4.1: ≈1% of firms hold a large share
    assert 400 <= (output >= 1e9).sum() <= 800  # DR §1.4 successor plan: ≈500-600 firms >= 10亿
    by_class = y2024.group_by("size_class").agg(pl.col("gross_output_cny").sum())
    large = by_class.filter(pl.col("size_class") == "large")["gross_output_cny"].item() / output.sum()
    assert 0.4 <= large <= 0.6  # SD §1.3: large 49.8%


def test_leading_industries_do_more_rd(city: SyntheticCity) -> None:
    y = city.yearly_facts.filter(pl.col("above_size") & (pl.col("rd_expense_cny") > 0)).join(
        city.enterprises.select("uscc", "industry_code"), on="uscc"
    )
    ratio = (pl.col("rd_expense_cny") / pl.col("operating_revenue_cny")).median()
    ic_bio = y.filter(pl.col("industry_code").is_in(["27", "3973", "3972"])).select(ratio).item()
    rest = y.filter(pl.col("industry_code").is_in(["13", "17", "33"])).select(ratio).item()
    assert ic_bio > 1.5 * rest


# ------------------------------------------------------------------------------------------------ monthly facts
def test_monthly_facts_add_up_to_the_year(city: SyntheticCity) -> None:
    m = city.monthly_facts
    assert m.group_by("uscc", "year").len()["len"].eq(12).all()
    sums = m.group_by("uscc", "year").agg(pl.col("gross_output_cny", "value_added_cny").sum())
    yearly = city.yearly_facts.filter(pl.col("above_size")).select(
        "uscc", "year", "gross_output_cny", "value_added_cny"
    )
    joined = yearly.join(sums, on=["uscc", "year"], how="full", suffix="_m", coalesce=True)
    assert joined.height == yearly.height == sums.height  # above-size firm-years only, all of them
    assert (joined["gross_output_cny"] == joined["gross_output_cny_m"]).all()
    assert (joined["value_added_cny"] == joined["value_added_cny_m"]).all()
    assert (m["gross_output_cny"] >= 0).all()
    assert (m["value_added_cny"] < m["gross_output_cny"] + 1).all()


def test_monthly_profile_spring_festival_and_lockdown(city: SyntheticCity) -> None:
    city_month = (
        city.monthly_facts.group_by("year", "month").agg(pl.col("gross_output_cny").sum()).sort("year", "month")
    )
    out = {(y, m): v for y, m, v in city_month.iter_rows()}
    year_total = {y: sum(out[(y, m)] for m in range(1, 13)) for y in YEARS}
    for y in YEARS:
        assert (out[(y, 1)] + out[(y, 2)]) / year_total[y] < 0.155  # Spring Festival dip (≈14% in 2021)
        assert out[(y, 12)] == max(out[(y, m)] for m in range(1, 13)) or y == 2022
    assert out[(2020, 2)] < 0.85 * out[(2019, 2)]  # first COVID wave
    assert out[(2022, 4)] < 0.6 * out[(2021, 4)]  # April 2022 lockdown collapse (SD §1.9)
    assert out[(2022, 5)] < 0.85 * out[(2021, 5)]
    assert out[(2022, 6)] > out[(2021, 6)]  # June 2022 rebound, +15.8% y/y
    assert 0.45 <= sum(out[(2019, m)] for m in range(1, 7)) / year_total[2019] <= 0.49  # H1 2019: 16169 of ≈34,700


# ------------------------------------------------------------------------------------------------ tiers
def test_tier_records_are_well_formed(city: SyntheticCity) -> None:
    t = city.tiers
    assert set(t["kind"].unique()) == set(TIER_KINDS)
    assert set(t["status"].unique()) <= {"valid", "expired", "revoked"}
    assert set(t["level"].unique()) <= {"municipal", "national"}
    assert t.join(city.enterprises, on="uscc", how="anti").is_empty()
    dated = t.filter(pl.col("valid_until").is_not_null())
    assert (dated["valid_until"] > dated["granted_on"]).all()
    assert t["granted_on"].max() <= AS_OF
    valid = t.filter(pl.col("status") == "valid")
    assert valid.select(pl.struct("uscc", "kind").n_unique()).item() == valid.height  # one valid record per kind
    assert (valid.filter(pl.col("valid_until").is_not_null())["valid_until"] >= AS_OF).all()
    expired = t.filter(pl.col("status") == "expired")
    assert (expired["valid_until"] < AS_OF).all()


def test_tier_counts_match_published_figures(city: SyntheticCity) -> None:
    valid = dict(city.tiers.filter(pl.col("status") == "valid").group_by("kind").len().iter_rows())
    # Targets at city scale (calibration.TIERS comments; docs/engines/synthetic.md).
    expected = {
        "innovative_sme": 9_000,
        "srdi_sme": 5_400,
        "little_giant": 750,
        "single_champion": 50,
        "high_tech": 8_500,
        "leading_enterprise": 50,
        "unicorn": 35,
        "gazelle": 90,
    }
    for kind, target in expected.items():
        assert 0.75 * target <= valid[kind] <= 1.15 * target, (kind, valid[kind])
    ten_billion = city.yearly_facts.filter((pl.col("year") == 2024) & (pl.col("gross_output_cny") >= 1e10)).height
    assert valid["ten_billion"] == ten_billion


def test_little_giants_come_from_srdi_firms_and_smes(city: SyntheticCity) -> None:
    t = city.tiers
    giants = t.filter(pl.col("kind") == "little_giant")["uscc"].unique()
    srdi = t.filter(pl.col("kind") == "srdi_sme")["uscc"].unique()
    assert giants.is_in(srdi.implode()).mean() > 0.6
    grants = (
        t.filter(pl.col("kind").is_in(["innovative_sme", "srdi_sme", "little_giant"]) & ~pl.col("renewal"))
        .with_columns(year=pl.col("granted_on").dt.year().cast(pl.Int16))
        .join(city.yearly_facts, on=["uscc", "year"])
    )
    sme = (pl.col("employees_avg") < 1000) | (pl.col("operating_revenue_cny") < 400_000_000)
    assert grants.select(sme.all()).item()


# ------------------------------------------------------------------------------------------------ inputs
@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"scale": "metropolis"}, "scale"),
        ({"seed": -1}, "seed"),
        ({"years": [2019, 2021]}, "consecutive"),
        ({"years": [2014, 2015]}, "calibration target"),
        ({"districts": ["3101"]}, "6-digit"),
        ({"districts": []}, "at least one"),
        ({"industry_codes": ["C36"]}, "GB/T 4754"),
    ],
)
def test_bad_inputs_are_refused(reference: dict, kwargs: dict, message: str) -> None:
    args = {"scale": "tiny", "seed": 1, "districts": DISTRICTS, "industry_codes": reference["codes"]} | kwargs
    scale, seed = args.pop("scale"), args.pop("seed")
    with pytest.raises(ValueError, match=message):
        generate_city(scale, seed, mapping=reference["rules"], **args)


def test_accepts_district_records_and_no_mapping(reference: dict) -> None:
    records = [{"code": d, "name_zh": "x"} for d in DISTRICTS]
    c = generate_city("tiny", 3, districts=records, industry_codes=["34", "36", "39"], mapping=None, years=[2021, 2022])
    assert set(c.yearly_facts["year"].unique()) == {2021, 2022}
    assert set(c.enterprises["industry_code"].unique()) <= {"34", "36", "39"}
