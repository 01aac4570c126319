"""Stage transitions: forward only, with evidence; land and permit before works; the fast-track exceptions."""

from __future__ import annotations

import datetime as dt

import pytest

from industria.core.exceptions import DomainError
from industria.projects import exceptions as errors
from industria.projects import services
from industria.projects.models import KeyProject, ProjectEvent

from .factories import project, template

pytestmark = pytest.mark.django_db
TODAY = dt.date(2025, 6, 30)


def advance(p: KeyProject, stage: str, actor=None, **evidence) -> KeyProject:  # type: ignore[no-untyped-def]
    return services.project_stage_advance(actor=actor, project=p, stage=stage, evidence=evidence, today=TODAY)


def land_and_filed(**kwargs) -> KeyProject:  # type: ignore[no-untyped-def]
    p = project(**kwargs)
    p = advance(p, "filed", filed_on=dt.date(2024, 4, 1), filing_no="2404-310115-04-01-000001")
    return advance(
        p, "land_acquired", land_acquired_on=dt.date(2024, 6, 1), land_contract_no="沪规划资源出让〔2024〕1号"
    )


def scheduled(template_code: str, **kwargs) -> KeyProject:  # type: ignore[no-untyped-def]
    p = land_and_filed(**kwargs)
    return services.project_schedule_plan(
        actor=None, project=p, template=template(template_code), target_on=dt.date(2026, 6, 30), today=TODAY
    )


def test_pile_foundation_first_project_may_start_before_its_main_permit() -> None:
    p = scheduled("new_build-pile-first")

    started = advance(p, "started", started_on=dt.date(2024, 7, 1), pile_permit_no="沪建桩〔2024〕88号")

    assert started.stage == "started"
    assert started.permitted_on is None
    assert started.nodes.get(code="start").actual_finish_on == dt.date(2024, 7, 1)


def test_ordinary_project_may_not_start_before_its_main_permit() -> None:
    p = scheduled("new_build-standard")

    with pytest.raises(errors.MainPermitMissing):
        advance(p, "started", started_on=dt.date(2024, 7, 1), pile_permit_no="沪建桩〔2024〕88号")

    p.refresh_from_db()
    assert p.stage == "land_acquired"
    assert p.started_on is None


def test_pile_first_without_a_pile_permit_may_not_start_either() -> None:
    p = scheduled("new_build-pile-first")

    with pytest.raises(errors.MainPermitMissing):
        advance(p, "started", started_on=dt.date(2024, 7, 1))


def test_ordinary_project_starts_once_permitted() -> None:
    p = scheduled("new_build-standard")
    p = advance(p, "permitted", permitted_on=dt.date(2024, 6, 20), construction_permit_no="3101152406200101")

    p = advance(p, "started", started_on=dt.date(2024, 7, 1))

    assert (p.stage, p.permitted_on, p.started_on) == ("started", dt.date(2024, 6, 20), dt.date(2024, 7, 1))


def test_no_start_without_land_unless_on_existing_land() -> None:
    p = project()
    p = advance(p, "filed", filed_on=dt.date(2024, 4, 1), filing_no="F-1")

    with pytest.raises(errors.LandMissing):
        advance(p, "permitted", permitted_on=dt.date(2024, 5, 1), construction_permit_no="P-1")

    p.existing_land = True
    p.save()
    assert advance(p, "permitted", permitted_on=dt.date(2024, 5, 1), construction_permit_no="P-1").stage == "permitted"


def test_transitions_only_go_forward() -> None:
    p = land_and_filed()

    with pytest.raises(errors.StageNotForward):
        advance(p, "filed", filed_on=dt.date(2024, 7, 1), filing_no="again")


def test_missing_evidence_is_named_and_nothing_changes() -> None:
    p = project()

    with pytest.raises(errors.EvidenceMissing, match="Filing or approval number"):
        advance(p, "filed", filed_on=dt.date(2024, 4, 1))

    p.refresh_from_db()
    assert p.stage == "signed"


