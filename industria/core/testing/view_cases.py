"""Declarative UI test cases: list, detail, create, edit, delete, export, scope, permissions, change log."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

import pytest
from django.urls import reverse

from .base import HOME_DISTRICT, OTHER_DISTRICT, CaseBase, district, make_user


class ViewCases:
    @pytest.mark.django_db
    class Standard(CaseBase):
        """The full set for a registry model with UI views named ``<app>:<model>_<action>``."""

        #: form_data(district) → POST data that creates a valid object in that district
        form_data: ClassVar[Callable[[Any], dict[str, Any]]]
        #: a field and a new value for the edit test
        edit_field: ClassVar[tuple[str, Any]]
        #: POST data that must be rejected, and the field whose error must be shown
        invalid_data: ClassVar[tuple[dict[str, Any], str]]

        def url(self, action: str, obj: Any = None) -> str:
            meta = self.model._meta
            name = f"{meta.app_label}:{meta.model_name}_{action}"
            return reverse(name, args=[obj.pk]) if obj is not None else reverse(name)

        @pytest.fixture
        def officer_client(self, client: Any) -> Any:
            client.force_login(make_user(self.district_role, district_code=HOME_DISTRICT))
            return client

        def test_anonymous_is_sent_to_login(self, client: Any) -> None:
            response = client.get(self.url("list"))

            assert response.status_code == 302
            assert reverse("accounts:login") in response["Location"]

        def test_list_shows_only_rows_of_own_district(self, officer_client: Any) -> None:
            own, other = self.make(HOME_DISTRICT), self.make(OTHER_DISTRICT)

            response = officer_client.get(self.url("list"))

            assert response.status_code == 200
            assert own.get_absolute_url().encode() in response.content
            assert other.get_absolute_url().encode() not in response.content

        def test_export_contains_only_rows_of_own_district(self, officer_client: Any) -> None:
            own, other = self.make(HOME_DISTRICT), self.make(OTHER_DISTRICT)

            body = b"".join(officer_client.get(self.url("list") + "?export=csv").streaming_content).decode("utf-8-sig")

            assert str(getattr(own, self.export_key)) in body
            assert str(getattr(other, self.export_key)) not in body

        export_key: ClassVar[str] = "pk"

        def test_detail_of_other_district_is_404(self, officer_client: Any) -> None:
            other = self.make(OTHER_DISTRICT)

            assert officer_client.get(self.url("detail", other)).status_code == 404
            assert officer_client.get(self.url("edit", other)).status_code == 404
            assert (
                officer_client.post(self.url("edit", other), self.form_data(district(OTHER_DISTRICT))).status_code
                == 404
            )
            assert officer_client.post(self.url("delete", other)).status_code == 404
            assert self.model.objects.filter(pk=other.pk).exists()

        def test_detail_of_own_district_shows_and_has_history_tab(self, officer_client: Any) -> None:
            own = self.make(HOME_DISTRICT)

            response = officer_client.get(self.url("detail", own))
            history = officer_client.get(self.url("detail", own) + "?tab=history")

            assert response.status_code == 200
            assert history.status_code == 200
            assert b"tab-history" in response.content

        def test_create_through_ui_is_logged_with_actor_and_channel(self, client: Any) -> None:
            user = make_user(self.district_role, district_code=HOME_DISTRICT)
            client.force_login(user)

            response = client.post(self.url("add"), self.form_data(district(HOME_DISTRICT)))

            assert response.status_code == 302, getattr(response, "context", {}) and response.context["form"].errors
            obj = self.model.objects.order_by("-pk").first()
            change = self.changes_for(obj).get(action="create")
            assert (change.user, change.source) == (user, "ui")

        def test_create_in_other_district_is_refused(self, officer_client: Any) -> None:
            before = self.model.objects.count()

            response = officer_client.post(self.url("add"), self.form_data(district(OTHER_DISTRICT)))

            assert response.status_code == 400
            assert self.model.objects.count() == before

        def test_edit_is_logged_with_before_and_after(self, officer_client: Any) -> None:
            own = self.make(HOME_DISTRICT)
            field, value = self.edit_field
            data = {**self.form_data(district(HOME_DISTRICT)), **self.form_data_for(own), field: value}

            response = officer_client.post(self.url("edit", own), data)

            assert response.status_code == 302
            change = self.changes_for(own).get(action="update")
            assert change.after[field] == value
            assert change.before[field] != value

        def form_data_for(self, obj: Any) -> dict[str, Any]:
            """Form data that keeps ``obj`` as it is (override where the generic guess is wrong)."""
            return {}

        def test_delete_is_logged(self, officer_client: Any) -> None:
            own = self.make(HOME_DISTRICT)
            pk = own.pk

            response = officer_client.post(self.url("delete", own))

            assert response.status_code == 302
            assert not self.model.objects.filter(pk=pk).exists()
            assert self.changes_for(own).filter(action="delete").exists()

        def test_invalid_input_gives_a_message_not_a_500(self, officer_client: Any) -> None:
            data, field = self.invalid_data
            before = self.model.objects.count()

            response = officer_client.post(self.url("add"), {**self.form_data(district(HOME_DISTRICT)), **data})

            assert response.status_code == 400
            assert response.context["form"].errors[field]
            assert self.model.objects.count() == before

        def test_read_only_role_may_not_add(self, client: Any) -> None:
            client.force_login(make_user(self.read_only_role))

            assert client.get(self.url("add")).status_code == 403
