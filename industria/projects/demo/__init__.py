"""Synthetic key projects for `make demo` and the benchmarks (labelled synthetic everywhere).

About 600 projects at "city" scale over 2023-2025, calibrated to:

* the press release of 2023-01-29 (seeds/004_*.txt): since January 2023, more than 160 key industrial projects
  signed with CNY 100 billion, and more than 60 started with over CNY 70 billion — a concentrated signing in
  January 2023 and a concentrated start of projects signed in the second half of 2022;
* statistics-and-data.md §4.4: key projects ≥ 1亿, mean ≈ 8亿 (Q1 2024: 420 projects, 3435亿), lognormal with
  median ≈ 4亿 and a few giants (≥ 100亿);
* §4.5: signing→land 2–6 months, land→start 1–6 months (0–1 day fast-tracked), construction 12–24 months,
  ramp-up 12–36 months, 10–20 % of signed projects slip more than 12 months or are cancelled;
* the node templates (fast-track share growing 2023 → 2025, as the policy was rolled out).

Every project follows its template's planned schedule stretched by a delay factor; the nodes done by
``as_of`` carry actual dates, and the stage dates follow from them.  Deterministic for a seed (numpy's PCG64)
and ``as_of`` (default 2025-12-31, the end of the plan period).  Written set-based with ``core.bulk``;
re-running replaces the synthetic projects (real ones are never touched).
"""

from __future__ import annotations

from typing import Any

from industria.accounts.models import Department
from industria.projects.models import KeyProject

from .generate import DEMO_AS_OF, SCALES
from .load import delete_synthetic, projects_demo_load

__all__ = ["DEMO_AS_OF", "SCALES", "delete_synthetic", "projects_demo_load", "seed"]


def seed(*, scale: str, seed: int, log: Any) -> None:
    """`industria seed-demo`: the synthetic projects of the scale, the demo unit account, the warnings."""
    counts = projects_demo_load(n_projects=SCALES.get(scale, 600), seed=seed, as_of=DEMO_AS_OF)
    log("synthetic projects: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
    _demo_accounts()


def _demo_accounts() -> None:
    """A member of the planning bureau (responsible unit) and the district officers as project officers."""
    from industria.accounts.demo import DEMO_PASSWORD
    from industria.accounts.roles import Role
    from industria.accounts.services import user_upsert
    from industria.core.choices import ScopeKind

    planning = Department.objects.filter(name_zh="上海市规划和自然资源局", district=None).first()
    if planning is not None:
        user_upsert(
            actor=None,
            username="unit_planning",
            password=DEMO_PASSWORD,
            role=Role.MUNICIPAL_ANALYST,
            scope=ScopeKind.CITY,
            district=None,
            enterprise=None,
            department=planning,
        )
    from django.contrib.auth import get_user_model

    for username in ("officer_pudong", "officer_jiading"):
        user = get_user_model().objects.filter(username=username).first()
        if user is not None and user.district_id:
            ids = list(
                KeyProject.objects.filter(synthetic=True, district_id=user.district_id)
                .order_by("code")
                .values_list("pk", flat=True)[:40]
            )
            KeyProject.objects.filter(pk__in=ids).update(officer=user)
