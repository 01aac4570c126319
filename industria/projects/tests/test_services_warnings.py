"""Warning evaluation in the database: colours at the configured thresholds, exactly one supervision order per
red episode, routed to the responsible unit with a reply deadline; blockers routed with a time limit."""

from __future__ import annotations

import datetime as dt

import pytest

from industria.projects import services
from industria.projects.models import KeyProject, ProjectEvent, ProjectRuleSet, ProjectSchedule, SupervisionOrder
from industria.projects.selectors import template_codes
from industria.projects.tasks import warnings_evaluate_task

from .factories import department, project, template

pytestmark = pytest.mark.django_db
TARGET = dt.date(2026, 6, 30)


@pytest.fixture
def scheduled() -> KeyProject:
    unit = department("浦东新区重大产业项目推进专班")
    p = project(responsible_unit=unit)
    return services.project_schedule_plan(
        actor=None, project=p, template=template(), target_on=TARGET, today=dt.date(2024, 8, 1)
    )


def due(p: KeyProject, code: str) -> dt.date:
    schedule = ProjectSchedule.objects.get(project=p)
    return {r["code"]: r["finish"] for r in schedule.rows(template_codes(schedule.template_code))}[code]


def colour_on(p: KeyProject, day: dt.date) -> str:
    services.warnings_evaluate(as_of=day, project_ids=[p.pk])
    p.refresh_from_db()
    return p.warning_colour


def test_project_colour_changes_at_the_configured_thresholds(scheduled: KeyProject) -> None:
    signing = due(scheduled, "signing")  # the first node; nothing is done yet

    assert colour_on(scheduled, signing - dt.timedelta(days=16)) == "green"
    assert colour_on(scheduled, signing - dt.timedelta(days=15)) == "yellow"  # 15 days 以内
    assert colour_on(scheduled, signing) == "yellow"
    assert colour_on(scheduled, signing + dt.timedelta(days=1)) == "red"
    assert scheduled.red_since == signing + dt.timedelta(days=1)
    services.node_complete(
        actor=None, node=scheduled.nodes.get(code="signing"), finished_on=signing, today=signing + dt.timedelta(days=1)
    )
    assert colour_on(scheduled, signing + dt.timedelta(days=1)) == "green"  # company_setup is due in 30 days


def test_changed_thresholds_in_a_new_rule_set_move_the_cut_off(scheduled: KeyProject) -> None:
    ruleset = ProjectRuleSet.objects.get(status="active")
    parameters = ruleset.parameters
    parameters["warnings"]["yellow_within_days"]["value"] = 5
    ProjectRuleSet.objects.create(
        code=ruleset.code, version="test-2", effective_from=dt.date(2024, 1, 1), status="active", parameters=parameters
    )
    signing = due(scheduled, "signing")

    assert colour_on(scheduled, signing - dt.timedelta(days=6)) == "green"
    assert colour_on(scheduled, signing - dt.timedelta(days=5)) == "yellow"


def test_an_overdue_red_project_raises_exactly_one_supervision_order(scheduled: KeyProject) -> None:
    signing = due(scheduled, "signing")
    red_from = signing + dt.timedelta(days=1)

    services.warnings_evaluate(as_of=red_from)
    services.warnings_evaluate(as_of=red_from + dt.timedelta(days=30))  # red for 30 days: not more than K
    assert SupervisionOrder.objects.filter(project=scheduled).count() == 0
    for offset in (31, 31, 40, 90):  # more than K days, and again on later days (and twice the same day)
        services.warnings_evaluate(as_of=red_from + dt.timedelta(days=offset))

    order = SupervisionOrder.objects.get(project=scheduled)
    assert order.department == scheduled.responsible_unit
    assert order.trigger == "automatic"
    assert order.red_since == red_from
    assert order.raised_on == red_from + dt.timedelta(days=31)
    assert order.reply_due_on == order.raised_on + dt.timedelta(days=10)
    assert ProjectEvent.objects.filter(project=scheduled, type="supervision_raised").count() == 1


def test_a_new_red_episode_after_recovery_raises_a_new_order_once_the_first_is_closed(
    scheduled: KeyProject,
    make_user,  # type: ignore[no-untyped-def]
) -> None:
    signing = due(scheduled, "signing")
    services.warnings_evaluate(as_of=signing + dt.timedelta(days=40))
    first = SupervisionOrder.objects.get(project=scheduled)
    member = make_user("municipal_analyst", department=scheduled.responsible_unit)
    services.supervision_order_reply(actor=member, order=first, text="已协调", today=signing + dt.timedelta(days=41))
    services.supervision_order_close(actor=None, order=first, today=signing + dt.timedelta(days=42))
    for code in ("signing", "company_setup"):
        services.node_complete(
            actor=None,
            node=scheduled.nodes.get(code=code),
            finished_on=due(scheduled, code),
            today=signing + dt.timedelta(days=42),
        )
    assert colour_on(scheduled, signing + dt.timedelta(days=42)) == "yellow"  # not red: the episode ends
    filing_due = due(scheduled, "filing")

    services.warnings_evaluate(as_of=filing_due + dt.timedelta(days=35))

    orders = list(SupervisionOrder.objects.filter(project=scheduled).order_by("raised_on"))
    assert len(orders) == 2
    assert orders[1].red_since == filing_due + dt.timedelta(days=1)


def test_the_periodic_task_is_idempotent(scheduled: KeyProject) -> None:
    day = (due(scheduled, "signing") + dt.timedelta(days=40)).isoformat()

    first = warnings_evaluate_task(as_of=day)
    second = warnings_evaluate_task(as_of=day)

    assert first["orders"] == 1
    assert (second["orders"], second["changed"]) == (0, 0)


def test_a_blocker_is_routed_to_the_department_that_clears_it_with_a_time_limit(scheduled: KeyProject) -> None:
    day = dt.date(2025, 3, 3)

    blocker = services.blocker_raise(
        actor=None, project=scheduled, category="power", description="变电站未建成", today=day
    )

    assert blocker.department.name_zh == "国网上海市电力公司"
    assert blocker.due_on == day + dt.timedelta(days=30)
    assert blocker.is_overdue(today=day + dt.timedelta(days=31))
    assert not blocker.is_overdue(today=day + dt.timedelta(days=30))
