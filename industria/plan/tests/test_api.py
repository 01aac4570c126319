"""API of the plan app: declarative cases for figures, every model listed with filters, the workflow actions."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from industria.core.models import ObjectChange
from industria.core.testing import APICases
from industria.plan.models import IndicatorActual, PlanIndicator, PlanTask

from .factories import IndicatorFactory, district_actual, source


class TestIndicatorActualAPI(APICases.Standard):
    model = IndicatorActual
    factory = staticmethod(district_actual)
    patch_field = ("note", "corrected")
    invalid_api_data = ({"period_type": "fortnight"}, "period_type")

    def test_anonymous_gets_401_problem(self, api_client: Any) -> None:
        """Overrides the generic case: figures of public indicators are open to the public; writes are not."""
        private = self.make()

        listing = api_client.get(self.api_url())
        write = api_client.post(self.api_url(), {}, format="json")

        assert listing.status_code == 200
        assert private.pk not in {r["id"] for r in listing.json()["results"]}
        assert all(IndicatorActual.objects.get(pk=r["id"]).indicator.is_public for r in listing.json()["results"])
        assert write.status_code == 401
        assert write["Content-Type"].startswith("application/problem+json")

    @staticmethod
    def api_data(place: Any) -> dict[str, Any]:
        indicator = IndicatorFactory(is_public=False, breakdown_district=True)
        return {
            "indicator": indicator.pk,
            "period": "2024-12-31",
            "period_type": "year",
            "district": place.code,
            "value": "321.25",
            "status": "published",
            "as_of_date": "2025-03-01",
            "source": source().code,
        }


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "params", "expected_min"),
    [
        ("plans", {"code": "SH-MFG-HQD-2023-2025"}, 1),
        ("sources", {"q": "Wu Jincheng"}, 1),
        ("goals", {"plan": "SH-MFG-HQD-2023-2025"}, 5),
        ("actions", {"plan": "SH-MFG-HQD-2023-2025"}, 6),
        ("indicators", {"is_headline": "true"}, 10),
        ("targets", {"indicator": "industrial_value_added"}, 1),
        ("actuals", {"indicator": "gdp", "known_by": "2024-12-31"}, 5),
        ("tasks", {"to_be_completed_by_admin": "true"}, 16),
        ("task-updates", {}, 0),
    ],
)
def test_every_model_is_listed_with_filters(api_client, make_user, name, params, expected_min):
    api_client.force_authenticate(make_user("municipal_analyst"))

    response = api_client.get(f"/api/plan/{name}/", params)

    assert response.status_code == 200, response.content
    assert response.json()["count"] >= expected_min


@pytest.mark.django_db
def test_known_by_filter_reproduces_what_was_known_on_a_date(api_client, make_user):
    api_client.force_authenticate(make_user("municipal_analyst"))

    rows = api_client.get("/api/plan/actuals/", {"indicator": "gdp", "known_by": "2024-12-31", "page_size": 100}).json()

    assert all(r["as_of_date"] <= "2024-12-31" for r in rows["results"])
    assert "census_revised" not in {r["vintage"] for r in rows["results"]}


@pytest.mark.django_db
def test_progress_endpoint_serves_the_engine_results_publicly_for_public_indicators(api_client, shanghai_plan):
    iva = PlanIndicator.objects.get(plan=shanghai_plan, code="industrial_value_added")

    body = api_client.get(reverse("plan-api:planindicator-progress", args=[iva.pk]), {"as_of": "2026-06-30"}).json()

    assert body["final"]["target_value"] == 13000
    assert body["final"]["status"] in {"green", "amber", "red"}
    assert body["forecast"][-1]["year"] == 2025
    plan = api_client.get(reverse("plan-api:developmentplan-progress", args=[shanghai_plan.pk])).json()
    assert all(i["is_public"] for i in plan["indicators"])


@pytest.mark.django_db
def test_owner_records_a_figure_through_the_api_and_it_is_logged_as_api(api_client, make_user, shanghai_plan):
    owner = make_user(
        "enterprise_user",
        enterprise=__import__(
            "industria.enterprises.tests.factories", fromlist=["EnterpriseFactory"]
        ).EnterpriseFactory(),
    )
    indicator = PlanIndicator.objects.get(plan=shanghai_plan, code="rd_intensity_key_manufacturers")
    indicator.owner = owner
    indicator.save()
    api_client.force_authenticate(owner)

    response = api_client.post(
        reverse("plan-api:planindicator-record", args=[indicator.pk]),
        {
            "period": "2024-12-31",
            "period_type": "year",
            "value": "2.31",
            "status": "preliminary",
            "as_of_date": "2025-05-01",
            "source": "PLAN-2023",
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    actual = IndicatorActual.objects.get(pk=response.json()["id"])
    assert (
        ObjectChange.objects.get(
            object_id=str(actual.pk), action="create", content_type__model="indicatoractual"
        ).source
        == "api"
    )


@pytest.mark.django_db
def test_recording_by_someone_else_is_a_403_problem(api_client, make_user, shanghai_plan):
    api_client.force_authenticate(make_user("municipal_analyst"))
    indicator = PlanIndicator.objects.get(plan=shanghai_plan, code="rd_intensity_key_manufacturers")

    response = api_client.post(
        reverse("plan-api:planindicator-record", args=[indicator.pk]),
        {
            "period": "2024-12-31",
            "period_type": "year",
            "value": "2.31",
            "as_of_date": "2025-05-01",
            "source": "PLAN-2023",
        },
        format="json",
    )

    assert response.status_code == 403
    assert response.json()["code"] == "plan_not_allowed_to_update"


@pytest.mark.django_db
def test_task_report_through_the_api(api_client, make_user, shanghai_plan):
    owner = make_user("district_officer", district_code="310115")
    task = PlanTask.objects.get(plan=shanghai_plan, number=2)
    task.owners.add(owner)
    api_client.force_authenticate(owner)

    response = api_client.post(
        reverse("plan-api:plantask-report", args=[task.pk]),
        {"reported_on": str(dt.date(2025, 9, 30)), "status": "at_risk", "narrative": "Two clusters lag."},
        format="json",
    )

    assert response.status_code == 201, response.content
    task.refresh_from_db()
    assert task.status == "at_risk"
