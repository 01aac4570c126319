"""The import API: multipart POST → 202 with the job; GET the job for the result; errors as problem+json."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import include, path, reverse

from industria import urls as root_urls
from industria.core.models import Job, ObjectChange
from industria.enterprises.api import imports as import_api
from industria.enterprises.api import urls as api_urls
from industria.enterprises.models import EnterpriseYearFact

from .test_imports_helpers import DATA, HOME, enterprises, media_root

# The routes as industria/enterprises/api/urls.py mounts them (also before that file includes them).
_names = {getattr(p, "name", None) for p in api_urls.urlpatterns}
_api = [*api_urls.urlpatterns, *[p for p in import_api.urlpatterns if p.name not in _names]]
urlpatterns = [
    *[p for p in root_urls.urlpatterns if str(p.pattern) != "api/enterprises/"],
    path("api/enterprises/", include((_api, "enterprises-api"))),
]
handler404 = root_urls.handler404
handler500 = root_urls.handler500

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    return media_root(settings, tmp_path)


PROBLEM = "application/problem+json"


def upload(name: str, content: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content if content is not None else (DATA / name).read_bytes())


def post(api_client: Any, kind: str, file: SimpleUploadedFile | None, **extra: Any) -> Any:
    data = {"kind": kind, **extra}
    if file is not None:
        data["file"] = file
    return api_client.post(reverse("enterprises-api:import_create"), data, format="multipart")


@pytest.fixture
def admin_api(api_client: Any, make_user: Any) -> Any:
    api_client.force_authenticate(make_user("municipal_admin"))
    return api_client


def test_post_returns_202_with_the_job_and_get_gives_the_result(
    admin_api: Any, media: Path, django_capture_on_commit_callbacks: Any
) -> None:
    enterprises(3)

    with django_capture_on_commit_callbacks(execute=True):
        response = post(admin_api, "year-facts", upload("year_facts_gbk.csv"))
    job = admin_api.get(response["Location"]).json()

    assert response.status_code == 202
    assert response.json()["url"] == response["Location"]
    assert job["status"] == "succeeded"
    assert job["result"]["dry_run"] is True
    assert job["result"]["outcome"] == "checked"
    assert job["result"]["counts"] == {"rows": 3, "new": 3, "changed": 0, "unchanged": 0, "rejected": 0}
    assert job["result"]["file"] == {
        "name": "year_facts_gbk.csv",
        "format": "csv",
        "encoding": "gb18030",
        "header_row": 1,
    }
    assert job["commit_url"].endswith(reverse("enterprises-api:import_commit", args=[job["id"]]))
    assert not EnterpriseYearFact.objects.exists()


def test_commit_writes_one_change_log_entry_through_the_api_channel(
    admin_api: Any, media: Path, django_capture_on_commit_callbacks: Any
) -> None:
    enterprises(3)

    with django_capture_on_commit_callbacks(execute=True):
        response = post(admin_api, "year-facts", upload("year_facts_zh.xlsx"), dry_run="false")
    job = admin_api.get(response["Location"]).json()

    entries = ObjectChange.objects.filter(content_type=ContentType.objects.get_for_model(EnterpriseYearFact))
    assert job["result"]["outcome"] == "committed"
    assert EnterpriseYearFact.objects.count() == 3
    assert [(e.action, e.source, e.user_id) for e in entries] == [("bulk", "api", Job.objects.get().requested_by_id)]


def test_commit_of_a_clean_dry_run(admin_api: Any, media: Path, django_capture_on_commit_callbacks: Any) -> None:
    enterprises(3)
    with django_capture_on_commit_callbacks(execute=True):
        dry = post(admin_api, "year-facts", upload("year_facts_en.csv")).json()

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_api.post(dry["url"] + "commit/")

    assert response.status_code == 202
    assert admin_api.get(response["Location"]).json()["result"]["outcome"] == "committed"
    assert EnterpriseYearFact.objects.count() == 3


def test_rejected_rows_are_listed_with_row_column_and_message(
    admin_api: Any, media: Path, django_capture_on_commit_callbacks: Any
) -> None:
    enterprises(40)

    with django_capture_on_commit_callbacks(execute=True):
        response = post(admin_api, "year-facts", upload("year_facts_one_bad_row.csv"), dry_run="false")
    job = admin_api.get(response["Location"]).json()
    rejected = admin_api.get(job["rejected_url"])

    assert job["result"]["outcome"] == "rejected"
    assert [(p["row"], p["column"], p["code"]) for p in job["result"]["problems"]] == [
        (27, "Unified social credit code", "uscc_check_digit")
    ]
    assert "check digit" in job["result"]["problems"][0]["message"]
    assert "commit_url" not in job
    assert rejected.status_code == 200
    assert not EnterpriseYearFact.objects.exists()


@pytest.mark.parametrize(
    ("kind", "name", "content", "code"),
    [
        ("coupons", "year_facts_en.csv", None, "unknown_kind"),
        ("year-facts", "empty.csv", b"", "empty_file"),
        ("year-facts", "report.pdf", b"%PDF-1.4\x00\x00\x00", "unsupported_format"),
        ("year-facts", "corrupt.xlsx", None, "corrupt_xlsx"),
    ],
)
def test_bad_uploads_are_problem_json(
    admin_api: Any, media: Path, kind: str, name: str, content: bytes | None, code: str
) -> None:
    response = post(admin_api, kind, upload(name, content))

    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    assert response.json()["code"] == code
    assert response.json()["detail"]
    assert not Job.objects.exists()


def test_missing_file_is_problem_json(admin_api: Any) -> None:
    response = post(admin_api, "year-facts", None)

    assert (response.status_code, response["Content-Type"]) == (400, PROBLEM)
    assert response.json()["errors"][0]["field"] == "file"


def test_malformed_file_found_in_the_job_is_reported_in_the_result(
    admin_api: Any, media: Path, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = post(admin_api, "year-facts", upload("noyear.csv", b"uscc,main_revenue_cny\n1,2\n"))
    result = admin_api.get(response["Location"]).json()["result"]

    assert result["outcome"] == "malformed"
    assert result["problems"][0]["code"] == "missing_column"
    assert result["problems"][0]["column"] == "Year"


def test_enterprise_users_get_403_problem_json(api_client: Any, make_user: Any, media: Path) -> None:
    api_client.force_authenticate(make_user("enterprise_user", enterprise=enterprises(1)[0]))

    response = post(api_client, "year-facts", upload("year_facts_en.csv"))

    assert (response.status_code, response["Content-Type"]) == (403, PROBLEM)
    assert response.json()["code"] == "import_not_allowed"


def test_other_users_jobs_are_404(api_client: Any, make_user: Any) -> None:
    job = Job.objects.create(kind="enterprises.import", name="Import", requested_by=make_user("municipal_admin"))
    api_client.force_authenticate(make_user("district_officer", district_code=HOME))

    response = api_client.get(reverse("enterprises-api:import_detail", args=[job.pk]))

    assert (response.status_code, response["Content-Type"]) == (404, PROBLEM)


def test_template_download(admin_api: Any) -> None:
    response = admin_api.get(reverse("enterprises-api:import_template", args=["month-facts"]))

    assert response.status_code == 200
    assert response.content.startswith(b"PK")
