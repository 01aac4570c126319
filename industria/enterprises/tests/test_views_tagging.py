"""Explicit group tags: the service functions and the HTMX form on the enterprise page."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from industria.core.exceptions import OutOfScope
from industria.core.models import ObjectChange
from industria.enterprises.choices import MappingSource
from industria.enterprises.models import EnterpriseGroup
from industria.enterprises.services import enterprise_group_tag, enterprise_group_untag

from .factories import EnterpriseFactory, group, group_link

pytestmark = pytest.mark.django_db


def tag_url(enterprise: Any) -> str:
    return reverse("enterprises:enterprise_tag", args=[enterprise.pk])


def untag_url(enterprise: Any, code: str) -> str:
    return reverse("enterprises:enterprise_untag", args=[enterprise.pk, group(code).pk])


def enterprise_changes(enterprise: Any) -> Any:
    return ObjectChange.objects.filter(content_type__model="enterprise", object_id=str(enterprise.pk), action="bulk")


def test_tag_and_untag_record_one_audit_entry_each_on_the_enterprise(make_user: Any) -> None:
    enterprise = EnterpriseFactory()
    actor = make_user("district_officer", district_code="310115")

    link = enterprise_group_tag(actor=actor, enterprise=enterprise, group=group("trans-digital"))
    again = enterprise_group_tag(actor=actor, enterprise=enterprise, group=group("trans-digital"))
    enterprise_group_untag(actor=actor, enterprise=enterprise, group=group("trans-digital"))
    enterprise_group_untag(actor=actor, enterprise=enterprise, group=group("trans-digital"))

    assert link == again
    assert (link.source, link.weight) == (MappingSource.EXPLICIT, 1)
    assert not EnterpriseGroup.objects.filter(enterprise=enterprise).exists()
    summaries = [c.summary for c in enterprise_changes(enterprise).order_by("id")]
    assert [(s["action"], s["group"]) for s in summaries] == [
        ("group_tag", "trans-digital"),
        ("group_untag", "trans-digital"),
    ]


def test_untag_leaves_mapping_rows_alone(make_user: Any) -> None:
    enterprise = EnterpriseFactory()
    group_link(enterprise, "cluster-auto", weight="0.8", primary=True)
    group_link(enterprise, "cluster-auto", source=MappingSource.EXPLICIT)

    enterprise_group_untag(actor=make_user("municipal_admin"), enterprise=enterprise, group=group("cluster-auto"))

    assert list(EnterpriseGroup.objects.filter(enterprise=enterprise).values_list("source", flat=True)) == ["mapping"]


def test_service_refuses_an_actor_outside_the_scope(make_user: Any) -> None:
    from industria.accounts.tests.factories import district

    enterprise = EnterpriseFactory(district=district("310114"))

    with pytest.raises(OutOfScope):
        enterprise_group_tag(
            actor=make_user("district_officer", district_code="310115"),
            enterprise=enterprise,
            group=group("trans-green"),
        )


def test_htmx_tag_returns_the_groups_panel_and_history_shows_it(client: Any, make_user: Any) -> None:
    enterprise = EnterpriseFactory()
    officer = make_user("district_officer", district_code="310115")
    client.force_login(officer)

    response = client.post(tag_url(enterprise), {"group": group("trans-green").pk}, HTTP_HX_REQUEST="true")
    history = client.get(enterprise.get_absolute_url() + "?tab=history")

    assert response.status_code == 200
    assert response.content.decode().lstrip().startswith('<section class="panel" id="enterprise-groups">')
    assert b"Remove tag" in response.content
    assert EnterpriseGroup.objects.filter(enterprise=enterprise, source="explicit", group__code="trans-green").exists()
    change = enterprise_changes(enterprise).get()
    assert (change.user, change.source) == (officer, "ui")
    assert "Tagged explicitly with" in history.content.decode()


def test_htmx_untag_removes_the_tag(client: Any, make_user: Any) -> None:
    enterprise = EnterpriseFactory()
    group_link(enterprise, "trans-green", source=MappingSource.EXPLICIT)
    client.force_login(make_user("district_officer", district_code="310115"))

    response = client.post(untag_url(enterprise, "trans-green"), HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert not EnterpriseGroup.objects.filter(enterprise=enterprise).exists()


def test_plain_post_redirects_to_the_enterprise(client: Any, make_user: Any) -> None:
    enterprise = EnterpriseFactory()
    client.force_login(make_user("municipal_admin"))

    response = client.post(tag_url(enterprise), {"group": group("trans-green").pk})

    assert response.status_code == 302
    assert response["Location"] == enterprise.get_absolute_url()


def test_a_group_already_tagged_is_not_offered_again(client: Any, make_user: Any) -> None:
    enterprise = EnterpriseFactory()
    group_link(enterprise, "trans-green", source=MappingSource.EXPLICIT)
    client.force_login(make_user("district_officer", district_code="310115"))

    response = client.post(tag_url(enterprise), {"group": group("trans-green").pk}, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert response.context["tag_form"].errors["group"]
    assert EnterpriseGroup.objects.filter(enterprise=enterprise).count() == 1


def test_roles_that_may_not_change_enterprises_get_403_and_no_form(client: Any, make_user: Any) -> None:
    enterprise = EnterpriseFactory()
    client.force_login(make_user("municipal_analyst"))

    page = client.get(enterprise.get_absolute_url())
    response = client.post(tag_url(enterprise), {"group": group("trans-green").pk})

    assert response.status_code == 403
    assert b"Add tag" not in page.content
    assert not EnterpriseGroup.objects.exists()


def test_other_districts_enterprise_is_404(client: Any, make_user: Any) -> None:
    from industria.accounts.tests.factories import district

    enterprise = EnterpriseFactory(district=district("310114"))
    group_link(enterprise, "trans-green", source=MappingSource.EXPLICIT)
    client.force_login(make_user("district_officer", district_code="310115"))

    assert client.post(tag_url(enterprise), {"group": group("trans-digital").pk}).status_code == 404
    assert client.post(untag_url(enterprise, "trans-green")).status_code == 404
    assert EnterpriseGroup.objects.filter(enterprise=enterprise).count() == 1
