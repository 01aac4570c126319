"""Rounds over the registry: CLI = platform, reproducibility, publication (tiers, grades), what-if, benefit."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from django.contrib.contenttypes.models import ContentType

from industria.core.models import ObjectChange
from industria.enterprises.models import Enterprise, EnterpriseYearFact, Tier
from industria.evaluations import archive, services, spreadsheet
from industria.evaluations.models import Assessment, LandEfficiencyGrade, RoundStatus, RuleSet
from industria.evaluations.tests.helpers import (
    AS_OF,
    YEAR,
    active,
    enterprise,
    land_declared_csv,
    land_registry_from_template,
    template,
)

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[3]


def cli_results(code: str, tmp_path: Path) -> pl.DataFrame:
    out = tmp_path / f"{code}.csv"
    done = subprocess.run(
        [sys.executable, "-m", "industria", "evaluate", code, str(template(code)), "--out", str(out)],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return pl.read_csv(out, infer_schema=False)


def platform_results(round_: Any) -> pl.DataFrame:
    """The round's stored result rows, as the CLI writes them (text cells), in credit-code order."""
    rows = []
    for a in Assessment.objects.filter(round=round_).select_related("enterprise", "round"):
        _facts, result = services.assessment_data(a)
        rows.append({"uscc": a.enterprise.uscc, **result})
    frame = pl.DataFrame(rows, infer_schema_length=None)
    return frame


def land_round(tmp_path: Path, manager: Any, run_round: Any) -> Any:
    land_registry_from_template()
    round_ = services.evaluation_round_open(actor=manager, ruleset=active("land-efficiency-zj"), year=YEAR, as_of=AS_OF)
    raw = spreadsheet.read_text_table(land_declared_csv(tmp_path))
    services.applications_upload(actor=manager, round_=round_, raw=raw, source="declared.csv")
    return run_round(round_, manager)


def test_cli_output_for_the_template_matches_the_platform_round(tmp_path: Path, manager: Any, run_round: Any) -> None:
    """Registry facts (+ declared exemptions and vetoes) through a round give exactly the CLI's rows."""
    round_ = land_round(tmp_path, manager, run_round)
    cli = cli_results("land-efficiency-zj", tmp_path)

    platform = platform_results(round_)

    compared = [c for c in cli.columns if c not in ("findings", "name")]  # names: display data of the registry
    by_uscc = {r["uscc"]: r for r in platform.iter_rows(named=True)}
    for row in cli.iter_rows(named=True):
        stored = by_uscc[row["uscc"]]
        for column in compared:
            value = stored.get(column)
            text = "" if value is None else ("true" if value is True else "false" if value is False else str(value))
            assert text == (row[column] or ""), (row["uscc"], column)
        findings = "; ".join(
            f"{f['code']}({f['subject'] or ''}{'=' + f['value'] if f['value'] is not None else ''})"
            for f in stored["findings"]
        )
        assert findings == (row["findings"] or "")
    assert round_.status == RoundStatus.EVALUATED
    assert round_.summary["grades"] == {"A": 1, "B": 3, "C": 1, "D": 3, "not_covered": 2, "ungraded": 1}


def test_applicants_round_of_the_innovative_template_matches_the_cli(
    tmp_path: Path, manager: Any, run_round: Any
) -> None:
    source = pl.read_csv(template("sme-innovative-2022"), infer_schema=False)
    for row in source.iter_rows(named=True):
        enterprise(row["uscc"], row["name"])
    round_ = services.evaluation_round_open(
        actor=manager, ruleset=active("sme-innovative-2022"), year=YEAR, as_of=AS_OF, use_applications=True
    )
    services.applications_upload(actor=manager, round_=round_, raw=source, source="applications.csv")
    round_ = run_round(round_, manager)
    cli = cli_results("sme-innovative-2022", tmp_path)

    platform = {r["uscc"]: r for r in platform_results(round_).iter_rows(named=True)}

    for row in cli.iter_rows(named=True):
        stored = platform[row["uscc"]]
        assert str(stored["total_points"]) == row["total_points"]
        assert ("true" if stored["passed"] else "false") == row["passed"]
        assert stored["route"] == row["route"]
        assert stored["innovation_points"] == row["innovation_points"]


def test_rerun_of_an_old_round_reproduces_it_after_a_newer_version_became_active(
    tmp_path: Path, manager: Any, run_round: Any
) -> None:
    round_ = land_round(tmp_path, manager, run_round)
    before = platform_results(round_).sort("uscc")
    old = round_.ruleset
    document = dict(old.parameters)
    document["indicators"] = [dict(i) for i in document["indicators"]]
    document["indicators"][0]["weight"] = 45  # tax per mu weighs more in the new version
    newer = services.ruleset_new_version(actor=manager, ruleset=old, document=document)
    newer = services.ruleset_activate(actor=manager, ruleset=newer)
    old.refresh_from_db()
    assert (old.status, newer.status) == ("retired", "active")

    report = services.evaluation_round_reproduce(round_=round_)
    run_round(round_, manager)  # a real re-run under the stored version
    after = platform_results(round_).sort("uscc")

    assert report["identical"], report["differences"]
    assert report["rows"] == 11
    assert before.equals(after)
    assert after["ruleset_version"].unique().to_list() == [old.version]


