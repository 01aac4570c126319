"""Pages and API of the evaluations app: rule sets (editor, versions, evidence tags), rounds, results, what-if."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from industria.evaluations import rulesets, services
from industria.evaluations.models import RuleSet, RuleSetImmutable
from industria.evaluations.tests.helpers import AS_OF, YEAR, active, land_registry_from_template, template

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager_client(client: Any, manager: Any) -> Any:
    client.force_login(manager)
    return client


def test_rule_set_pages_show_evidence_tags(manager_client: Any) -> None:
    land = active("land-efficiency-zj")

    listing = manager_client.get("/evaluations/rulesets/")
    detail = manager_client.get(f"/evaluations/rulesets/{land.pk}/")
    history = manager_client.get(f"/evaluations/rulesets/{land.pk}/?tab=history")
    csv = manager_client.get(f"/evaluations/rulesets/{land.pk}/template.csv")

    assert listing.status_code == detail.status_code == history.status_code == 200
    assert b"land-efficiency-zj" in listing.content
    html = detail.content.decode()
    assert 'class="badge badge-uncertain"' in html
    assert "from memory" in html
    assert "uncertain" in html
    assert "major_safety_accident" in html  # a veto tagged M
    assert csv.content.decode("utf-8-sig").startswith("uscc,name,main_revenue_cny,land_area_mu,tax_cny")


def test_editor_error_names_the_field_path(manager_client: Any) -> None:
    document = rulesets.builtin_document("sme-innovative-2022")
    document["version"] = "2099.1"
    document["indicators"][1]["bands"][0]["gte"] = "x"

    response = manager_client.post("/evaluations/rulesets/add/", {"document": rulesets.dump_document(document)})

    assert response.status_code == 400
    assert "indicators[1].bands[0].gte: expected a number" in response.content.decode()
    assert not RuleSet.objects.filter(version="2099.1").exists()


def test_editing_an_active_rule_set_makes_a_new_draft_version(manager_client: Any) -> None:
    land = active("land-efficiency-zj")
    text = rulesets.dump_document(land.parameters).replace("weight: 30", "weight: 35", 1)

    response = manager_client.post(f"/evaluations/rulesets/{land.pk}/edit/", {"document": text})

    draft = RuleSet.objects.get(code="land-efficiency-zj", status="draft")
    assert response.status_code == 302
    assert response["Location"] == draft.get_absolute_url()
    assert draft.version == "2022.2"
    assert draft.based_on == land
    assert draft.parameters["indicators"][0]["weight"] == 35
    land.refresh_from_db()
    assert land.parameters["indicators"][0]["weight"] == 30
    land.parameters = {**land.parameters, "notes": "changed"}
    with pytest.raises(RuleSetImmutable):
        land.save()

    assert manager_client.post(f"/evaluations/rulesets/{draft.pk}/activate/").status_code == 302
    land.refresh_from_db()
    draft.refresh_from_db()
    assert (land.status, draft.status) == ("retired", "active")


def test_a_draft_is_edited_in_place(manager: Any) -> None:
    draft = services.ruleset_new_version(actor=manager, ruleset=active("sme-srdi-2022"))
    document = dict(draft.parameters)
    document["notes"] = "edited"

    same = services.ruleset_update(actor=manager, ruleset=draft, document=document)

    assert same.pk == draft.pk
    assert same.parameters["notes"] == "edited"


def test_enterprise_user_may_not_edit_rule_sets(client: Any, make_user: Any) -> None:
    from industria.enterprises.tests.factories import EnterpriseFactory

    client.force_login(make_user("enterprise_user", enterprise=EnterpriseFactory()))

    assert client.get("/evaluations/rulesets/add/").status_code == 403


def test_round_pages_create_run_results_chart_export(
    manager_client: Any, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    land_registry_from_template()
    land = active("land-efficiency-zj")

    created = manager_client.post(
        "/evaluations/rounds/add/", {"name": "Land 2024", "ruleset": land.pk, "year": YEAR, "as_of": AS_OF.isoformat()}
    )
    assert created.status_code == 302, created.content.decode()[:3000]
    url = created["Location"]
    declared = tmp_path / "d.csv"
    declared.write_text("uscc,exempt_class,veto\n91310000000000005B,public_utility,\n", encoding="utf-8")
    with open(declared, "rb") as handle:
        upload = manager_client.post(url + "applications/", {"file": SimpleUploadedFile("d.csv", handle.read())})
    assert upload.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        assert manager_client.post(url + "run/").status_code == 302

    overview = manager_client.get(url)
    results = manager_client.get(url + "?tab=results&grade=A")
    export = manager_client.get(url + "?tab=results&export=csv")
    objections = manager_client.get(url + "?tab=objections")
    history = manager_client.get(url + "?tab=history")
    listing = manager_client.get("/evaluations/")

    assert overview.status_code == 200
    assert b'data-chart="bar"' in overview.content
    assert b"round-chart" in overview.content
    assert b"job-" in overview.content  # the job's progress bar
    assert results.status_code == 200
    assert b"91310000000000001Y" in results.content
    assert b"913100000000000022" not in results.content  # grade B filtered out
    body = b"".join(export.streaming_content).decode("utf-8-sig")
    assert body.count("\n") == 12
    assert "ungraded" in body
    assert objections.status_code == history.status_code == listing.status_code == 200
    assert manager_client.post(url + "reproduce/", follow=True).status_code == 200


def test_invalid_round_form_gives_a_message(manager_client: Any) -> None:
    response = manager_client.post("/evaluations/rounds/add/", {"ruleset": "", "year": "x"})

    assert response.status_code == 400
    assert response.context["form"].errors["ruleset"]


def test_compare_page_shows_matrix_and_exports_moves(manager: Any, manager_client: Any, run_round: Any) -> None:
    import polars as pl

    from industria.evaluations import spreadsheet
    from industria.evaluations.tests.helpers import enterprise

    source = pl.read_csv(template("sme-innovative-2022"), infer_schema=False)
    for row in source.iter_rows(named=True):
        enterprise(row["uscc"], row["name"])
    round_ = services.evaluation_round_open(
        actor=manager, ruleset=active("sme-innovative-2022"), year=YEAR, as_of=AS_OF, use_applications=True
    )
    services.applications_upload(
        actor=manager, round_=round_, raw=spreadsheet.read_text_table(template("sme-innovative-2022")), source="a.csv"
    )
    run_round(round_, manager)
    document = dict(round_.ruleset.parameters)
    document["outcome"] = {**document["outcome"], "standard_route": {"total_min": 85, "category_minima": True}}
    draft = services.ruleset_new_version(actor=manager, ruleset=round_.ruleset, document=document)

    page = manager_client.get(f"/evaluations/rulesets/{draft.pk}/compare/", {"round": round_.pk})
    export = manager_client.get(f"/evaluations/rulesets/{draft.pk}/compare/", {"round": round_.pk, "export": "csv"})

    assert page.status_code == 200
    assert b"whatif-matrix" in page.content
    body = b"".join(export.streaming_content).decode("utf-8-sig")
    assert "91310000000000001Y" in body
    assert body.count("\n") == 2


def test_api_lists_are_scoped_and_filtered(api_client: Any, manager: Any, make_user: Any) -> None:
    api_client.force_authenticate(manager)

    rulesets_ = api_client.get("/api/evaluations/rulesets/", {"programme": "land_efficiency"}).json()
    rounds = api_client.get("/api/evaluations/rounds/").json()

    assert [r["code"] for r in rulesets_["results"]] == ["land-efficiency-zj"]
    assert rounds["count"] == 0
    api_client.force_authenticate(None)
    anonymous = api_client.get("/api/evaluations/assessments/")
    assert anonymous.status_code == 401
    assert anonymous["Content-Type"].startswith("application/problem+json")
