"""API: declarative cases for projects and monthly reports; workflows as actions; dispatch and forecast."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token

from industria.core.testing import APICases
from industria.projects import services
from industria.projects.models import InvestmentReport, KeyProject, ProjectListMembership, ProjectYearPlan

from .factories import KeyProjectFactory, project, template


def project_body(district: Any) -> dict[str, Any]:
    return {
        "code": f"KP-API-{district.code}",
        "name_zh": "接口登记的示例项目",
        "investor_name": "示例投资有限公司",
        "district": district.code,
        "project_type": "expansion",
        "total_investment_cny": "300000000.00",
    }


class TestKeyProjectAPI(APICases.Standard):
    model = KeyProject
    factory = staticmethod(lambda district: KeyProjectFactory(district=district))
    api_data = staticmethod(project_body)
    patch_field = ("name_en", "Renamed over the API")
    invalid_api_data = ({"project_type": "castle"}, "project_type")


def started_project(district: Any) -> KeyProject:
    return KeyProjectFactory(district=district, stage="started", existing_land=True, started_on=dt.date(2024, 7, 1))


def report_body(district: Any) -> dict[str, Any]:
    return {
        "project": started_project(district).pk,
        "year": 2024,
        "month": 8,
        "completed_investment_cny": "25000000.00",
    }


class TestInvestmentReportAPI(APICases.Standard):
    model = InvestmentReport
    factory = staticmethod(
        lambda district: InvestmentReport.objects.create(
            project=started_project(district),
            year=2024,
            month=7,
            completed_investment_cny=1,
            reported_on=dt.date(2024, 8, 5),
        )
    )
    api_data = staticmethod(report_body)
    patch_field = ("note", "corrected")
    invalid_api_data = ({"month": 13}, "month")


class TestProjectYearPlanAPI(APICases.Standard):
    model = ProjectYearPlan
    factory = staticmethod(
        lambda district: ProjectYearPlan.objects.create(
            project=KeyProjectFactory(district=district), year=2025, planned_investment_cny=100_000_000
        )
    )
    api_data = staticmethod(
        lambda district: {
            "project": KeyProjectFactory(district=district).pk,
            "year": 2025,
            "planned_investment_cny": "200000000.00",
        }
    )
    patch_field = ("planned_investment_cny", "250000000.00")
    invalid_api_data = ({"year": "soon"}, "year")


class TestProjectListMembershipAPI(APICases.Standard):
    model = ProjectListMembership
    factory = staticmethod(
        lambda district: ProjectListMembership.objects.create(
            project=KeyProjectFactory(district=district), year=2025, list_kind="key_industrial"
        )
    )
    api_data = staticmethod(
        lambda district: {
            "project": KeyProjectFactory(district=district).pk,
            "year": 2025,
            "list_kind": "municipal_major",
        }
    )
    patch_field = ("year", 2026)
    invalid_api_data = ({"list_kind": "party"}, "list_kind")


@pytest.fixture
def officer_api(api_client: Any, make_user: Any) -> Any:
    user = make_user("district_officer", district_code="310115")
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    api_client.user = user
    return api_client


@pytest.mark.django_db
def test_transition_action_calls_the_service_and_answers_refusals_as_problems(officer_api: Any) -> None:
    p = project()
    url = reverse("projects-api:keyproject-transition", args=[p.pk])

    ok = officer_api.post(
        url, {"stage": "filed", "evidence": {"filed_on": "2024-04-01", "filing_no": "F-1"}}, format="json"
    )
    refused = officer_api.post(url, {"stage": "started", "evidence": {"started_on": "2024-07-01"}}, format="json")

    assert ok.status_code == 200, ok.content
    assert ok.json()["stage"] == "filed"
    assert refused.status_code == 400
    assert refused["Content-Type"].startswith("application/problem+json")
    assert refused.json()["code"] == "projects_land_missing"


@pytest.mark.django_db
def test_schedule_action_plans_and_returns_the_gantt_json(officer_api: Any) -> None:
    p = project()
    url = reverse("projects-api:keyproject-schedule", args=[p.pk])

    planned = officer_api.post(url, {"template": "new_build-pile-first", "target_on": "2026-06-30"}, format="json")
    read = officer_api.get(url)

    assert planned.status_code == 200, planned.content
    rows = {r["code"]: r for r in read.json()["rows"]}
    assert rows["trial_production"]["planned"][1] == "2026-06-30"
    assert "pile_permit" in rows


@pytest.mark.django_db
def test_workflow_actions_on_another_districts_project_are_404(officer_api: Any) -> None:
    from industria.accounts.tests.factories import district

    foreign = project(district=district("310114"))

    response = officer_api.post(
        reverse("projects-api:keyproject-transition", args=[foreign.pk]),
        {"stage": "filed", "evidence": {"filed_on": "2024-04-01", "filing_no": "F"}},
        format="json",
    )

    assert response.status_code == 404


@pytest.mark.django_db
def test_dispatch_endpoint_counts_the_period(officer_api: Any) -> None:
    project(signed_on=dt.date(2024, 6, 3))
    project(signed_on=dt.date(2024, 7, 3))

    body = officer_api.get(reverse("projects-api:dispatch") + "?start=2024-06-01&end=2024-06-30").json()

    assert body["totals"]["signed_count"] == 1
    assert float(body["totals"]["signed_investment_cny"]) == 500_000_000


@pytest.mark.django_db
def test_forecast_endpoint_returns_conversion_and_years(officer_api: Any) -> None:
    p = project()
    services.project_schedule_plan(
        actor=None, project=p, template=template(), target_on=dt.date(2026, 6, 30), today=dt.date(2025, 1, 1)
    )

    body = officer_api.get(reverse("projects-api:forecast") + "?as_of=2025-01-01&end_year=2027").json()

    assert len(body["conversion"]) == 10
    assert {r["indicator_code"] for r in body["expected_by_year"]} == {
        "industrial_investment",
        "above_size_industrial_output",
    }