def test_reproduction_detects_a_changed_result(tmp_path: Path, manager: Any, run_round: Any) -> None:
    """The check itself must fail when a stored result differs (guards the test above)."""
    round_ = land_round(tmp_path, manager, run_round)
    facts, results = archive.archived_frames(round_)
    tampered = results.with_columns(
        pl.when(pl.col("grade") == "A").then(pl.lit("B")).otherwise(pl.col("grade")).alias("grade")
    )

    differences = services._compare(tampered, results)

    assert [d["column"] for d in differences] == ["grade"]


def test_publishing_an_srdi_round_grants_the_tier_for_three_years(tmp_path: Path, manager: Any, run_round: Any) -> None:
    source = pl.read_csv(template("sme-srdi-2022"), infer_schema=False)
    for row in source.iter_rows(named=True):
        enterprise(row["uscc"], row["name"])
    round_ = services.evaluation_round_open(
        actor=manager, ruleset=active("sme-srdi-2022"), year=YEAR, as_of=AS_OF, use_applications=True
    )
    services.applications_upload(actor=manager, round_=round_, raw=source, source="srdi.csv")
    round_ = run_round(round_, manager)
    services.evaluation_round_open_window(
        actor=manager, round_=round_, opens_on=date(2025, 7, 1), closes_on=date(2025, 7, 14)
    )

    count = services.evaluation_round_publish(actor=manager, round_=round_, on=date(2025, 7, 20))

    tiers = Tier.objects.filter(kind="srdi_sme").order_by("enterprise__uscc")
    assert count == 2 == tiers.count()
    assert {(t.granted_on, t.valid_until, t.status) for t in tiers} == {(date(2025, 7, 20), date(2028, 7, 19), "valid")}
    assert tiers[0].source_document == "工信部企业〔2022〕63号 附件2" or tiers[0].source_document
    bulk = ObjectChange.objects.filter(content_type=ContentType.objects.get_for_model(Tier), action="bulk")
    assert bulk.count() == 1
    assert bulk.get().summary["granted"] == 2
    assert bulk.get().user == manager
    round_.refresh_from_db()
    assert round_.status == RoundStatus.PUBLISHED


def test_publishing_is_refused_while_the_window_is_open(tmp_path: Path, manager: Any, run_round: Any) -> None:
    round_ = land_round(tmp_path, manager, run_round)
    services.evaluation_round_open_window(
        actor=manager, round_=round_, opens_on=date(2025, 7, 1), closes_on=date(2025, 7, 14)
    )

    with pytest.raises(services.PublishRefused):
        services.evaluation_round_publish(actor=manager, round_=round_, on=date(2025, 7, 10))


def test_publishing_a_land_round_stores_grades_per_enterprise_year(
    tmp_path: Path, manager: Any, run_round: Any
) -> None:
    round_ = land_round(tmp_path, manager, run_round)

    count = services.evaluation_round_publish(actor=manager, round_=round_, on=date(2025, 7, 1))

    grades = dict(LandEfficiencyGrade.objects.filter(year=YEAR).values_list("enterprise__uscc", "grade"))
    assert count == 11
    assert grades["91310000000000001Y"] == "A"
    assert grades["91310000000000006E"] == "D"
    assert grades["91310000000000005B"] == "ungraded"


def test_a_draft_rule_set_cannot_run_a_round(manager: Any) -> None:
    draft = services.ruleset_new_version(actor=manager, ruleset=active("land-efficiency-zj"))

    with pytest.raises(services.RoundStateError):
        services.evaluation_round_open(actor=manager, ruleset=draft, year=YEAR, as_of=AS_OF)


# --------------------------------------------------------------------------------------------- what-if


def test_whatif_matrix_equals_a_hand_count_pass_fail(tmp_path: Path, manager: Any, run_round: Any) -> None:
    """Pass mark 60 → 85 on the innovative template: case a (80) fails, exact 85 still passes, the direct
    route still passes, case b still fails."""
    source = pl.read_csv(template("sme-innovative-2022"), infer_schema=False)
    for row in source.iter_rows(named=True):
        enterprise(row["uscc"], row["name"])
    round_ = services.evaluation_round_open(
        actor=manager, ruleset=active("sme-innovative-2022"), year=YEAR, as_of=AS_OF, use_applications=True
    )
    services.applications_upload(actor=manager, round_=round_, raw=source, source="a.csv")
    round_ = run_round(round_, manager)
    document = dict(round_.ruleset.parameters)
    document["outcome"] = {**document["outcome"], "standard_route": {"total_min": 85, "category_minima": True}}
    draft = services.ruleset_new_version(actor=manager, ruleset=round_.ruleset, document=document)

    comparison = services.whatif_compare(round_=round_, candidate=draft)

    assert comparison["matrix"] == {"passed": {"passed": 2, "failed": 1}, "failed": {"passed": 0, "failed": 1}}
    assert comparison["moves"]["uscc"].to_list() == ["91310000000000001Y"]


