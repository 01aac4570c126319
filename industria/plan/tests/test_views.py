"""UI of the plan app: declarative CRUD cases, the dashboard pages, query-count guards, export, freshness pages."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from industria.accounts.tests.factories import district
from industria.core.models import ObjectChange
from industria.core.testing import ViewCases
from industria.plan.models import IndicatorActual, IndicatorTarget, PlanIndicator, PlanTask

from .factories import ActualFactory, IndicatorFactory, TargetFactory, TaskFactory, district_actual, series, source

AS_OF = dt.date(2026, 6, 30)


class TestIndicatorActualViews(ViewCases.Standard):
    """Figures: district officers keep their own district's breakdown figures."""

    model = IndicatorActual
    factory = staticmethod(district_actual)
    edit_field = ("note", "corrected after the bureau's revision")
    invalid_data = ({"value": "not a number"}, "value")
    export_key = "citation"

    @staticmethod
    def form_data(place: Any) -> dict[str, Any]:
        indicator = IndicatorFactory(is_public=False, breakdown_district=True)
        return {
            "indicator": indicator.pk,
            "series": "value",
            "period": "2024-12-31",
            "period_type": "year",
            "district": place.pk,
            "value": "123.5",
            "qualifier": "",
            "status": "published",
            "vintage": "first_release",
            "as_of_date": "2025-03-01",
            "source": source().pk,
            "confidence": "V",
            "note": "",
        }

    def form_data_for(self, obj: Any) -> dict[str, Any]:
        return {"indicator": obj.indicator_id, "district": obj.district_id}


@pytest.mark.django_db
class TestCityWideCrud:
    """Indicators, targets and tasks are municipal: the administrator edits, analysts read, all logged."""

    @pytest.fixture
    def admin_client(self, client, make_user):
        self.admin = make_user("municipal_admin")
        client.force_login(self.admin)
        return client

    def test_admin_creates_an_indicator_and_the_change_is_logged(self, admin_client, shanghai_plan):
        response = admin_client.post(
            reverse("plan:planindicator_add"),
            {
                "plan": shanghai_plan.pk,
                "code": "new_indicator",
                "name_zh": "新指标",
                "name_en": "New indicator",
                "unit": "count",
                "measure": "stock",
                "direction": "higher_is_better",
                "target_kind": "count",
                "value_kind": "count",
                "cadence": "yearly",
                "rag_rules": "[]",
                "computed": "null",
                "sort_order": 99,
                "baseline_qualifier": "",
            },
        )

        assert response.status_code == 302, response.context and response.context["form"].errors
        indicator = PlanIndicator.objects.get(code="new_indicator")
        change = ObjectChange.objects.get(
            object_id=str(indicator.pk), action="create", content_type__model="planindicator"
        )
        assert (change.user, change.source) == (self.admin, "ui")

    def test_invalid_computed_definition_is_a_form_error_naming_the_field(self, admin_client, shanghai_plan):
        indicator = PlanIndicator.objects.get(plan=shanghai_plan, code="srdi_smes")
        data = {
            "plan": shanghai_plan.pk,
            "code": indicator.code,
            "name_zh": indicator.name_zh,
            "unit": "count",
            "measure": "stock",
            "direction": "higher_is_better",
            "target_kind": "count",
            "value_kind": "count",
            "rag_rules": "[]",
            "sort_order": 1,
            "baseline_qualifier": "",
            "computed": '{"kind": "count_tiers", "tier_kind": "no_such_tier"}',
        }

        response = admin_client.post(reverse("plan:planindicator_edit", args=[indicator.pk]), data)

        assert response.status_code == 400
        assert "computed.tier_kind" in str(response.context["form"].errors["computed"])

    def test_editing_a_target_is_logged_and_refreshes_the_dashboard(self, admin_client, shanghai_plan):
        target = IndicatorTarget.objects.get(indicator__plan=shanghai_plan, indicator__code="industrial_value_added")
        stamp = shanghai_plan.data_changed_at
        data = {
            "indicator": target.indicator_id,
            "year": 2025,
            "value": "13500",
            "comparator": "gt",
            "text_zh": target.text_zh,
            "source": target.source_id,
            "confidence": "V",
        }

        response = admin_client.post(reverse("plan:indicatortarget_edit", args=[target.pk]), data)

        assert response.status_code == 302
        change = ObjectChange.objects.get(
            object_id=str(target.pk), action="update", content_type__model="indicatortarget"
        )
        assert Decimal(change.after["value"]) == Decimal("13500")
        shanghai_plan.refresh_from_db()
        assert shanghai_plan.data_changed_at > stamp

    def test_analyst_reads_but_may_not_add(self, client, make_user, shanghai_plan):
        client.force_login(make_user("municipal_analyst"))
        task = PlanTask.objects.get(plan=shanghai_plan, number=1)

        assert client.get(reverse("plan:plantask_detail", args=[task.pk])).status_code == 200
        assert client.get(reverse("plan:planindicator_list")).status_code == 200
        assert client.get(reverse("plan:planindicator_add")).status_code == 403
        assert client.get(reverse("plan:plantask_add")).status_code == 403

    def test_admin_deletes_a_task_and_it_is_logged(self, admin_client):
        task = TaskFactory()

        response = admin_client.post(reverse("plan:plantask_delete", args=[task.pk]))

        assert response.status_code == 302
        assert ObjectChange.objects.filter(object_id=str(task.pk), action="delete", content_type__model="plantask")


