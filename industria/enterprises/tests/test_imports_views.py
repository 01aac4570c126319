"""The import UI: upload (dry run by default) → job page with progress → result → commit; templates; downloads."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from industria.core.models import Job, ObjectChange
from industria.enterprises.imports.services import import_file_run
from industria.enterprises.imports.specs import EXAMPLE_USCC
from industria.enterprises.models import EnterpriseYearFact

from .test_imports_helpers import DATA, HOME, code, enterprises, media_root

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    return media_root(settings, tmp_path)


def upload(name: str, content: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content if content is not None else (DATA / name).read_bytes())


@pytest.fixture
def admin_client(client: Any, make_user: Any) -> Any:
    client.force_login(make_user("municipal_admin"))
    return client


def test_upload_page_offers_the_kinds_the_role_may_import(client: Any, make_user: Any) -> None:
    client.force_login(make_user("programme_manager"))

    page = client.get(reverse("enterprises:import_upload")).content.decode()

    assert 'value="tiers"' in page
    assert 'value="year-facts"' not in page
    assert 'name="dry_run"' in page
    assert "checked" in page.split('name="dry_run"')[1].split(">")[0]


def test_enterprise_users_and_analysts_get_403(client: Any, make_user: Any) -> None:
    enterprise = enterprises(1)[0]
    for user in (make_user("enterprise_user", enterprise=enterprise), make_user("municipal_analyst")):
        client.force_login(user)

        assert client.get(reverse("enterprises:import_upload")).status_code == 403
        assert client.post(reverse("enterprises:import_upload"), {"kind": "year-facts"}).status_code == 403


def test_dry_run_then_commit_through_the_ui(
    admin_client: Any, media: Path, django_capture_on_commit_callbacks: Any
) -> None:
    enterprises(3)

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("enterprises:import_upload"),
            {"kind": "year-facts", "file": upload("year_facts_en.csv"), "dry_run": "on"},
        )
    dry = Job.objects.get()
    page = admin_client.get(response.url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        committed = admin_client.post(reverse("enterprises:import_commit", args=[dry.pk]))
    real = Job.objects.exclude(pk=dry.pk).get()
    result_page = admin_client.get(committed.url).content.decode()

    assert response.status_code == 302
    assert response.url == reverse("enterprises:import_job", args=[dry.pk])
    assert dry.result["outcome"] == "checked"
    assert dry.result["counts"]["new"] == 3
    assert 'data-count="new">3<' in page
    assert 'id="import-commit-form"' in page
    assert list((media / "imports").rglob("year_facts_en.csv"))  # the upload is kept under MEDIA_ROOT/imports/
    assert committed.url == reverse("enterprises:import_job", args=[real.pk])
    assert real.result["outcome"] == "committed"
    assert EnterpriseYearFact.objects.count() == 3
    assert 'data-outcome="committed"' in result_page
    assert 'id="import-commit-form"' not in result_page
    entry = ObjectChange.objects.get(action="bulk", content_type=ContentType.objects.get_for_model(EnterpriseYearFact))
    assert (entry.source, entry.user_id) == ("ui", real.requested_by_id)


def test_rejected_file_shows_the_problems_and_offers_the_rejected_rows(
    admin_client: Any, media: Path, django_capture_on_commit_callbacks: Any
) -> None:
    enterprises(40)

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("enterprises:import_upload"), {"kind": "year-facts", "file": upload("year_facts_one_bad_row.csv")}
        )
    job = Job.objects.get()
    page = admin_client.get(response.url).content.decode()
    download = admin_client.get(reverse("enterprises:import_rejected", args=[job.pk]))
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content))).active

    assert job.result["outcome"] == "rejected"
    assert not job.result["dry_run"]
    assert '<tr data-code="uscc_check_digit"><td class="num">27</td><td>Unified social credit code</td>' in page
    assert 'id="import-commit-form"' not in page
    assert download.status_code == 200
    assert sheet.max_row == 2
    assert sheet.cell(row=2, column=sheet.max_column - 1).value == 27
    assert not EnterpriseYearFact.objects.exists()


def test_bad_uploads_get_a_clear_message_not_a_500(admin_client: Any, media: Path) -> None:
    cases = {
        "report.pdf": (b"%PDF-1.4\x00\x00binary", "neither a csv nor an xlsx"),
        "empty.csv": (b"", "The file is empty."),
        "corrupt.xlsx": ((DATA / "corrupt.xlsx").read_bytes(), "cannot be read"),
    }

    for name, (content, message) in cases.items():
        response = admin_client.post(
            reverse("enterprises:import_upload"), {"kind": "year-facts", "file": upload(name, content)}
        )

        assert response.status_code == 400, name
        assert message in response.content.decode(), name
    assert not Job.objects.exists()
    assert not list((media / "imports").rglob("*.*")) if (media / "imports").exists() else True


def test_unknown_kind_is_a_form_error(admin_client: Any, media: Path) -> None:
    response = admin_client.post(
        reverse("enterprises:import_upload"), {"kind": "coupons", "file": upload("year_facts_en.csv")}
    )

    assert response.status_code == 400
    assert "coupons" in response.content.decode()


def test_job_page_polls_while_the_import_runs(admin_client: Any, make_user: Any) -> None:
    job = Job.objects.create(
        kind="enterprises.import",
        name="Import",
        status="running",
        progress_done=300,
        progress_total=1000,
        requested_by=make_user("municipal_admin"),
    )
    admin_client.force_login(job.requested_by)

    fragment = admin_client.get(reverse("enterprises:import_job", args=[job.pk]), HTTP_HX_REQUEST="true")

    assert 'hx-trigger="every 1s"' in fragment.content.decode()
    assert 'value="30"' in fragment.content.decode()
    assert "<html" not in fragment.content.decode()


def test_other_users_import_jobs_are_404_for_district_officers(client: Any, make_user: Any) -> None:
    job = Job.objects.create(kind="enterprises.import", name="Import", requested_by=make_user("municipal_admin"))
    client.force_login(make_user("district_officer", district_code=HOME))

    assert client.get(reverse("enterprises:import_job", args=[job.pk])).status_code == 404
    assert client.get(reverse("enterprises:import_rejected", args=[job.pk])).status_code == 404


def test_templates_explain_every_column_and_their_example_row_is_refused(admin_client: Any, tmp_path: Path) -> None:
    enterprises(1)

    response = admin_client.get(reverse("enterprises:import_template", args=["year-facts"]))
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    data, notes = book.worksheets
    path = tmp_path / "template.xlsx"
    path.write_bytes(response.content)
    as_is = import_file_run(actor=None, kind="year-facts", path=path, dry_run=True)
    data.cell(row=2, column=1, value=code(1))
    book.save(path)
    filled = import_file_run(actor=None, kind="year-facts", path=path, dry_run=False)

    assert response.status_code == 200
    assert [c.value for c in data[1]][:3] == ["Unified social credit code*", "Year*", "Main-business revenue (CNY)"]
    assert data.cell(row=2, column=1).value == code(1)
    assert [c.value for c in notes[1]][:5] == ["Column", "Meaning", "Unit", "Required", "Allowed values"]
    assert notes.max_row > 17
    assert [p["code"] for p in as_is.problems] == ["example_row"]
    assert as_is.problems[0]["params"]["value"] == EXAMPLE_USCC
    assert filled.outcome == "committed"
    assert EnterpriseYearFact.objects.get().year == 2024


def test_chinese_template_has_chinese_headers(admin_client: Any, settings: Any) -> None:
    settings.LANGUAGE_CODE = "zh-hans"

    response = admin_client.get(reverse("enterprises:import_template", args=["tiers"]), HTTP_ACCEPT_LANGUAGE="zh-hans")
    data = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]

    assert [c.value for c in data[1]][:3] == ["统一社会信用代码*", "称号*", "级别"]


def test_unknown_template_is_404(admin_client: Any) -> None:
    assert admin_client.get(reverse("enterprises:import_template", args=["coupons"])).status_code == 404
