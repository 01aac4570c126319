"""API conventions: problem+json errors with stable codes, localized by Accept-Language; OpenAPI; tokens."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.authtoken.models import Token

from industria.enterprises.tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


def test_error_in_english_and_chinese_by_accept_language(api_client: Any) -> None:
    english = api_client.get("/api/enterprises/enterprises/", HTTP_ACCEPT_LANGUAGE="en")
    chinese = api_client.get("/api/enterprises/enterprises/", HTTP_ACCEPT_LANGUAGE="zh-Hans")

    assert english.status_code == chinese.status_code == 401
    assert english["Content-Type"].startswith("application/problem+json")
    assert english.json()["code"] == chinese.json()["code"] == "not_authenticated"
    assert english.json()["title"] == "Authentication required."
    assert chinese.json()["title"] != english.json()["title"]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in chinese.json()["title"] + chinese.json()["detail"])


def test_validation_error_lists_fields_in_the_callers_language(api_client: Any, make_user: Any) -> None:
    api_client.force_authenticate(make_user("municipal_admin"))
    body = {"uscc": "91310115MA1FL0O00X", "name_zh": "", "district": "999999"}

    english = api_client.post("/api/enterprises/enterprises/", body, format="json", HTTP_ACCEPT_LANGUAGE="en").json()
    chinese = api_client.post(
        "/api/enterprises/enterprises/", body, format="json", HTTP_ACCEPT_LANGUAGE="zh-Hans"
    ).json()

    assert english["code"] == "invalid"
    assert {e["field"] for e in english["errors"]} == {"uscc", "name_zh", "district"}
    uscc_message = next(e["message"] for e in english["errors"] if e["field"] == "uscc")
    assert "Character 15" in uscc_message
    assert chinese["errors"] != english["errors"]


def test_malformed_json_is_a_problem_not_a_500(api_client: Any, make_user: Any) -> None:
    api_client.force_authenticate(make_user("municipal_admin"))

    response = api_client.post("/api/enterprises/enterprises/", data="{not json", content_type="application/json")

    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


def test_bad_filter_values_are_a_problem_not_a_500(api_client: Any, make_user: Any) -> None:
    api_client.force_authenticate(make_user("municipal_admin"))

    response = api_client.get("/api/enterprises/enterprises/", {"district": "abc", "is_listed": "maybe"})

    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")


def test_unknown_api_path_is_problem_json(api_client: Any) -> None:
    response = api_client.get("/api/no-such-thing/")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_token_authentication_and_pagination_convention(api_client: Any, make_user: Any) -> None:
    user = make_user("municipal_analyst")
    for _ in range(3):
        EnterpriseFactory()
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")

    page = api_client.get("/api/enterprises/enterprises/", {"page_size": 2}).json()
    me = api_client.get("/api/accounts/me/").json()

    assert page["count"] == 3
    assert len(page["results"]) == 2
    assert page["next"]
    assert me == {
        "username": user.username,
        "roles": ["municipal_analyst"],
        "scope": "city",
        "district": None,
        "enterprise": None,
    }


def test_openapi_schema_and_docs_are_served(client: Any) -> None:
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    docs = client.get("/api/docs/")

    assert schema.status_code == 200
    assert "/api/enterprises/enterprises/" in schema.json()["paths"]
    assert docs.status_code == 200
    assert b"swagger-ui" in docs.content
    assert b"cdn" not in docs.content.lower(), "docs assets are served locally (offline deployment)"


def test_public_reference_data_needs_no_login(api_client: Any) -> None:
    response = api_client.get("/api/accounts/districts/")

    assert response.status_code == 200
    assert len(response.json()) == 16