@pytest.mark.django_db
def test_plan_page_lists_the_six_actions_and_says_which_tasks_an_administrator_must_fill_in(
    client, make_user, shanghai_plan
):
    client.force_login(make_user("municipal_analyst"))

    html = client.get(shanghai_plan.get_absolute_url()).content.decode()

    for code in ("A1", "A2", "A3", "A4", "A5", "A6"):
        assert f'id="action-{code}"' in html
    assert 'id="incomplete-tasks"' in html
    assert html.count('data-admin-todo="1"') >= 16
    assert "Build world-class industrial clusters" in html


@pytest.mark.django_db
def test_overview_takes_a_constant_number_of_queries(client, make_user, shanghai_plan, django_assert_max_num_queries):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(make_user("municipal_analyst"))
    url = reverse("plan:overview") + f"?as_of={AS_OF}"

    with CaptureQueriesContext(connection) as cold_small:
        client.get(url)
    with CaptureQueriesContext(connection) as warm:
        assert client.get(url).status_code == 200
    for n in range(30):
        indicator = IndicatorFactory(plan=shanghai_plan, is_headline=n % 3 == 0)
        TargetFactory(indicator=indicator)
        series(indicator, {2021: 80 + n, 2022: 85 + n, 2023: 90 + n})
    from industria.plan.services import plan_touch

    plan_touch(plan_id=shanghai_plan.pk)
    cache.clear()  # registry values are cached apart: start both cold measurements from an empty cache
    with CaptureQueriesContext(connection) as cold_large:
        client.get(url)
    with django_assert_max_num_queries(len(warm.captured_queries)):
        client.get(url)

    assert len(cold_large.captured_queries) == len(cold_small.captured_queries)
    assert len(warm.captured_queries) <= 8


@pytest.mark.django_db
def test_indicator_page_shows_chart_breakdowns_sources_and_history(client, make_user, shanghai_plan):
    client.force_login(make_user("municipal_analyst"))
    indicator = PlanIndicator.objects.get(plan=shanghai_plan, code="industrial_value_added")
    ActualFactory(indicator=indicator, district=district("310115"), period=dt.date(2021, 12, 31), value=Decimal("3500"))

    response = client.get(indicator.get_absolute_url() + f"?as_of={AS_OF}")

    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-chart="line" data-source="indicator-chart"' in html
    assert 'id="indicator-chart" type="application/json"' in html
    assert '"band_label"' in html
    assert '"lower"' in html
    assert 'data-district="310115"' in html
    assert 'id="source-WU-2022-09"' in html
    assert 'id="update-history"' in html
    assert "<script>" not in html.replace("<script id=", "<x")  # no inline script under the CSP


@pytest.mark.django_db
def test_computed_indicator_page_shows_its_definition(client, make_user, shanghai_plan):
    client.force_login(make_user("municipal_analyst"))
    indicator = PlanIndicator.objects.get(plan=shanghai_plan, code="little_giants")

    html = client.get(indicator.get_absolute_url()).content.decode()

    assert 'id="computed-definition"' in html
    assert "Little giant" in html
    assert "valid tier" in html


@pytest.mark.django_db
def test_export_xlsx_is_the_indicator_table_with_actual_target_forecast_and_status(client, make_user, shanghai_plan):
    import openpyxl

    client.force_login(make_user("municipal_analyst"))

    response = client.get(reverse("plan:planindicator_list") + f"?export=xlsx&as_of={AS_OF}")

    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    by_code = {r[0]: dict(zip(header, r, strict=True)) for r in rows[1:]}
    iva = by_code["industrial_value_added"]
    assert iva["Target"] == 13000
    assert iva["Latest value"] == pytest.approx(10738.8)
    assert iva["Source"].startswith("SHEITC director Wu Jincheng")
    assert iva["Forecast lower (80 %)"] < iva["Forecast"] < iva["Forecast upper (80 %)"]
    assert iva["Status"] in {"green", "amber", "red"}
    assert len(by_code) == PlanIndicator.objects.filter(plan=shanghai_plan).count()


