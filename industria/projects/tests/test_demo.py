"""The demo data: calibrated to the seed figures, deterministic, and the dispatch statistics equal a hand count."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from industria.projects.demo import projects_demo_load
from industria.projects.models import KeyProject

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo() -> dict:
    return projects_demo_load(n_projects=600, seed=7)


def test_demo_reproduces_the_january_2023_press_figures(demo: dict) -> None:
    projects = KeyProject.objects.filter(synthetic=True)

    signed = projects.filter(signed_on__range=(dt.date(2023, 1, 1), dt.date(2023, 1, 31)))
    started = projects.filter(started_on__range=(dt.date(2023, 1, 1), dt.date(2023, 1, 31)))

    assert signed.count() > 160
    assert sum(p.total_investment_cny for p in signed) >= Decimal(100_000_000_000)
    assert started.count() > 60
    assert sum(p.total_investment_cny for p in started) > Decimal(70_000_000_000)
    assert demo["projects"] == 600
