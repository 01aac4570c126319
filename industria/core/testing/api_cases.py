"""Declarative API test cases: list, retrieve, create, update, delete, scope, permissions, change log."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

import pytest
from django.urls import reverse

from .base import HOME_DISTRICT, OTHER_DISTRICT, CaseBase, district, make_user


class APICases:
    @pytest.mark.django_db
    class Standard(CaseBase):
        """The full set for a model exposed by a ScopedModelViewSet named ``<app>-api:<model>-list|detail``."""

        #: api_data(district) → a JSON body that creates a valid object
        api_data: ClassVar[Callable[[Any], dict[str, Any]]]
        #: (field, value) for PATCH
        patch_field: ClassVar[tuple[str, Any]]
        #: (body, field) that must be rejected with that field named
        invalid_api_data: ClassVar[tuple[dict[str, Any], str]]

        def api_url(self, obj: Any = None) -> str:
            meta = self.model._meta
            if obj is None:
                return reverse(f"{meta.app_label}-api:{meta.model_name}-list")
            return reverse(f"{meta.app_label}-api:{meta.model_name}-detail", args=[obj.pk])

        @pytest.fixture
        def officer(self, db: Any) -> Any:
            return make_user(self.district_role, district_code=HOME_DISTRICT)

        @pytest.fixture
        def officer_api(self, api_client: Any, officer: Any) -> Any:
            from rest_framework.authtoken.models import Token

            api_client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=officer).key}")
            return api_client

        def test_anonymous_gets_401_problem(self, api_client: Any) -> None:
            response = api_client.get(self.api_url())

            assert response.status_code == 401
            assert response["Content-Type"].startswith("application/problem+json")

        def test_list_contains_only_own_district(self, officer_api: Any) -> None:
            own, other = self.make(HOME_DISTRICT), self.make(OTHER_DISTRICT)

            ids = {row["id"] for row in officer_api.get(self.api_url()).json()["results"]}

            assert own.pk in ids
            assert other.pk not in ids

        def test_other_district_is_404(self, officer_api: Any) -> None:
            other = self.make(OTHER_DISTRICT)

            assert officer_api.get(self.api_url(other)).status_code == 404
            assert officer_api.patch(self.api_url(other), dict([self.patch_field]), format="json").status_code == 404
            assert officer_api.delete(self.api_url(other)).status_code == 404
            assert self.model.objects.filter(pk=other.pk).exists()

        def test_create_is_logged_with_channel_api(self, officer_api: Any, officer: Any) -> None:
            response = officer_api.post(self.api_url(), self.api_data(district(HOME_DISTRICT)), format="json")

            assert response.status_code == 201, response.content
            obj = self.model.objects.get(pk=response.json()["id"])
            change = self.changes_for(obj).get(action="create")
            assert (change.user, change.source) == (officer, "api")

        def test_create_in_other_district_is_refused(self, officer_api: Any) -> None:
            before = self.model.objects.count()

            response = officer_api.post(self.api_url(), self.api_data(district(OTHER_DISTRICT)), format="json")

            assert response.status_code in (400, 403)
            assert response["Content-Type"].startswith("application/problem+json")
            assert self.model.objects.count() == before

        def test_patch_and_delete_are_logged(self, officer_api: Any) -> None:
            own = self.make(HOME_DISTRICT)
            field, value = self.patch_field

            assert officer_api.patch(self.api_url(own), {field: value}, format="json").status_code == 200
            assert officer_api.delete(self.api_url(own)).status_code == 204
            assert set(self.changes_for(own).values_list("action", flat=True)) >= {"update", "delete"}

        def test_invalid_body_is_a_problem_naming_the_field(self, officer_api: Any) -> None:
            body, field = self.invalid_api_data

            response = officer_api.post(
                self.api_url(), {**self.api_data(district(HOME_DISTRICT)), **body}, format="json"
            )

            assert response.status_code == 400
            problem = response.json()
            assert problem["code"] == "invalid"
            assert any(e["field"] == field for e in problem["errors"])

        def test_read_only_role_may_not_write(self, api_client: Any) -> None:
            api_client.force_authenticate(make_user(self.read_only_role))

            response = api_client.post(self.api_url(), self.api_data(district(HOME_DISTRICT)), format="json")

            assert response.status_code == 403
