"""UI of the industry taxonomy: the system tree, group pages, GB/T 4754 codes and the default mapping (admin CRUD)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from industria.core.models import ObjectChange
from industria.enterprises.choices import Confidence
from industria.enterprises.models import IndustryMapping

from .factories import EnterpriseFactory, YearFactFactory, group, group_link

pytestmark = pytest.mark.django_db
DISCLAIMER = b"No official mapping is published; Industria default, editable by an administrator."


def login(client: Any, make_user: Any, role: str, **kwargs: Any) -> Any:
    client.force_login(make_user(role, **kwargs))
    return client


def test_group_tree_shows_layers_codes_names_and_targets(client: Any, make_user: Any) -> None:
    login(client, make_user, "district_officer", district_code="310115")

    response = client.get(reverse("enterprises:industrygroup_list"))
    content = response.content.decode()

    assert response.status_code == 200
    assert 'id="layer-key_cluster"' in content
    assert 'id="layer-future_industry"' in content
    assert 'id="group-cluster-electronic-info"' in content
    assert "电子信息" in content
    assert "10,000" in content
    assert "CNY 100 million" in content
    assert "badge-uncertain" not in content


def test_group_tree_marks_targets_from_memory_or_uncertain(client: Any, make_user: Any) -> None:
    for code, confidence in (("cluster-auto", Confidence.M), ("cluster-life-health", Confidence.U)):
        g = group(code)
        g.target_confidence = confidence
        g.save()
    login(client, make_user, "municipal_analyst")

    content = client.get(reverse("enterprises:industrygroup_list")).content.decode()

    assert content.count("badge-uncertain") == 2
    assert "from memory" in content
    assert ">uncertain<" in content


def test_group_detail_counts_enterprises_and_weighted_output_in_scope(
    client: Any, make_user: Any, django_assert_max_num_queries: Any
) -> None:
    from industria.accounts.tests.factories import district

    cluster = group("cluster-high-end-equipment")
    sub_area = cluster.children.first()
    own_a, own_b = EnterpriseFactory(), EnterpriseFactory()
    other = EnterpriseFactory(district=district("310114"))
    group_link(own_a, cluster.code, weight="0.5")
    group_link(own_b, sub_area.code)
    group_link(other, cluster.code)
    for enterprise in (own_a, own_b, other):
        YearFactFactory(enterprise=enterprise, year=2024, gross_output_cny=Decimal("400000000.00"))
    login(client, make_user, "district_officer", district_code="310115")

    with django_assert_max_num_queries(14):
        response = client.get(cluster.get_absolute_url())

    rollup = response.context["rollup"]
    assert (rollup.enterprises, rollup.gross_output_cny, rollup.year) == (2, Decimal("600000000.00"), 2024)
    assert b"6.00" in response.content
    assert sub_area.code.encode() in response.content
    assert DISCLAIMER in response.content
    assert response.context["rules"]
    assert all(
        r.group_id in {cluster.pk, *cluster.children.values_list("pk", flat=True)} for r in response.context["rules"]
    )


def test_group_detail_has_history_tab(client: Any, make_user: Any) -> None:
    login(client, make_user, "municipal_analyst")

    response = client.get(group("lead-ic").get_absolute_url() + "?tab=history")

    assert response.status_code == 200


def test_industry_code_search(client: Any, make_user: Any) -> None:
    login(client, make_user, "enterprise_user", enterprise=EnterpriseFactory())

    by_code = client.get(reverse("enterprises:industrycategory_list") + "?q=39")
    by_name = client.get(reverse("enterprises:industrycategory_list") + "?q=汽车")

    assert {c.code[:2] for c, _ in by_code.context["rows"]} == {"39"}
    assert {c.code for c, _ in by_name.context["rows"]} >= {"36"}


def test_mapping_list_has_the_disclaimer_for_every_role(client: Any, make_user: Any) -> None:
    for role in ("district_officer", "municipal_analyst", "municipal_admin"):
        login(client, make_user, role, **({"district_code": "310115"} if role == "district_officer" else {}))

        response = client.get(reverse("enterprises:industrymapping_list"))

        assert response.status_code == 200
        assert DISCLAIMER in response.content
        assert (b"/enterprises/mapping/add/" in response.content) is (role == "municipal_admin")


@pytest.mark.parametrize("role", ["district_officer", "municipal_analyst"])
def test_mapping_crud_is_refused_to_other_roles(client: Any, make_user: Any, role: str) -> None:
    rule = IndustryMapping.objects.first()
    login(client, make_user, role, **({"district_code": "310115"} if role == "district_officer" else {}))
    data = {"industry_code": rule.industry_code, "group": rule.group_id, "weight": "0.5"}

    assert client.get(reverse("enterprises:industrymapping_add")).status_code == 403
    assert client.post(reverse("enterprises:industrymapping_add"), data).status_code == 403
    assert client.post(reverse("enterprises:industrymapping_edit", args=[rule.pk]), data).status_code == 403
    assert client.post(reverse("enterprises:industrymapping_delete", args=[rule.pk])).status_code == 403
    assert IndustryMapping.objects.get(pk=rule.pk).weight == rule.weight


def test_admin_creates_changes_and_deletes_a_mapping_rule_with_audit(client: Any, make_user: Any) -> None:
    login(client, make_user, "municipal_admin")
    target = group("track-metaverse")

    created = client.post(
        reverse("enterprises:industrymapping_add"),
        {"industry_code": "3953", "group": target.pk, "weight": "0.4", "rationale": "VR headsets"},
    )
    rule = IndustryMapping.objects.get(industry_code="3953", group=target)
    changed = client.post(
        reverse("enterprises:industrymapping_edit", args=[rule.pk]),
        {"industry_code": "3953", "group": target.pk, "weight": "0.6", "rationale": "VR headsets"},
    )
    deleted = client.post(reverse("enterprises:industrymapping_delete", args=[rule.pk]))

    assert (created.status_code, changed.status_code, deleted.status_code) == (302, 302, 302)
    assert not IndustryMapping.objects.filter(pk=rule.pk).exists()
    actions = set(
        ObjectChange.objects.filter(object_id=str(rule.pk), content_type__model="industrymapping").values_list(
            "action", flat=True
        )
    )
    assert actions == {"create", "update", "delete"}


@pytest.mark.parametrize(
    ("data", "field"),
    [({"industry_code": "39a"}, "industry_code"), ({"weight": "1.5"}, "weight")],
)
def test_admin_mapping_input_errors_are_shown(client: Any, make_user: Any, data: dict[str, str], field: str) -> None:
    login(client, make_user, "municipal_admin")
    base = {"industry_code": "3953", "group": group("track-metaverse").pk, "weight": "0.4"}

    response = client.post(reverse("enterprises:industrymapping_add"), {**base, **data})

    assert response.status_code == 400
    assert response.context["form"].errors[field]
