"""An enterprise user sees only its own results (UI and API, once the window opens); objections reach the
manager and their resolution is audited."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from industria.core.models import ObjectChange
from industria.evaluations import services, spreadsheet
from industria.evaluations.models import Assessment, Objection
from industria.evaluations.tests.helpers import AS_OF, YEAR, active, land_declared_csv, land_registry_from_template

pytestmark = pytest.mark.django_db
MINE, OTHER = "913100000000000022", "91310000000000001Y"


@pytest.fixture
def land(tmp_path: Path, manager: Any, run_round: Any) -> Any:
    made = land_registry_from_template()
    round_ = services.evaluation_round_open(actor=manager, ruleset=active("land-efficiency-zj"), year=YEAR, as_of=AS_OF)
    services.applications_upload(
        actor=manager, round_=round_, raw=spreadsheet.read_text_table(land_declared_csv(tmp_path)), source="d.csv"
    )
    round_ = run_round(round_, manager)
    return round_, made


def open_window(round_: Any, manager: Any) -> Any:
    today = timezone.localdate()
    return services.evaluation_round_open_window(
        actor=manager, round_=round_, opens_on=today - timedelta(days=1), closes_on=today + timedelta(days=13)
    )


@pytest.fixture
def company(land: Any, make_user: Any) -> Any:
    _round, made = land
    return make_user("enterprise_user", enterprise=made[MINE], username="company")


def test_enterprise_user_sees_nothing_before_the_window_opens(land: Any, company: Any, client: Any) -> None:
    round_, made = land
    client.force_login(company)
    mine = Assessment.objects.get(round=round_, enterprise=made[MINE])

    assert client.get(f"/evaluations/results/{mine.pk}/").status_code == 404
    assert MINE.encode() not in client.get("/evaluations/mine/").content


def test_enterprise_user_sees_only_its_own_results_in_ui_and_api(
    land: Any, company: Any, client: Any, api_client: Any, manager: Any
) -> None:
    round_, made = land
    open_window(round_, manager)
    mine = Assessment.objects.get(round=round_, enterprise=made[MINE])
    other = Assessment.objects.get(round=round_, enterprise=made[OTHER])
    client.force_login(company)
    api_client.force_authenticate(company)

    page = client.get("/evaluations/mine/")
    detail = client.get(f"/evaluations/results/{mine.pk}/")
    api = api_client.get("/api/evaluations/assessments/").json()

    assert page.status_code == 200
    assert mine.get_absolute_url().encode() in page.content
    assert other.get_absolute_url().encode() not in page.content
    assert detail.status_code == 200
    assert client.get(f"/evaluations/results/{other.pk}/").status_code == 404
    assert [r["uscc"] for r in api["results"]] == [MINE]
    assert api_client.get(f"/api/evaluations/assessments/{other.pk}/").status_code == 404
    assert client.get(f"/evaluations/{round_.pk}/".replace("/evaluations/", "/evaluations/rounds/")).status_code in (
        403,
        404,
    )


def test_explanation_is_line_by_line_in_english_and_chinese(land: Any, company: Any, client: Any, manager: Any) -> None:
    round_, made = land
    open_window(round_, manager)
    mine = Assessment.objects.get(round=round_, enterprise=made[MINE])
    client.force_login(company)

    english = client.get(f"/evaluations/results/{mine.pk}/").content.decode()
    client.cookies["django_language"] = "zh-hans"
    chinese = client.get(f"/evaluations/results/{mine.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()

    assert "Value 200,000 against the benchmark 200,000, weight 30: 30.00 points." in english
    assert "Tax per mu" in english
    assert "亩均税收" in chinese
    assert "Grade B: rank 2 of 5 in the size class." in english


def test_explanation_api_is_scoped_and_complete(land: Any, company: Any, api_client: Any, manager: Any) -> None:
    round_, made = land
    open_window(round_, manager)
    mine = Assessment.objects.get(round=round_, enterprise=made[MINE])
    api_client.force_authenticate(company)

    body = api_client.get(f"/api/evaluations/assessments/{mine.pk}/explanation/").json()

    assert body["facts"]["tax_cny"] == "2000000.00"
    assert body["result"]["total_points"] == "103.33"
    assert body["result"]["grade"] == "B"
    assert [line["reason"] for line in body["lines"]][-1] == "percentile"


def test_objection_reaches_the_manager_and_its_resolution_is_audited(
    land: Any, company: Any, client: Any, manager: Any
) -> None:
    round_, made = land
    open_window(round_, manager)
    mine = Assessment.objects.get(round=round_, enterprise=made[MINE])
    client.force_login(company)

    filed = client.post(
        f"/evaluations/results/{mine.pk}/",
        {"reason": "Tax was under-reported", "corrected": "tax_cny = 9000000",
         "evidence": SimpleUploadedFile("tax.pdf", b"%PDF-1.4 receipt", content_type="application/pdf")},
    )  # fmt: skip
    assert filed.status_code == 302, filed.content.decode()[:2000]
    objection = Objection.objects.get()
    assert objection.filed_by == company
    assert objection.corrected_facts == {"tax_cny": "9000000"}

    client.force_login(manager)
    queue = client.get("/evaluations/objections/")
    assert objection.get_absolute_url().encode() in queue.content
    resolved = client.post(objection.get_absolute_url(), {"decision": "accept", "resolution": "Receipts checked"})
    assert resolved.status_code == 302

    objection.refresh_from_db()
    mine.refresh_from_db()
    assert objection.status == "accepted"
    assert objection.resolved_by == manager
    assert objection.result_before["grade"] == "B"
    assert objection.result_after["grade"] == "A"
    assert mine.corrected
    assert mine.grade == "A"
    assert mine.facts["tax_cny"] == "9000000"
    change = ObjectChange.objects.get(
        content_type=ContentType.objects.get_for_model(Objection), object_id=str(objection.pk), action="update"
    )
    assert (change.user, change.source) == (manager, "ui")
    assert change.before["status"] == "open"
    assert change.after["status"] == "accepted"
    rerun = ObjectChange.objects.get(content_type=ContentType.objects.get_for_model(Assessment), action="bulk")
    assert rerun.summary["outcome_before"]["grade"] == "B"
    assert rerun.summary["outcome_after"]["grade"] == "A"
    assert services.evaluation_round_reproduce(round_=round_)["identical"]


def test_rejection_needs_a_reason_and_is_audited(land: Any, company: Any, manager: Any) -> None:
    round_, made = land
    open_window(round_, manager)
    mine = Assessment.objects.get(round=round_, enterprise=made[MINE])
    objection = services.objection_file(
        actor=company, assessment=mine, reason="wrong", on=timezone.localdate(),
        evidence=SimpleUploadedFile("e.txt", b"evidence"),
    )  # fmt: skip

    with pytest.raises(services.DomainError):
        services.objection_resolve(
            actor=manager, objection=objection, accept=False, resolution=" ", on=timezone.localdate()
        )
    services.objection_resolve(
        actor=manager, objection=objection, accept=False, resolution="No proof", on=timezone.localdate()
    )

    objection.refresh_from_db()
    assert objection.status == "rejected"
    assert objection.resolution == "No proof"
    assert ObjectChange.objects.filter(object_id=str(objection.pk), action="update", user=manager).exists()


def test_objection_outside_the_window_or_of_another_enterprise_is_refused(
    land: Any, company: Any, manager: Any
) -> None:
    round_, made = land
    other = Assessment.objects.get(round=round_, enterprise=made[OTHER])
    mine = Assessment.objects.get(round=round_, enterprise=made[MINE])
    evidence = SimpleUploadedFile("e.txt", b"x")

    with pytest.raises(services.ObjectionRefused):  # window not open yet
        services.objection_file(actor=company, assessment=mine, reason="r", evidence=evidence, on=timezone.localdate())
    open_window(round_, manager)
    with pytest.raises(services.OutOfScope):
        services.objection_file(actor=company, assessment=other, reason="r", evidence=evidence, on=timezone.localdate())
    with pytest.raises(services.ObjectionRefused):
        services.objection_file(
            actor=company, assessment=mine, reason="r", evidence=evidence, on=timezone.localdate() + timedelta(days=30)
        )


def test_publishing_waits_for_open_objections(land: Any, company: Any, manager: Any) -> None:
    round_, made = land
    open_window(round_, manager)
    mine = Assessment.objects.get(round=round_, enterprise=made[MINE])
    services.objection_file(
        actor=company, assessment=mine, reason="r", evidence=SimpleUploadedFile("e.txt", b"x"), on=timezone.localdate()
    )

    with pytest.raises(services.PublishRefused):
        services.evaluation_round_publish(actor=manager, round_=round_, on=timezone.localdate() + timedelta(days=20))
