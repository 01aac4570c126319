"""Workflows: recording a figure and reporting on a task (rules, due dates, audit), and cache invalidation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from industria.accounts.tests.factories import district
from industria.core.changelog import change_context
from industria.core.models import ObjectChange
from industria.plan import exceptions as errors
from industria.plan.services import actual_record, plan_touch, task_status_record

from .factories import IndicatorFactory, TaskFactory, source

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 22)


def _record(actor, indicator, **kwargs):
    values = {
        "period": dt.date(2025, 12, 31),
        "period_type": "year",
        "value": Decimal("42"),
        "as_of_date": dt.date(2026, 3, 1),
        "today": TODAY,
        "source": source(),
    }
    values.update(kwargs)
    return actual_record(actor=actor, indicator=indicator, **values)


def test_owner_records_a_figure_and_the_next_due_date_moves_on(make_user):
    owner = make_user("municipal_analyst")
    indicator = IndicatorFactory(owner=owner, cadence="quarterly", next_due_on=dt.date(2026, 1, 30))

    with change_context(actor=owner, source="task"):
        actual = _record(
            owner, indicator, period=dt.date(2026, 9, 30), period_type="quarter", as_of_date=dt.date(2026, 10, 20)
        )

    indicator.refresh_from_db()
    assert indicator.next_due_on == dt.date(2027, 1, 30)  # Q4 2026 ends 31 Dec, due 30 days later
    assert actual.recorded_by == owner
    assert ObjectChange.objects.filter(object_id=str(actual.pk), action="create", user=owner).exists()
    assert ObjectChange.objects.filter(object_id=str(indicator.pk), action="update").exists()


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"uncertain": True, "status": "published"}, errors.UncertainFigureConfirmed),
        ({"source": None}, errors.SourceRequired),
        ({"as_of_date": dt.date(2025, 12, 30)}, errors.KnownBeforePeriodEnd),
        ({"as_of_date": dt.date(2026, 11, 23)}, errors.KnownInFuture),
        ({"period": dt.date(2025, 6, 30), "period_type": "year"}, errors.PeriodNotAnEnd),
        ({"period": dt.date(2025, 5, 30), "period_type": "month"}, errors.PeriodNotAnEnd),
    ],
)
def test_recording_rules_refuse_with_a_stable_code(make_user, kwargs, error):
    admin = make_user("municipal_admin")

    with pytest.raises(error):
        _record(admin, IndicatorFactory(), **kwargs)


def test_uncertain_figure_is_recorded_as_estimated(make_user):
    actual = _record(make_user("municipal_admin"), IndicatorFactory(), uncertain=True, status="estimated")

    assert (actual.uncertain, actual.status) == (True, "estimated")


def test_a_new_source_is_created_when_the_figure_cites_one_not_on_file(make_user):
    actual = _record(
        make_user("municipal_admin"),
        IndicatorFactory(),
        source=None,
        new_source={"title": "Statistical communiqué 2025", "url": "https://tjj.sh.gov.cn/x"},
    )

    assert actual.source.title == "Statistical communiqué 2025"
    assert actual.source.code.startswith("REC-20260301-")


def test_only_the_owner_or_an_in_scope_role_may_record(make_user):
    indicator = IndicatorFactory(breakdown_district=True)
    officer = make_user("district_officer", district_code="310115")

    with pytest.raises(errors.NotAllowedToUpdate):
        _record(make_user("municipal_analyst"), indicator)
    with pytest.raises(errors.NotAllowedToUpdate):
        _record(officer, indicator)  # a city-wide figure is outside a district officer's scope
    with pytest.raises(errors.NotAllowedToUpdate):
        _record(officer, indicator, district=district("310114"))
    assert _record(officer, indicator, district=district("310115")).district.code == "310115"


def test_breakdowns_must_be_allowed_and_computed_ones_come_from_the_registry(make_user):
    admin = make_user("municipal_admin")

    with pytest.raises(errors.BreakdownNotAllowed):
        _record(admin, IndicatorFactory(breakdown_district=False), district=district("310115"))
    computed = IndicatorFactory(
        breakdown_district=True, cadence="", computed={"kind": "count_tiers", "tier_kind": "srdi_sme"}
    )
    with pytest.raises(errors.ComputedIndicatorBreakdown):
        _record(admin, computed, district=district("310115"))


def test_task_report_sets_status_and_next_due_date(make_user):
    owner = make_user("district_officer", district_code="310115")
    task = TaskFactory(cadence="monthly")
    task.owners.add(owner)

    update = task_status_record(
        actor=owner,
        task=task,
        reported_on=dt.date(2026, 1, 31),
        status="delayed",
        narrative="土地指标未落实。",
        today=TODAY,
        progress_pct=30,
    )

    task.refresh_from_db()
    assert (task.status, task.progress_pct, task.next_due_on) == ("delayed", 30, dt.date(2026, 2, 28))
    assert update.reported_by == owner


def test_an_older_report_does_not_overwrite_the_task_status(make_user):
    admin = make_user("municipal_admin")
    task = TaskFactory()
    task_status_record(
        actor=admin, task=task, reported_on=dt.date(2026, 6, 30), status="on_track", narrative="ok", today=TODAY
    )

    task_status_record(
        actor=admin, task=task, reported_on=dt.date(2026, 3, 31), status="at_risk", narrative="late entry", today=TODAY
    )

    task.refresh_from_db()
    assert task.status == "on_track"


def test_plan_touch_invalidates_the_cached_dashboard(shanghai_plan, django_assert_num_queries):
    from industria.plan.progress import plan_progress

    plan_progress(plan=shanghai_plan, as_of=dt.date(2026, 6, 30))
    with django_assert_num_queries(0):
        plan_progress(plan=shanghai_plan, as_of=dt.date(2026, 6, 30))

    plan_touch(plan_id=shanghai_plan.pk)
    shanghai_plan.refresh_from_db()

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        plan_progress(plan=shanghai_plan, as_of=dt.date(2026, 6, 30))
    assert len(ctx.captured_queries) >= 3  # rebuilt from the database
