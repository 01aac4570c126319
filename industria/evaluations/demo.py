"""Demo data of the evaluations app (``industria seed-demo``), labelled synthetic.

The built-in rule sets are loaded by migration.  On the synthetic city this runs:

* a published land-efficiency round for the latest facts year (grades stored per enterprise-year);
* an SRDI round over synthetic applicants — the innovative SMEs of the city plus the demo enterprise user's
  enterprise — whose declared facts (IP, awards, digital level …) are generated from the seed; left in its
  publication window so that the demo enterprise user can read its explanation and file an objection.

Re-running replaces the synthetic rounds (and removes results of enterprises the registry no longer has).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import numpy as np
import polars as pl
from django.db import connection, transaction
from django.utils import timezone

from industria.enterprises.models import Enterprise, Tier
from industria.enterprises.selectors import facts_latest_year

from . import services
from .models import (
    Application,
    Assessment,
    EvaluationRound,
    LandEfficiencyGrade,
    Objection,
    ResultArchive,
)

SRDI_APPLICANTS_MAX = 3000


def _delete_synthetic() -> None:
    """Remove synthetic rounds and every row hanging on them, plus rows of enterprises that no longer exist."""
    q = connection.ops.quote_name
    rounds = q(EvaluationRound._meta.db_table)
    enterprises = q(Enterprise._meta.db_table)
    with connection.cursor() as cursor:
        for model in (Objection, Application, ResultArchive, Assessment, LandEfficiencyGrade):
            table = q(model._meta.db_table)
            cursor.execute(f"DELETE FROM {table} WHERE round_id IN (SELECT id FROM {rounds} WHERE synthetic)")
            if model is not ResultArchive:
                cursor.execute(f"DELETE FROM {table} WHERE enterprise_id NOT IN (SELECT id FROM {enterprises})")
        cursor.execute(f"DELETE FROM {rounds} WHERE synthetic")


def seed(*, scale: str, seed: int, log: Any) -> None:
    """Run the demo rounds on the synthetic city (no-op when there are no facts)."""
    with transaction.atomic():
        _delete_synthetic()
    year = facts_latest_year()
    if year is None or not Enterprise.objects.filter(synthetic=True).exists():
        log("evaluations: no synthetic facts, no demo rounds")
        return
    as_of = date(year + 1, 6, 30)
    land = services.ruleset_active("land_efficiency")
    if land is not None:
        round_ = services.evaluation_round_open(
            actor=None, ruleset=land, year=year, as_of=as_of, name=f"亩均效益评价 {year}（合成数据）", synthetic=True
        )
        summary = services.evaluation_round_compute(round_=round_)
        services.evaluation_round_publish(actor=None, round_=round_, on=date(year + 1, 7, 1))
        log(f"land efficiency {year}: {summary['rows']:,} enterprises in {summary['total_s']} s")
        log(f"  grades {summary['grades']}")
    srdi = services.ruleset_active("sme_srdi")
    if srdi is not None:
        round_ = services.evaluation_round_open(
            actor=None, ruleset=srdi, year=year, as_of=as_of, name=f"专精特新中小企业认定 {year}（合成数据）",
            use_applications=True, synthetic=True,
        )  # fmt: skip
        count = _srdi_applications(round_, seed)
        summary = services.evaluation_round_compute(round_=round_)
        today = timezone.localdate()
        services.evaluation_round_open_window(
            actor=None, round_=round_, opens_on=today - timedelta(days=1), closes_on=today + timedelta(days=13)
        )
        log(f"SRDI {year}: {count:,} synthetic applicants, passed {summary.get('passed')}")


def _srdi_applications(round_: EvaluationRound, seed: int) -> int:
    """Declared facts for the innovative SMEs (and the demo enterprise): the columns the registry lacks."""
    from django.contrib.auth import get_user_model

    ids = list(
        Tier.objects.filter(kind="innovative_sme", enterprise__synthetic=True)
        .order_by("enterprise_id")
        .values_list("enterprise_id", flat=True)
        .distinct()[:SRDI_APPLICANTS_MAX]
    )
    demo = get_user_model().objects.filter(username="enterprise_user").values_list("enterprise_id", flat=True).first()
    if demo is not None and demo not in ids:
        ids.append(demo)
    n = len(ids)
    if not n:
        return 0
    rng = np.random.default_rng(seed + 6)
    frame = pl.DataFrame(
        {
            "product_field_role": rng.choice(
                ["strengthens_key_chain", "foundation_or_supplier", "none"], n, p=[0.3, 0.4, 0.3]
            ),
            "digital_level": rng.choice(["1", "2", "3", "4"], n, p=[0.2, 0.4, 0.3, 0.1]),
            "quality_award": rng.random(n) < 0.2,
            "quality_system_certified": rng.random(n) < 0.8,
            "own_brand": rng.random(n) < 0.6,
            "standard_drafting": rng.random(n) < 0.25,
            "distinctive_points": rng.integers(0, 16, n).astype(str),
            "ip_class": rng.choice(["class1_high_value", "class1_self_developed", "class1", "class2", "none"], n),
            "rd_institution_level": rng.choice(["none", "below_municipal", "municipal", "provincial", "national"], n),
            "equity_financing_2y_cny": (rng.random(n) * 3e7).round(-4).astype(np.int64).astype(str),
            "st_award_ranked_3y": rng.random(n) < 0.04,
            "maker_china_top500_3y": rng.random(n) < 0.02,
        }
    ).with_columns(pl.col(pl.Boolean).cast(pl.String))
    rows = [
        Application(round=round_, enterprise_id=e, facts=facts, source="synthetic")
        for e, facts in zip(ids, frame.to_dicts(), strict=True)
    ]
    Application.objects.bulk_create(rows, batch_size=2000)
    return n