@pytest.mark.django_db
def test_district_map_serves_the_map_contract(client, make_user, shanghai_plan):
    client.force_login(make_user("municipal_analyst"))
    indicator = PlanIndicator.objects.get(plan=shanghai_plan, code="industrial_value_added")
    ActualFactory(indicator=indicator, district=district("310115"), period=dt.date(2021, 12, 31), value=Decimal("3500"))

    html = client.get(reverse("plan:district_map") + "?indicator=industrial_value_added&year=2021").content.decode()

    assert 'class="district-map" id="district-map" data-source="district-values"' in html
    assert "vendor/shanghai-districts.geojson" in html
    assert '"code": "310115", "value": 3500.0' in html


@pytest.mark.django_db
def test_owner_records_a_figure_from_my_updates_and_it_is_audited(client, make_user, shanghai_plan):
    owner = make_user("municipal_analyst")
    indicator = PlanIndicator.objects.get(plan=shanghai_plan, code="industrial_labour_productivity")
    indicator.owner = owner
    indicator.save()
    client.force_login(owner)

    page = client.get(reverse("plan:my_updates")).content.decode()
    response = client.post(
        reverse("plan:actual_record", args=[indicator.pk]),
        {
            "period": "2024-12-31",
            "period_type": "year",
            "series": "value",
            "value": "41.2",
            "status": "published",
            "vintage": "first_release",
            "as_of_date": "2025-04-01",
            "new_source_title": "2024 statistical yearbook",
            "new_source_url": "https://tjj.sh.gov.cn/yearbook",
            "confidence": "V",
        },
    )

    assert 'data-code="industrial_labour_productivity"' in page
    assert response.status_code == 302
    actual = IndicatorActual.objects.get(indicator=indicator)
    assert (actual.recorded_by, actual.source.title) == (owner, "2024 statistical yearbook")
    assert ObjectChange.objects.filter(object_id=str(actual.pk), action="create", user=owner, source="ui").exists()
    indicator.refresh_from_db()
    assert indicator.next_due_on == dt.date(2026, 3, 31)


@pytest.mark.django_db
def test_recording_an_uncertain_figure_as_published_is_refused_with_a_message(client, make_user, shanghai_plan):
    client.force_login(make_user("municipal_admin"))
    indicator = PlanIndicator.objects.get(plan=shanghai_plan, code="industrial_labour_productivity")

    response = client.post(
        reverse("plan:actual_record", args=[indicator.pk]),
        {
            "period": "2024-12-31",
            "period_type": "year",
            "series": "value",
            "value": "41.2",
            "status": "published",
            "uncertain": "on",
            "vintage": "first_release",
            "as_of_date": "2025-04-01",
            "source": source().pk,
            "confidence": "U",
        },
    )

    assert response.status_code == 400
    assert "never shown as confirmed" in response.content.decode() or "cannot be published" in response.content.decode()
    assert not IndicatorActual.objects.filter(indicator=indicator).exists()


@pytest.mark.django_db
def test_task_owner_reports_status_with_narrative(client, make_user, shanghai_plan):
    owner = make_user("district_officer", district_code="310115")
    task = PlanTask.objects.get(plan=shanghai_plan, number=1)
    task.owners.add(owner)
    client.force_login(owner)

    response = client.post(
        reverse("plan:taskstatus_record", args=[task.pk]),
        {
            "reported_on": "2025-10-01",
            "status": "on_track",
            "progress_pct": 70,
            "narrative": "三大先导产业规模超过目标。",
        },
    )

    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.status, task.progress_pct, task.next_due_on) == ("on_track", 70, dt.date(2026, 1, 1))
    assert "三大先导产业规模超过目标" in client.get(task.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_someone_else_may_not_report_on_a_task(client, make_user, shanghai_plan):
    client.force_login(make_user("district_officer", district_code="310115"))
    task = PlanTask.objects.get(plan=shanghai_plan, number=1)

    response = client.post(
        reverse("plan:taskstatus_record", args=[task.pk]),
        {"reported_on": "2025-10-01", "status": "on_track", "narrative": "x"},
    )

    assert response.status_code == 403


@pytest.mark.django_db
def test_overdue_list_is_for_the_administrator(client, make_user, shanghai_plan):
    client.force_login(make_user("municipal_analyst"))
    assert client.get(reverse("plan:overdue")).status_code == 403

    client.force_login(make_user("municipal_admin"))
    html = client.get(reverse("plan:overdue")).content.decode()

    assert 'data-code="industrial_labour_productivity"' in html  # no figure since the plan began, no owner
    assert 'data-number="7"' in html  # a task without owners
    assert 'data-code="little_giants"' not in html  # computed live: never overdue