@pytest.mark.parametrize("day", [dt.date(2024, 2, 1), dt.date(2025, 7, 1)])
def test_evidence_dates_must_follow_the_stages_reached_and_not_lie_in_the_future(day: dt.date) -> None:
    p = project(signed_on=dt.date(2024, 3, 1))

    with pytest.raises(errors.EvidenceDateInvalid):
        advance(p, "filed", filed_on=day, filing_no="F-1")


def test_phased_project_produces_after_the_first_phase_and_completes_after_all() -> None:
    p = scheduled("new_build-phased")
    p = advance(p, "permitted", permitted_on=dt.date(2024, 6, 20), construction_permit_no="P-1")
    p = advance(p, "started", started_on=dt.date(2024, 7, 1))
    with pytest.raises(errors.StageRequires):
        advance(p, "producing", producing_on=dt.date(2025, 3, 1))
    services.node_complete(
        actor=None, node=p.nodes.get(code="phase_1_acceptance"), finished_on=dt.date(2025, 2, 1), today=TODAY
    )

    p = advance(p, "producing", producing_on=dt.date(2025, 3, 1))
    with pytest.raises(errors.PhasesNotAccepted):
        advance(p, "completed", completed_on=dt.date(2025, 4, 1), acceptance_no="A-1")
    services.node_complete(
        actor=None, node=p.nodes.get(code="phase_2_acceptance"), finished_on=dt.date(2025, 5, 1), today=TODAY
    )
    p = advance(p, "completed", completed_on=dt.date(2025, 5, 20), acceptance_no="A-1")

    assert (p.stage, p.producing_on, p.completed_on) == ("producing", dt.date(2025, 3, 1), dt.date(2025, 5, 20))


def test_an_ordinary_project_produces_only_after_completion() -> None:
    p = scheduled("new_build-standard", existing_land=True)
    p = advance(p, "permitted", permitted_on=dt.date(2024, 6, 20), construction_permit_no="P-1")
    p = advance(p, "started", started_on=dt.date(2024, 7, 1))

    with pytest.raises(errors.StageRequires):
        advance(p, "producing", producing_on=dt.date(2025, 3, 1))


def test_every_transition_is_an_event_with_its_evidence() -> None:
    p = land_and_filed()

    event = ProjectEvent.objects.filter(project=p, type="stage_advanced").order_by("-id").first()

    assert event.parameters["to"] == "land_acquired"
    assert event.parameters["evidence"]["land_contract_no"] == "沪规划资源出让〔2024〕1号"


def test_only_an_administrator_reopens_and_only_with_a_reason(make_user) -> None:  # type: ignore[no-untyped-def]
    p = land_and_filed()
    officer = make_user("district_officer", district_code="310115")
    admin = make_user("municipal_admin")

    with pytest.raises(errors.ReopenNotAllowed):
        services.project_reopen(actor=officer, project=p, stage="signed", reason="wrong contract", today=TODAY)
    with pytest.raises(errors.ReasonRequired):
        services.project_reopen(actor=admin, project=p, stage="signed", reason=" ", today=TODAY)
    p = services.project_reopen(actor=admin, project=p, stage="signed", reason="wrong contract", today=TODAY)

    assert (p.stage, p.filed_on, p.land_acquired_on) == ("signed", None, None)
    event = ProjectEvent.objects.get(project=p, type="reopened")
    assert event.parameters["cleared"]["land_acquired_on"] == "2024-06-01"


def test_stalled_project_resumes_where_it_stood_and_cancelled_one_stays_closed() -> None:
    p = land_and_filed()

    p = services.project_stall(actor=None, project=p, on=dt.date(2024, 8, 1), reason="financing", today=TODAY)
    with pytest.raises(errors.ProjectStalled):
        advance(p, "permitted", permitted_on=dt.date(2024, 9, 1), construction_permit_no="P")
    p = services.project_resume(actor=None, project=p, on=dt.date(2024, 9, 1))
    assert p.stage == "land_acquired"
    p = services.project_cancel(actor=None, project=p, on=dt.date(2024, 10, 1), reason="investor withdrew", today=TODAY)

    with pytest.raises(DomainError):
        advance(p, "permitted", permitted_on=dt.date(2024, 11, 1), construction_permit_no="P")
