"""A district officer moves a project through the board (the stage-transition form in an HTMX dialog) and sees
the project's Gantt chart update with the new actual date — in headless Chromium, under the strict CSP."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def permitted_project(settings: Any, monkeypatch: Any) -> Any:
    """Demo accounts and a Pudong project, scheduled and approved, with land and permit: next is the start."""
    from django.utils import timezone

    from industria.accounts import demo
    from industria.accounts.models import District
    from industria.projects import services
    from industria.projects.models import KeyProject, NodeTemplate
    from industria.projects.tests.conftest import grant_project_roles

    grant_project_roles(monkeypatch)
    settings.LANGUAGE_CODE = "zh-hans"
    demo.seed(scale="tiny", seed=1, log=lambda *_: None)
    today = timezone.localdate()
    project = KeyProject.objects.create(
        code="KP-BROWSER-0001",
        name_zh="浏览器测试新建项目",
        investor_name="测试投资有限公司",
        district=District.objects.get(code="310115"),
        project_type="new_build",
        total_investment_cny=800_000_000,
        stage="signed",
        lead_on=today - dt.timedelta(days=400),
        signed_on=today - dt.timedelta(days=300),
    )
    services.project_schedule_plan(
        actor=None,
        project=project,
        template=NodeTemplate.objects.get(code="new_build-standard"),
        target_on=today + dt.timedelta(days=330),
        today=today,
    )
    services.project_baseline_approve(actor=None, project=project, today=today)
    for stage, evidence in (
        ("filed", {"filed_on": today - dt.timedelta(days=250), "filing_no": "2501-310115-04-01-000001"}),
        (
            "land_acquired",
            {"land_acquired_on": today - dt.timedelta(days=150), "land_contract_no": "沪出让〔2025〕9号"},
        ),
        ("permitted", {"permitted_on": today - dt.timedelta(days=10), "construction_permit_no": "3101152501010101"}),
    ):
        project = services.project_stage_advance(
            actor=None, project=project, stage=stage, evidence=evidence, today=today
        )
    return project


def login(page: Any, username: str) -> None:
    from industria.accounts.demo import DEMO_PASSWORD

    page.goto(page.base_url + "/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("#login-submit")
    page.wait_for_selector("#home-role")


def actual_count(page: Any, selector: str) -> int:
    return int(page.get_attribute(selector, "data-actual-count") or 0)


def test_officer_moves_a_project_on_the_board_and_its_gantt_chart_updates(page: Any, permitted_project: Any) -> None:
    from django.utils import timezone

    pk = permitted_project.pk
    card = f"#card-{pk}"
    chart = f"#gantt-panel-{pk}-chart"
    login(page, "officer_pudong")
    page.goto(page.base_url + "/projects/board/")
    page.wait_for_selector(f"#column-permitted {card}")

    page.click(f"{card} [data-action=gantt]")
    page.wait_for_selector(f'{chart}[data-rendered="1"]')
    before = actual_count(page, chart)
    assert before == 3  # filing, land contract, construction permit
    assert page.evaluate(f"!!Industria.getChart(document.querySelector('{chart}'))")

    page.click(f"{card} [data-action=move]")
    page.wait_for_selector("#board-dialog input[name=started_on]")
    page.fill("#board-dialog input[name=started_on]", timezone.localdate().isoformat())
    page.click("#workflow-submit")

    page.wait_for_selector(f"#column-started {card}")
    expected = before + 1
    page.wait_for_function(
        f"() => Number(document.querySelector('{chart}')?.getAttribute('data-actual-count')) === {expected}"
    )
    option = page.evaluate(
        f"Industria.getChart(document.querySelector('{chart}')).getOption().series"
        ".find(s => s.id === 'actual').data.filter(d => d.value[1] != null).length"
    )
    assert option == before + 1
    assert page.locator("#board-dialog .alert-success").count() == 1
    screenshot(page, "projects-board-moved")
    permitted_project.refresh_from_db()
    assert permitted_project.stage == "started"

    page.goto(page.base_url + f"/projects/{pk}/?tab=schedule")
    page.wait_for_selector(f'#gantt-{pk}-chart[data-rendered="1"]')
    assert actual_count(page, f"#gantt-{pk}-chart") == before + 1
    screenshot(page, "projects-gantt")
    assert page.js_errors == []
