"""UI: the declarative CRUD/scope/audit cases for projects, the board transition via HTMX, the project page,
and every page renders in both languages with a bounded number of queries."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.urls import reverse

from industria.core.testing import ViewCases
from industria.projects import services
from industria.projects.models import KeyProject

from .factories import KeyProjectFactory, project, template

TODAY = dt.date(2025, 6, 30)


def project_form(district: Any) -> dict[str, Any]:
    return {
        "code": f"KP-2025-{district.code}-NEW1",
        "name_zh": "示例集成电路装备新建项目",
        "name_en": "Example IC equipment plant",
        "investor_name": "示例半导体装备有限公司",
        "district": district.pk,
        "project_type": "new_build",
        "total_investment_cny": "1200000000.00",
        "fixed_asset_investment_cny": "900000000.00",
        "lead_on": "2025-01-06",
    }


class TestKeyProjectViews(ViewCases.Standard):
    model = KeyProject
    factory = staticmethod(lambda district: KeyProjectFactory(district=district))
    form_data = staticmethod(project_form)
    edit_field = ("name_en", "Renamed key project")
    invalid_data = ({"investor_uscc": "91310115MA1FL0000X"}, "investor_uscc")
    export_key = "code"

    def form_data_for(self, obj: Any) -> dict[str, Any]:
        return {"code": obj.code, "name_zh": obj.name_zh}


@pytest.fixture
def officer(client: Any, make_user: Any) -> Any:
    user = make_user("district_officer", district_code="310115")
    client.force_login(user)
    return user


@pytest.mark.django_db
def test_registration_through_the_ui_records_a_lead_and_its_event(client: Any, officer: Any) -> None:
    from industria.accounts.tests.factories import district

    response = client.post(reverse("projects:keyproject_add"), project_form(district("310115")))

    p = KeyProject.objects.get(code="KP-2025-310115-NEW1")
    assert response.status_code == 302
    assert (p.stage, p.lead_on) == ("lead", dt.date(2025, 1, 6))
    assert p.events.filter(type="created").exists()


@pytest.mark.django_db
def test_board_moves_a_project_through_the_transition_form_via_htmx(client: Any, officer: Any) -> None:
    p = project(district=officer.district)
    board = client.get(reverse("projects:keyproject_board"))
    form = client.get(reverse("projects:keyproject_transition", args=[p.pk]) + "?stage=filed", HTTP_HX_REQUEST="true")

    response = client.post(
        reverse("projects:keyproject_transition", args=[p.pk]) + "?stage=filed",
        {"stage": "filed", "filed_on": "2024-04-01", "filing_no": "2404-310115-04-01-000001"},
        HTTP_HX_REQUEST="true",
    )

    assert board.status_code == 200
    assert f'id="card-{p.pk}"'.encode() in board.content
    assert form.status_code == 200
    assert b'name="filing_no"' in form.content
    assert b"<html" not in form.content
    assert response.status_code == 200
    assert "project-moved" in json.loads(response["HX-Trigger"])
    p.refresh_from_db()
    assert (p.stage, p.filed_on) == ("filed", dt.date(2024, 4, 1))
    column = client.get(reverse("projects:keyproject_board"), HTTP_HX_REQUEST="true").content.decode()
    assert column.index(f'id="card-{p.pk}"') > column.index('id="column-filed"')


@pytest.mark.django_db
def test_a_refused_transition_shows_the_reason_in_the_form(client: Any, officer: Any) -> None:
    p = project(district=officer.district)

    response = client.post(
        reverse("projects:keyproject_transition", args=[p.pk]) + "?stage=started",
        {"stage": "started", "started_on": "2024-07-01"},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 400
    assert "land" in response.content.decode().lower()


@pytest.mark.django_db
def test_a_district_officer_acts_only_on_the_districts_projects(client: Any, officer: Any) -> None:
    from industria.accounts.tests.factories import district

    own = project(district=officer.district)
    foreign = project(district=district("310114"))

    for name in (
        "keyproject_transition",
        "keyproject_schedule",
        "keyproject_gantt",
        "keyproject_edit",
        "investmentreport_add",
        "blocker_add",
    ):
        assert client.get(reverse(f"projects:{name}", args=[foreign.pk])).status_code == 404, name
    response = client.post(
        reverse("projects:keyproject_transition", args=[foreign.pk]),
        {"stage": "filed", "filed_on": "2024-04-01", "filing_no": "X"},
    )
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.stage == "signed"
    assert client.get(reverse("projects:keyproject_transition", args=[own.pk])).status_code == 200


@pytest.mark.django_db
def test_project_page_tabs_render_with_the_gantt_data(client: Any, officer: Any) -> None:
    p = project(district=officer.district)
    services.project_schedule_plan(
        actor=None, project=p, template=template(), target_on=dt.date(2026, 6, 30), today=TODAY
    )

    pages = {
        tab: client.get(p.get_absolute_url() + f"?tab={tab}")
        for tab in ("overview", "schedule", "investment", "monitoring", "events", "history")
    }

    assert all(r.status_code == 200 for r in pages.values())
    body = pages["schedule"].content.decode()
    assert "data-gantt" in body
    assert f'id="gantt-{p.pk}"' in body
    assert "js/gantt.js" in body


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_every_page_renders_in_both_languages(client: Any, officer: Any, settings: Any, language: str) -> None:
    settings.LANGUAGE_CODE = language
    p = project(district=officer.district)
    services.project_schedule_plan(
        actor=None, project=p, template=template(), target_on=dt.date(2026, 6, 30), today=TODAY
    )
    standard = template()

    for url in (
        reverse("projects:keyproject_list"),
        reverse("projects:keyproject_board"),
        reverse("projects:keyproject_mine"),
        reverse("projects:supervisionorder_list"),
        reverse("projects:blocker_list"),
        reverse("projects:dispatch_report") + "?year=2024&month=6",
        reverse("projects:pipeline_forecast"),
        reverse("projects:nodetemplate_list"),
        reverse("projects:nodetemplate_detail", args=[standard.pk]),
        reverse("projects:rules"),
        reverse("projects:keyproject_gantt", args=[p.pk]),
    ):
        assert client.get(url).status_code == 200, url


@pytest.mark.django_db
def test_list_and_board_queries_do_not_grow_with_the_rows(
    client: Any, officer: Any, django_assert_max_num_queries: Any
) -> None:
    KeyProjectFactory.create_batch(3, district=officer.district)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few_list:
        client.get(reverse("projects:keyproject_list"))
    with CaptureQueriesContext(connection) as few_board:
        client.get(reverse("projects:keyproject_board"))
    KeyProjectFactory.create_batch(40, district=officer.district, stage="filed")

    with django_assert_max_num_queries(len(few_list)):
        client.get(reverse("projects:keyproject_list"))
    with django_assert_max_num_queries(len(few_board) + 1):  # one more column with cards
        client.get(reverse("projects:keyproject_board"))


@pytest.mark.django_db
def test_dispatch_report_exports_an_xlsx_of_the_page(client: Any, officer: Any) -> None:
    import io

    import openpyxl

    project(district=officer.district, signed_on=dt.date(2024, 6, 3))

    response = client.get(reverse("projects:dispatch_report") + "?year=2024&month=6&export=xlsx")

    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert response.status_code == 200
    summary = book.worksheets[0]
    assert summary.cell(4, 2).value == 1  # signed in the month
    assert summary.cell(4, 3).value == 5.0  # 5亿


@pytest.mark.django_db
def test_template_duration_change_is_for_administrators_and_starts_a_job(
    client: Any, make_user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    standard = template()
    client.force_login(make_user("district_officer", district_code="310115"))
    assert client.get(reverse("projects:nodetemplate_edit", args=[standard.pk])).status_code == 403
    client.force_login(make_user("municipal_admin"))
    data = {f"d_{i.code}": i.duration_days for i in standard.items.all()}

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("projects:nodetemplate_edit", args=[standard.pk]), {**data, "d_filing": 25, "reason": "备案提速"}
        )

    assert response.status_code == 302
    assert "/core/jobs/" in response["Location"]
    standard.refresh_from_db()
    assert standard.version == 2


@pytest.mark.django_db
def test_a_deep_page_fetched_keys_first_has_the_same_rows_in_the_same_order(monkeypatch: Any) -> None:
    from industria.projects.models.projects import KeyProjectQuerySet

    KeyProjectFactory.create_batch(30)
    expected = [p.pk for p in list(KeyProject.objects.select_related("district").order_by("-code"))[12:20]]
    monkeypatch.setattr(KeyProjectQuerySet, "DEFERRED_FROM", 10)

    page = KeyProject.objects.select_related("district").order_by("-code")[12:20]

    assert isinstance(page, list)
    assert [p.pk for p in page] == expected
    assert KeyProject.objects.order_by("-code")[2:5].query.is_sliced  # shallow pages stay querysets