def test_whatif_matrix_equals_a_hand_count_grades(tmp_path: Path, manager: Any, run_round: Any) -> None:
    """Grade A up to p ≤ 0.45 instead of 0.25: the two tied B firms (rank 2 of 5, p = 0.4) become A."""
    round_ = land_round(tmp_path, manager, run_round)
    document = dict(round_.ruleset.parameters)
    grading = dict(document["outcome"]["grading"])
    grading["classes"] = [{"grade": "A", "lte": 0.45}, *grading["classes"][1:]]
    document["outcome"] = {**document["outcome"], "grading": grading}
    draft = services.ruleset_new_version(actor=manager, ruleset=round_.ruleset, document=document)

    comparison = services.whatif_compare(round_=round_, candidate=draft)

    matrix = comparison["matrix"]
    assert matrix["B"]["A"] == 2
    assert matrix["B"]["B"] == 1
    assert matrix["A"]["A"] == 1
    assert matrix["C"]["C"] == 1
    assert matrix["D"]["D"] == 3
    assert matrix["ungraded"]["ungraded"] == 1
    assert matrix["not_covered"]["not_covered"] == 2
    assert sum(sum(row.values()) for row in matrix.values()) == 11
    assert sorted(comparison["moves"]["uscc"].to_list()) == ["913100000000000022", "913100000000000048"]


# --------------------------------------------------------------------------------------------- benefit


def _facts(e: Enterprise, year: int, **values: Any) -> None:
    EnterpriseYearFact.objects.create(enterprise=e, year=year, **values)


def benefit_registry() -> dict[str, Enterprise]:
    """Six enterprises; on registry facts alone (IP class and catalogue unknown → 0 points) a firm passes the
    innovative-SME score with R&D ≥ 5 % (20), growth ≥ 15 % (20), debt ≤ 55 % (10), main share ≥ 70 % (20) = 70."""
    from decimal import Decimal as Dec

    made = {}
    for i, (name, district, rd) in enumerate(
        [("A passes", "310115", "600000"), ("B holds it", "310115", "600000"), ("C holds SRDI", "310115", "600000"),
         ("D low R&D", "310115", "100000"), ("E other district", "310114", "600000"), ("F expired", "310115", "600000")]
    ):  # fmt: skip
        from industria.enterprises.tests.factories import valid_uscc

        e = enterprise(valid_uscc(500 + i, district), name, district)
        _facts(e, YEAR - 1, main_revenue_cny=Dec("8000000"))
        _facts(
            e, YEAR, main_revenue_cny=Dec("9200000"), operating_revenue_cny=Dec("10000000"), rd_expense_cny=Dec(rd),
            total_assets_cny=Dec("20000000"), total_liabilities_cny=Dec("10000000"),
        )  # fmt: skip
        made[name[0]] = e
    Tier.objects.create(
        enterprise=made["B"], kind="innovative_sme", granted_on=date(2024, 1, 1), valid_until=date(2026, 12, 31)
    )
    Tier.objects.create(
        enterprise=made["C"], kind="srdi_sme", granted_on=date(2024, 1, 1), valid_until=date(2026, 12, 31)
    )
    Tier.objects.create(
        enterprise=made["F"], kind="innovative_sme", granted_on=date(2021, 1, 1), valid_until=date(2023, 12, 31)
    )
    return made


def test_benefit_without_applying_lists_exactly_the_expected_enterprises(make_user: Any) -> None:
    made = benefit_registry()
    officer = make_user("district_officer", district_code="310115")
    admin = make_user("municipal_admin")

    district = services.benefit_candidates(user=officer, programme="sme_innovative", year=YEAR, as_of=date(2025, 6, 1))
    city = services.benefit_candidates(user=admin, programme="sme_innovative", year=YEAR, as_of=date(2025, 6, 1))

    assert sorted(district["enterprise_id"].to_list()) == sorted([made["A"].pk, made["F"].pk])
    assert sorted(city["enterprise_id"].to_list()) == sorted([made["A"].pk, made["E"].pk, made["F"].pk])
    assert set(city["total_points"].cast(str).to_list()) == {"70.00"}


def test_benefit_page_lists_and_exports(client: Any, make_user: Any) -> None:
    made = benefit_registry()
    client.force_login(make_user("programme_manager"))

    page = client.get("/evaluations/benefit/", {"programme": "sme_innovative", "year": YEAR})
    export = client.get("/evaluations/benefit/", {"programme": "sme_innovative", "year": YEAR, "export": "csv"})

    assert page.status_code == 200
    body = b"".join(export.streaming_content).decode("utf-8-sig")
    assert made["A"].uscc in body
    assert made["E"].uscc in body
    assert made["B"].uscc not in body
    assert made["A"].uscc.encode() in page.content


def test_builtin_rule_sets_are_loaded_active_by_migration() -> None:
    codes = set(RuleSet.objects.filter(status="active", builtin=True).values_list("code", flat=True))

    assert codes == {"land-efficiency-zj", "sme-innovative-2022", "sme-srdi-2022", "sme-little-giant-2022"}
