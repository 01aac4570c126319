"""Acceptance of issue 4 (Plan and targets), each point shown by a test that fails if the feature breaks.

Boundaries of status rules, growth-rate and direction-only targets: test_progress_rules.py. Forecast engine:
test_forecast_engine.py. District scope: test_scope.py. Browser: test_browser.py.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from industria.plan.models import IndicatorActual, PlanIndicator
from industria.plan.progress import plan_progress_build

from .factories import source

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2026, 6, 30)


def _card(html: str, code: str) -> str:
    match = re.search(
        rf'<div class="card [^"]*" id="card-{code}".*?</div>\s*(?=<div class="card|</section>)', html, re.S
    )
    assert match, f"no card for {code}"
    return match.group(0)


def _page(html: str) -> str:
    """The page without what differs between two renderings of the same data (CSRF tokens)."""
    html = re.sub(r'name="csrf-token" content="[^"]+"', "", html)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_industrial_value_added_shows_target_latest_real_actual_with_source_forecast_interval_and_status(
    client, make_user, shanghai_plan
):
    client.force_login(make_user("municipal_analyst"))

    response = client.get(reverse("plan:overview") + f"?as_of={AS_OF}")

    assert response.status_code == 200
    card = _card(response.content.decode(), "industrial_value_added")
    assert "13,000" in card  # 2025 target: > 1.3 trillion yuan (13,000 亿元)
    assert "&gt;" in card
    assert "10,738.8" in card  # latest real annual actual (2021)
    assert "Actual 2021" in card
    assert 'data-source="WU-2022-09"' in card  # ... with its source
    assert "2025 forecast" in card
    assert "80 % interval" in card
    assert re.search(r'status-badge status-(green|amber|red)">(On track|At risk|Off track)<', card)
    assert "Forecast to miss the 2025 target by" in card or "Forecast to meet the 2025 target" in card


def test_industrial_value_added_engine_figures_behind_the_card(shanghai_plan):
    entry = plan_progress_build(plan=shanghai_plan, as_of=AS_OF)["indicators"]["industrial_value_added"]

    final = entry["final"]
    assert (final["target_year"], final["target_value"], final["target_kind"]) == (2025, 13000.0, "level")
    assert entry["latest"]["year"] == 2021
    assert entry["latest"]["value"] == pytest.approx(10738.8)
    assert entry["latest"]["source_code"] == "WU-2022-09"
    assert entry["latest"]["status"] == "published"
    assert final["projection_source"] == "forecast"
    assert final["projected_lower"] < final["projected_value"] < final["projected_upper"]
    assert final["status"] in {"green", "amber", "red"}
    assert final["shortfall_value"] == pytest.approx(max(13000.0 - final["projected_value"], 0.0), rel=1e-6)


def test_uncertain_figures_are_labelled_and_never_shown_as_confirmed(client, make_user, shanghai_plan):
    client.force_login(make_user("municipal_analyst"))
    investment = PlanIndicator.objects.get(plan=shanghai_plan, code="industrial_investment_growth")

    html = client.get(reverse("plan:planindicator_detail", args=[investment.pk]) + "?as_of=2023-06-30").content.decode()

    # 2022 growth 0.6 % is a [U] figure from one press release: the latest annual value on 2023-06-30
    row = re.search(r"<tr><td>2022</td>.*?</tr>", html, re.S).group(0)
    assert "badge-uncertain" in row
    assert "PRESS-2023-01-29" in row


def test_as_of_view_reproduces_what_the_dashboard_showed_on_that_date(client, make_user, shanghai_plan):
    client.force_login(make_user("municipal_analyst"))
    url = reverse("plan:overview")
    day = dt.date(2026, 1, 10)
    before = client.get(f"{url}?as_of={day}").content.decode()
    indicator = PlanIndicator.objects.get(plan=shanghai_plan, code="industrial_value_added")

    IndicatorActual.objects.create(
        indicator=indicator,
        period=dt.date(2025, 12, 31),
        period_type="year",
        value=Decimal("14321.5"),
        status="published",
        as_of_date=dt.date(2026, 2, 1),
        source=source("LATER-RELEASE"),
    )
    from industria.plan.services import plan_touch

    plan_touch(plan_id=shanghai_plan.pk)
    after_same_day = client.get(f"{url}?as_of={day}").content.decode()
    today = client.get(url).content.decode()

    assert _card(after_same_day, "industrial_value_added") == _card(before, "industrial_value_added")
    assert _page(after_same_day) == _page(before)
    assert "14,321.5" not in after_same_day
    assert "14,321.5" in _card(today, "industrial_value_added")


def test_as_of_view_hides_figures_known_later_and_recomputes_the_forecast(shanghai_plan):
    early = plan_progress_build(plan=shanghai_plan, as_of=dt.date(2024, 6, 30))["indicators"]["sei_output_share"]
    late = plan_progress_build(plan=shanghai_plan, as_of=dt.date(2025, 6, 30))["indicators"]["sei_output_share"]

    assert [r["year"] for r in early["annual"]][-1] == 2023  # 43.6 % for 2024 was published on 2025-01-23
    assert early["latest"]["value"] == pytest.approx(43.9)
    assert late["latest"]["year"] == 2024
    assert late["latest"]["value"] == pytest.approx(43.6)
    assert early["forecast"] != late["forecast"]
    assert early["final"]["projection_source"] == "forecast"


def test_public_view_shows_only_public_indicators_without_login(client, shanghai_plan):
    private = PlanIndicator.objects.filter(plan=shanghai_plan, is_public=False).first()

    response = client.get(reverse("plan:public_overview"))
    detail = client.get(reverse("plan:public_indicator", args=["industrial_value_added"]))

    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="card-industrial_value_added"' in html
    assert f'id="row-{private.code}"' not in html
    assert detail.status_code == 200
    assert client.get(reverse("plan:public_indicator", args=[private.code])).status_code == 404
    assert client.get(reverse("plan:overview")).status_code == 302  # the full dashboard needs a sign-in


def test_public_view_snaps_a_past_date_to_the_end_of_its_month(client, shanghai_plan):
    html = client.get(reverse("plan:public_overview") + "?as_of=2024-06-12").content.decode()

    assert "The dashboard as it was on 2024-06-30" in html
