"""District officers see district breakdowns of their own district only where the indicator is not public;
public indicators (and their breakdowns) are open to everyone, signed in or not."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from industria.accounts.tests.factories import district
from industria.plan.models import IndicatorActual

from .factories import ActualFactory, IndicatorFactory, TargetFactory

pytestmark = pytest.mark.django_db
HOME, OTHER = "310115", "310114"


@pytest.fixture
def figures(shanghai_plan):
    out = {}
    for public in (False, True):
        indicator = IndicatorFactory(plan=shanghai_plan, is_public=public, breakdown_district=True)
        TargetFactory(indicator=indicator)
        out[public] = {
            "indicator": indicator,
            "city": ActualFactory(indicator=indicator, value=500),
            "home": ActualFactory(indicator=indicator, district=district(HOME), value=111),
            "other": ActualFactory(indicator=indicator, district=district(OTHER), value=222),
        }
    return out


def _visible(user, rows):
    return set(IndicatorActual.objects.for_user(user, "view").filter(pk__in=[r.pk for r in rows]))


def test_officer_sees_city_rows_and_own_district_of_a_non_public_indicator(figures, make_user):
    officer = make_user("district_officer", district_code=HOME)
    private = figures[False]

    assert _visible(officer, [private["city"], private["home"], private["other"]]) == {private["city"], private["home"]}


def test_officer_sees_every_district_of_a_public_indicator(figures, make_user):
    officer = make_user("district_officer", district_code=HOME)
    public = figures[True]

    assert _visible(officer, [public["city"], public["home"], public["other"]]) == {
        public["city"],
        public["home"],
        public["other"],
    }


def test_city_wide_analyst_sees_every_district(figures, make_user):
    analyst = make_user("municipal_analyst")
    private = figures[False]

    assert _visible(analyst, [private["home"], private["other"]]) == {private["home"], private["other"]}


def test_indicator_page_breakdown_of_an_officer_lists_only_own_district(client, figures, make_user):
    client.force_login(make_user("district_officer", district_code=HOME))
    private, public = figures[False]["indicator"], figures[True]["indicator"]

    private_html = client.get(reverse("plan:planindicator_detail", args=[private.pk])).content.decode()
    public_html = client.get(reverse("plan:planindicator_detail", args=[public.pk])).content.decode()

    assert f'data-district="{HOME}"' in private_html
    assert f'data-district="{OTHER}"' not in private_html
    assert f'data-district="{HOME}"' in public_html
    assert f'data-district="{OTHER}"' in public_html


def test_officer_map_of_a_non_public_indicator_has_only_own_district(client, figures, make_user):
    client.force_login(make_user("district_officer", district_code=HOME))
    private = figures[False]["indicator"]

    response = client.get(reverse("plan:district_map") + f"?indicator={private.code}")

    html = response.content.decode()
    assert response.status_code == 200
    assert f'"code": "{HOME}"' in html
    assert f'"code": "{OTHER}"' not in html


def test_api_lists_follow_the_same_scope(api_client, figures, make_user):
    api_client.force_authenticate(make_user("district_officer", district_code=HOME))
    url = reverse("plan-api:indicatoractual-list")

    private_ids = {
        r["id"] for r in api_client.get(url, {"indicator": figures[False]["indicator"].code}).json()["results"]
    }
    public_ids = {
        r["id"] for r in api_client.get(url, {"indicator": figures[True]["indicator"].code}).json()["results"]
    }

    assert private_ids == {figures[False]["city"].pk, figures[False]["home"].pk}
    assert public_ids == {figures[True][k].pk for k in ("city", "home", "other")}


def test_anonymous_api_reads_public_indicators_and_their_figures_only(api_client, figures):
    indicators = {
        r["code"] for r in api_client.get(reverse("plan-api:planindicator-list"), {"page_size": 500}).json()["results"]
    }
    actuals = api_client.get(reverse("plan-api:indicatoractual-list"), {"page_size": 500}).json()["results"]

    assert figures[True]["indicator"].code in indicators
    assert figures[False]["indicator"].code not in indicators
    assert {r["indicator"] for r in actuals} >= {figures[True]["indicator"].pk}
    assert figures[False]["indicator"].pk not in {r["indicator"] for r in actuals}
    private_url = reverse("plan-api:planindicator-detail", args=[figures[False]["indicator"].pk])
    assert api_client.get(private_url).status_code == 404
    assert api_client.post(reverse("plan-api:indicatoractual-list"), {}, format="json").status_code == 401


def test_enterprise_user_without_a_plan_role_sees_what_the_public_sees(client, figures, make_user):
    from industria.enterprises.tests.factories import EnterpriseFactory

    user = make_user("enterprise_user", enterprise=EnterpriseFactory())
    client.force_login(user)

    assert _visible(user, [figures[False]["city"], figures[True]["city"]]) == {figures[True]["city"]}
    html = client.get(reverse("plan:overview") + f"?as_of={dt.date(2026, 6, 30)}").content.decode()
    assert f'id="row-{figures[True]["indicator"].code}"' in html
    assert f'id="row-{figures[False]["indicator"].code}"' not in html
