"""The enterprise list (filters, year facts, export, scope, query count) and the enterprise page (tabs, charts)."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from industria.accounts.tests.factories import district
from industria.enterprises.choices import MappingSource

from .factories import (
    EnterpriseFactory,
    MonthFactFactory,
    TierFactory,
    YearFactFactory,
    group,
    group_link,
)

pytestmark = pytest.mark.django_db
LIST = "/enterprises/"


def csv_rows(response: Any) -> list[dict[str, str]]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(body)))


def json_block(response: Any, element_id: str) -> Any:
    match = re.search(rf'<script id="{element_id}" type="application/json">(.*?)</script>', response.content.decode())
    assert match, f"no json_script {element_id}"
    return json.loads(match.group(1))


@pytest.fixture
def officer_client(client: Any, make_user: Any) -> Any:
    client.force_login(make_user("district_officer", district_code="310115"))
    return client


@pytest.fixture
def analyst_client(client: Any, make_user: Any) -> Any:
    client.force_login(make_user("municipal_analyst"))
    return client


def rich_enterprise(**kwargs: Any) -> Any:
    """An enterprise with two years of facts, a primary group and a tier."""
    enterprise = EnterpriseFactory(**kwargs)
    YearFactFactory(enterprise=enterprise, year=2023, main_revenue_cny=Decimal("10000000.00"))
    YearFactFactory(
        enterprise=enterprise, year=2024, main_revenue_cny=Decimal("25000000.00"), energy_tce=Decimal("12.5")
    )
    group_link(enterprise, "cluster-high-end-equipment", weight="0.7", primary=True)
    TierFactory(enterprise=enterprise)
    return enterprise


# ------------------------------------------------------------------------------------------ list


def test_list_shows_the_chosen_year_facts_and_primary_group(analyst_client: Any) -> None:
    rich_enterprise()

    latest = analyst_client.get(LIST)
    earlier = analyst_client.get(LIST + "?year=2023")

    assert b"2,500" in latest.content
    assert b"Main-business revenue (CNY 10k), 2024" in latest.content
    assert b"1,000" in earlier.content
    assert b"Main-business revenue (CNY 10k), 2023" in earlier.content
    assert group("cluster-high-end-equipment").name_en.encode() in latest.content


def test_list_labels_synthetic_rows(analyst_client: Any) -> None:
    EnterpriseFactory(synthetic=True)

    response = analyst_client.get(LIST)

    assert b"badge-synthetic" in response.content


def test_list_filters_combine_and_the_fragment_answers_htmx(analyst_client: Any) -> None:
    wanted = rich_enterprise()
    rich_enterprise(is_listed=True)
    EnterpriseFactory()

    response = analyst_client.get(
        LIST + f"?group={group('cluster-high-end-equipment').pk}&size_class=above&tier=srdi_sme&is_listed=false",
        HTTP_HX_REQUEST="true",
    )

    assert [obj for obj, _ in response.context["rows"]] == [wanted]
    assert b"<html" not in response.content


def test_export_has_exactly_the_filtered_rows_with_year_facts_and_group(analyst_client: Any) -> None:
    wanted = rich_enterprise()
    EnterpriseFactory()

    rows = csv_rows(analyst_client.get(LIST + f"?group={group('cluster-high-end-equipment').pk}&year=2024&export=csv"))

    assert [r["Credit code"] for r in rows] == [wanted.uscc]
    row = rows[0]
    assert Decimal(row["Main-business revenue (CNY), 2024"]) == Decimal("25000000.00")
    assert Decimal(row["Energy use (tce), 2024"]) == Decimal("12.5")
    assert row["Primary group code"] == "cluster-high-end-equipment"
    assert row["Size class, 2024"] == "Above designated size"


def test_xlsx_export_has_the_same_columns(analyst_client: Any) -> None:
    import openpyxl

    rich_enterprise()

    response = analyst_client.get(LIST + "?export=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in sheet[1]]

    assert "Primary group code" in header
    assert "Industrial value added (CNY), 2024" in header
    assert sheet.max_row == 2


def test_officer_list_filters_and_export_stay_in_the_district(officer_client: Any) -> None:
    own = rich_enterprise()
    other = rich_enterprise(district=district("310114"))
    query = f"?group={group('cluster-high-end-equipment').pk}&tier=srdi_sme&size_class=above"

    page = officer_client.get(LIST + query)
    exported = csv_rows(officer_client.get(LIST + query + "&export=csv"))
    filtered_to_other = officer_client.get(LIST + f"?district={district('310114').pk}")

    assert [obj for obj, _ in page.context["rows"]] == [own]
    assert [r["Credit code"] for r in exported] == [own.uscc]
    assert other.uscc.encode() not in filtered_to_other.content


@pytest.mark.parametrize("rows", [3, 40])
def test_list_query_count_is_constant(analyst_client: Any, django_assert_max_num_queries: Any, rows: int) -> None:
    for _ in range(rows):
        rich_enterprise()

    with django_assert_max_num_queries(12):
        response = analyst_client.get(LIST + "?per_page=50")
    with django_assert_max_num_queries(14):
        analyst_client.get(
            LIST + f"?per_page=50&group={group('cluster-high-end-equipment').pk}&tier=srdi_sme"
            "&size_class=above&year=2024&q=Test"
        )

    assert len(response.context["rows"]) == rows


# ------------------------------------------------------------------------------------------ page


def test_overview_shows_identity_code_name_groups_tiers_and_synthetic_badge(officer_client: Any) -> None:
    enterprise = rich_enterprise(industry_code="3973", synthetic=True)
    group_link(enterprise, "trans-digital", source=MappingSource.EXPLICIT)

    response = officer_client.get(enterprise.get_absolute_url())
    content = response.content.decode()

    assert response.status_code == 200
    assert "badge-synthetic" in content
    assert [c.code for c in response.context["categories"]][:2] == ["C", "39"]
    assert "Tagged explicitly" in content
    assert "Default mapping from the industry code" in content
    assert "0.7" in content
    assert "SRDI SME" in content
    assert 'id="tab-facts"' in content
    assert 'id="tab-tiers"' in content
    assert 'id="tab-history"' in content
    for later in ("Projects", "Grades", "Parcels", "Coupons"):
        assert later not in content


def test_facts_tab_renders_chart_json_with_the_series_values(officer_client: Any) -> None:
    enterprise = EnterpriseFactory()
    YearFactFactory(
        enterprise=enterprise,
        year=2022,
        main_revenue_cny=Decimal("12345678.90"),
        employees_avg=80,
        land_area_mu=Decimal("15.50"),
        energy_tce=Decimal("300.000"),
    )
    YearFactFactory(
        enterprise=enterprise,
        year=2023,
        main_revenue_cny=Decimal("20000000.00"),
        employees_avg=95,
        land_area_mu=Decimal("15.50"),
        energy_tce=None,
    )
    today = timezone.localdate()
    MonthFactFactory(enterprise=enterprise, year=today.year, month=today.month, gross_output_cny=Decimal("2500000"))

    response = officer_client.get(enterprise.get_absolute_url() + "?tab=facts")

    finance = json_block(response, "chart-finance")
    assert finance["x"] == ["2022", "2023"]
    assert finance["unit"] == "CNY 10k"
    assert finance["series"][0] == {"name": "Main-business revenue", "data": [1234.57, 2000.0]}
    assert json_block(response, "chart-employees")["series"][0]["data"] == [80, 95]
    assert json_block(response, "chart-energy")["series"][0]["data"] == [300.0, None]
    assert json_block(response, "chart-land")["series"][0]["data"] == [15.5, 15.5]
    monthly = json_block(response, "chart-monthly")
    assert len(monthly["x"]) == 24
    assert monthly["series"][0]["data"][-1] == 250.0
    assert b'data-chart="line" data-source="chart-finance"' in response.content
    assert b"<script>" not in response.content
    assert b"1,234.57" in response.content


def test_tiers_tab_lists_tiers_with_their_documents(officer_client: Any) -> None:
    tier = TierFactory(source_document="沪经信企〔2024〕1号", batch="2024年第一批")

    response = officer_client.get(tier.enterprise.get_absolute_url() + "?tab=tiers")

    assert "沪经信企〔2024〕1号" in response.content.decode()
    assert "2024年第一批" in response.content.decode()


def test_tab_fragment_for_htmx(officer_client: Any) -> None:
    enterprise = EnterpriseFactory()

    response = officer_client.get(enterprise.get_absolute_url() + "?tab=tiers", HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert b"<html" not in response.content
    assert b'id="tab-tiers"' in response.content
    assert "HX-Request" in response["Vary"]


@pytest.mark.parametrize("tab", ["overview", "facts", "tiers", "history"])
def test_other_districts_enterprise_page_is_404(officer_client: Any, tab: str) -> None:
    other = rich_enterprise(district=district("310114"))

    assert officer_client.get(other.get_absolute_url() + f"?tab={tab}").status_code == 404


def test_other_districts_tier_is_404(officer_client: Any) -> None:
    tier = TierFactory(enterprise=EnterpriseFactory(district=district("310114")))

    assert officer_client.get(reverse("enterprises:tier_detail", args=[tier.pk])).status_code == 404


@pytest.mark.parametrize(("tab", "limit"), [("overview", 14), ("facts", 10), ("tiers", 10)])
def test_page_query_count_is_constant(
    officer_client: Any, django_assert_max_num_queries: Any, tab: str, limit: int
) -> None:
    enterprise = rich_enterprise()
    for year in range(2015, 2023):
        YearFactFactory(enterprise=enterprise, year=year)
    for month in range(1, 13):
        MonthFactFactory(enterprise=enterprise, year=2024, month=month)
    today = timezone.localdate()
    for kind in ("little_giant", "high_tech", "gazelle"):
        TierFactory(enterprise=enterprise, kind=kind, valid_until=today + timedelta(days=30))
    for code in ("lead-ai", "track-metaverse", "future-space"):
        group_link(enterprise, code, source=MappingSource.EXPLICIT)

    with django_assert_max_num_queries(limit):
        response = officer_client.get(enterprise.get_absolute_url() + f"?tab={tab}")

    assert response.status_code == 200
