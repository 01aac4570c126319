"""Generation of the synthetic projects as Polars frames (facts, planned schedule, actual dates, stages).

Deterministic for the generator handed in; no writes (the loader in ``load.py`` writes the frames).
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import numpy as np
import polars as pl

from industria.engines.scheduling import schedule_backward
from industria.enterprises.models import Enterprise
from industria.projects.choices import ORDERED_STAGES
from industria.projects.models import NodeTemplate

DEMO_AS_OF = dt.date(2025, 12, 31)
SCALES = {"tiny": 60, "city": 600, "province": 6_000, "nation": 100_000}
YI = 100_000_000
EPOCH = dt.date(1970, 1, 1)

DISTRICT_WEIGHTS = {
    "310115": 25,
    "310114": 12,
    "310117": 10,
    "310112": 9,
    "310120": 8,
    "310113": 7,
    "310116": 7,
    "310118": 6,
    "310151": 2,
    "310101": 2,
    "310104": 2,
    "310105": 2,
    "310106": 2,
    "310107": 2,
    "310109": 2,
    "310110": 2,
}
TYPE_WEIGHTS = {"new_build": 55, "expansion": 15, "tech_transformation": 20, "rd_centre": 5, "headquarters": 5}
TYPE_WORDS = {
    "new_build": "新建生产基地项目",
    "expansion": "扩建项目",
    "tech_transformation": "智能化技术改造项目",
    "rd_centre": "研发中心项目",
    "headquarters": "总部项目",
}
TYPE_TEMPLATES = {
    "expansion": "expansion-standard",
    "tech_transformation": "tech_transformation-standard",
    "rd_centre": "rd_centre-standard",
    "headquarters": "headquarters-standard",
}
SYLLABLES = list("华申浦江嘉松临港金闵奉青宝崇徐长虹杨泰瑞博恒信达源芯睿康科新能智联")
MILESTONES = {
    "signing": "signed_on",
    "filing": "filed_on",
    "land_contract": "land_acquired_on",
    "construction_permit": "permitted_on",
    "start": "started_on",
    "completion_acceptance": "completed_on",
    "trial_production": "producing_on",
    "at_capacity": "at_capacity_on",
}
BLOCKER_TEXT = {
    "land": "土地指标尚未落实（合成数据）",
    "planning": "规划调整审批进度滞后（合成数据）",
    "environment": "环评审批需补充材料（合成数据）",
    "power": "供电接入工程排期延后（合成数据）",
    "financing": "项目融资尚未到位（合成数据）",
    "other": "配套设施建设需协调（合成数据）",
}


def day_number(value: dt.date) -> int:
    return (value - EPOCH).days


def day_date(day: int) -> dt.date:
    return EPOCH + dt.timedelta(days=int(day))


def template_offsets(specs: dict[str, Any], node: str | None = None) -> dict[str, int]:
    """Days from the signing node to the target (or to ``node``'s finish) of each template."""
    codes = list(specs)
    target = dt.date(2030, 1, 1)
    projects = pl.DataFrame(
        {
            "project_id": list(range(len(codes))),
            "template_code": codes,
            "target_code": [None] * len(codes),
            "target_on": [target] * len(codes),
        },
        schema={"project_id": pl.Int64, "template_code": pl.String, "target_code": pl.String, "target_on": pl.Date},
    )
    nodes = pl.DataFrame(schema={"project_id": pl.Int64, "node_code": pl.String, "duration_days": pl.Int64})
    plan = schedule_backward(nodes, projects, specs)
    signing = {
        r["project_id"]: r["planned_finish_on"]
        for r in plan.filter(pl.col("node_code") == "signing").iter_rows(named=True)
    }
    ends = (
        {
            r["project_id"]: r["planned_finish_on"]
            for r in plan.filter(pl.col("node_code") == node).iter_rows(named=True)
        }
        if node
        else dict.fromkeys(signing, target)
    )
    return {codes[i]: (ends[i] - signing[i]).days for i in signing if i in ends}


def generate_facts(
    n: int,
    rng: np.random.Generator,
    as_of: dt.date,
    districts: list[str],
    groups: list[str],
    *,
    type_weights: dict[str, float] | None = None,
    pipeline_share: float = 0.15,
) -> pl.DataFrame:
    """The project facts: signing date (batches of the press release), investment, type, template, delays.

    ``pipeline_share``: leads and projects under negotiation (not scheduled yet); ``type_weights`` the mix of
    project types (the benchmark uses mostly new builds, whose templates have about 30 nodes).
    """
    scale = n / 600
    n_jan = int(round(162 * scale))  # signed in January 2023 (press release: > 160 projects, 1000亿)
    n_start = int(round(62 * scale))  # signed in H2 2022, started in January 2023 (> 60 projects, > 700亿)
    n_lead = int(round(pipeline_share * 8 / 15 * n))
    n_nego = int(round(pipeline_share * 7 / 15 * n))
    n_rest = max(n - n_jan - n_start - n_lead - n_nego, 0)
    jan = rng.integers(day_number(dt.date(2023, 1, 3)), day_number(dt.date(2023, 1, 29)) + 1, n_jan)
    # the January-2023 starts: the start day now, the signing day once the template is known (below)
    h2_2022 = rng.integers(day_number(dt.date(2023, 1, 4)), day_number(dt.date(2023, 1, 28)) + 1, n_start)
    # the rest: 2023-02 … as_of, with a concentrated signing each January and at the April conference
    span0, span1 = day_number(dt.date(2023, 2, 1)), day_number(min(as_of, dt.date(2025, 12, 31)))
    rest = rng.integers(span0, span1 + 1, n_rest)
    batch = rng.random(n_rest) < 0.18
    years = rng.choice([2024, 2025], n_rest)
    months = rng.choice([1, 4], n_rest)
    batch_days = np.array([day_number(dt.date(int(y), int(m), 1)) for y, m in zip(years, months, strict=True)])
    rest = np.where(batch & (batch_days <= span1), batch_days + rng.integers(2, 25, n_rest), rest)
    signed = np.concatenate([jan, h2_2022, rest, np.full(n_lead + n_nego, -1)])
    kind = np.array(
        ["jan"] * n_jan + ["start"] * n_start + ["rest"] * n_rest + ["lead"] * n_lead + ["negotiating"] * n_nego
    )
    m = len(signed)
    # investment: lognormal, median 4亿, ≥ 1亿, 1.5 % giants; the two batches scaled to the press figures
    invest = np.maximum(np.exp(rng.normal(math.log(4e8), 1.05, m)), 1e8)
    invest = np.where(rng.random(m) < 0.015, invest * rng.uniform(10, 30, m), invest)
    for label, total in (("jan", 1000 * YI * scale * 1.02), ("start", 720 * YI * scale * 1.04)):
        mask = kind == label
        if mask.any():
            invest[mask] *= total / invest[mask].sum()
    weights = type_weights or TYPE_WEIGHTS
    shares = np.array(list(weights.values()), dtype=float)
    types = rng.choice(list(weights), m, p=shares / shares.sum())
    types = np.where(kind == "start", "new_build", types)
    signed_year = np.where(signed > 0, 1970 + signed / 365.25, 2025)
    fast = rng.random(m)
    fast_share = np.clip((signed_year - 2022.5) * 0.15 + 0.2, 0.2, 0.6)  # the policy spreads 2023 → 2025
    new_build = np.where(
        fast < fast_share * 0.35,
        "new_build-land-start",
        np.where(
            fast < fast_share * 0.75,
            "new_build-pile-first",
            np.where(fast < fast_share, "new_build-phased", "new_build-standard"),
        ),
    )
    template = np.array([TYPE_TEMPLATES.get(t, nb) for t, nb in zip(types, new_build, strict=True)])
    # delays: most projects a little late, 10-20 % badly (> 12 months) or cancelled
    fate = rng.random(m)
    factor = np.exp(rng.normal(math.log(1.08), 0.12, m))
    factor = np.where(fate < 0.12, factor * rng.uniform(1.4, 2.2, m), factor)
    district_p = np.array([DISTRICT_WEIGHTS.get(c, 1) for c in districts], dtype=float)
    district_codes = rng.choice(districts, m, p=district_p / district_p.sum())
    central = np.isin(district_codes, ["310101", "310104", "310105", "310106", "310107", "310109", "310110"])
    types = np.where(central & (types == "new_build"), "headquarters", types)
    template = np.where(central & (types == "headquarters"), "headquarters-standard", template)
    return pl.DataFrame(
        {
            "i": np.arange(m),
            "kind": kind,
            "signed_day": signed,
            "invest": invest,
            "fixed_share": rng.uniform(0.6, 0.9, m),
            "output_ratio": rng.uniform(0.8, 2.4, m),
            "project_type": types,
            "template_code": template,
            "factor": np.where(kind == "start", 1.0, factor),
            "cancel": (fate < 0.05) & (kind != "start"),
            "stall": (fate >= 0.05) & (fate < 0.09) & (kind != "start"),
            "cut_fraction": rng.uniform(0.15, 0.7, m),
            "slack": np.where(kind == "start", 0, rng.integers(0, 61, m)),
            "district_code": district_codes,
            "group_code": rng.choice(groups, m),
            "lead_offset": rng.integers(30, 400, m),
            "investor_pick": rng.random(m),
            "name_a": rng.integers(0, len(SYLLABLES), m),
            "name_b": rng.integers(0, len(SYLLABLES), m),
            "baseline": rng.random(m) < 0.9,
            "blocker": rng.random(m),
            "blocker_kind": rng.choice(
                ["land", "planning", "environment", "power", "financing", "other"],
                m,
                p=[0.25, 0.2, 0.15, 0.15, 0.15, 0.1],
            ),
            "report_noise": rng.uniform(0.6, 1.4, m),
        }
    )


def with_investors(facts: pl.DataFrame, rng: np.random.Generator) -> pl.DataFrame:
    """60 % of the projects have a registered (synthetic) investor of their district, the others a lead name."""
    registry = pl.DataFrame(
        list(Enterprise.objects.filter(synthetic=True).order_by("uscc").values_list("pk", "district_id")[:50_000]),
        schema={"enterprise_id": pl.Int64, "district_id": pl.Int64},
        orient="row",
    )
    if registry.height:
        picked = registry.with_columns(k=pl.int_range(pl.len()).over("district_id"), n=pl.len().over("district_id"))
        facts = (
            facts.join(picked.select("district_id", "n").unique(), on="district_id", how="left")
            .with_columns(k=(pl.col("investor_pick") * 1_000_003).cast(pl.Int64) % pl.col("n").fill_null(1))
            .join(picked.select("district_id", "k", "enterprise_id"), on=["district_id", "k"], how="left")
        )
        facts = facts.with_columns(
            investor_id=pl.when(pl.col("investor_pick") < 0.6).then(pl.col("enterprise_id"))
        ).drop("n", "k", "enterprise_id")
    else:
        facts = facts.with_columns(investor_id=pl.lit(None, dtype=pl.Int64))
    short = pl.col("name_a").replace_strict(dict(enumerate(SYLLABLES)), return_dtype=pl.String) + pl.col(
        "name_b"
    ).replace_strict(dict(enumerate(SYLLABLES)), return_dtype=pl.String)
    return facts.with_columns(
        investor_name=pl.when(pl.col("investor_id").is_null())
        .then(pl.format("{}（合成）投资有限公司", short))
        .otherwise(pl.lit("")),
        name_zh=pl.format(
            "合成·{}{}{}",
            short,
            pl.col("group_name"),
            pl.col("project_type").replace_strict(TYPE_WORDS, return_dtype=pl.String),
        ),
    )


def planned_schedule(projects: pl.DataFrame, specs: dict[str, Any]) -> pl.DataFrame:
    """The schedule each project was planned on at signing (every node's planned dates)."""
    scheduled = projects.filter(pl.col("target_day").is_not_null()).select(
        project_id=pl.col("i"),
        template_code="template_code",
        target_code=pl.lit(None, dtype=pl.String),
        target_on=pl.col("target_day").cast(pl.Date),
    )
    empty = pl.DataFrame(schema={"project_id": pl.Int64, "node_code": pl.String, "duration_days": pl.Int64})
    return schedule_backward(empty, scheduled, specs).rename({"project_id": "i"})


def actual_dates(projects: pl.DataFrame, plan: pl.DataFrame, today: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Actual node dates (the plan stretched by the delay factor, up to ``as_of`` or a stall/cancel cut) and
    the stage dates that follow."""
    p = projects.select("i", "signed_day", "factor", "cancel", "stall", "cut_fraction", "offset", "slack")
    nodes = (
        plan.join(p, on="i")
        .with_columns(
            # relative to the planned signing (the target leaves ``slack`` days of buffer after the plan)
            rel_finish=(pl.col("planned_finish_on").cast(pl.Int64) - pl.col("signed_day") - pl.col("slack")),
            rel_start=(pl.col("planned_start_on").cast(pl.Int64) - pl.col("signed_day") - pl.col("slack")),
        )
        .with_columns(
            cut=pl.when(pl.col("cancel") | pl.col("stall"))
            .then(pl.col("signed_day") + (pl.col("offset") * pl.col("cut_fraction")).cast(pl.Int64))
            .otherwise(today),
            actual_finish=(pl.col("signed_day") + (pl.col("rel_finish") * pl.col("factor")).round().cast(pl.Int64)),
            actual_start=(pl.col("signed_day") + (pl.col("rel_start") * pl.col("factor")).round().cast(pl.Int64)),
        )
        .with_columns(cut=pl.min_horizontal("cut", pl.lit(today)))
    )
    done = pl.col("actual_finish") <= pl.col("cut")
    nodes = nodes.with_columns(
        actual_finish_on=pl.when(done).then(pl.col("actual_finish").cast(pl.Date)),
        actual_start_on=pl.when(pl.col("actual_start") <= pl.col("cut")).then(
            pl.min_horizontal("actual_start", "actual_finish").cast(pl.Date)
        ),
    )
    milestones = (
        nodes.filter(pl.col("node_code").is_in(list(MILESTONES)) & pl.col("actual_finish_on").is_not_null())
        .select("i", "node_code", "actual_finish_on")
        .pivot(on="node_code", index="i", values="actual_finish_on")
    )
    for code in MILESTONES:
        if code not in milestones.columns:
            milestones = milestones.with_columns(pl.lit(None, dtype=pl.Date).alias(code))
    stages = milestones.rename(MILESTONES).with_columns(
        under_construction_on=pl.when(pl.col("started_on").is_not_null()).then(
            pl.min_horizontal(pl.col("started_on") + pl.duration(days=25), pl.lit(day_date(today)))
        )
    )
    cuts = nodes.group_by("i").agg(pl.col("cut").first(), pl.col("cancel").first(), pl.col("stall").first())
    stages = (
        stages.join(cuts, on="i", how="left")
        .with_columns(
            cancelled_on=pl.when(pl.col("cancel") & (pl.col("cut") < today)).then(pl.col("cut").cast(pl.Date)),
            stalled_on=pl.when(pl.col("stall") & (pl.col("cut") < today)).then(pl.col("cut").cast(pl.Date)),
        )
        .drop("cut", "cancel", "stall")
    )
    return nodes.select("i", "node_code", "seq", "actual_start_on", "actual_finish_on"), stages


def with_dates(projects: pl.DataFrame, units: dict[int, int], as_of: dt.date, now: Any) -> pl.DataFrame:
    """Pipeline and negotiation dates, the stage reached, money in whole 万元, the remaining columns."""
    stage_cols = [
        "signed_on",
        "filed_on",
        "land_acquired_on",
        "permitted_on",
        "started_on",
        "under_construction_on",
        "completed_on",
        "producing_on",
        "at_capacity_on",
    ]
    highest = pl.max_horizontal(
        [pl.when(pl.col(c).is_not_null()).then(pl.lit(ORDERED_STAGES.index(c[:-3]))) for c in stage_cols]
    )
    stage_names = dict(enumerate(ORDERED_STAGES))
    frame = (
        projects.with_columns(
            lead_on=pl.when(pl.col("signed_day") > 0)
            .then((pl.col("signed_day") - pl.col("lead_offset")).cast(pl.Date))
            .otherwise(pl.lit(as_of) - pl.duration(days=pl.col("lead_offset") // 3)),
            negotiating_on=pl.when(pl.col("kind") == "negotiating")
            .then(pl.lit(as_of) - pl.duration(days=20))
            .when(pl.col("signed_day") > 0)
            .then((pl.col("signed_day") - pl.col("lead_offset") // 2).cast(pl.Date)),
            reached=highest.replace_strict(stage_names, default=None, return_dtype=pl.String),
        )
        .with_columns(
            stage=pl.when(pl.col("kind") == "lead")
            .then(pl.lit("lead"))
            .when(pl.col("kind") == "negotiating")
            .then(pl.lit("negotiating"))
            .when(pl.col("cancelled_on").is_not_null())
            .then(pl.lit("cancelled"))
            .when(pl.col("stalled_on").is_not_null())
            .then(pl.lit("stalled"))
            .otherwise(pl.col("reached").fill_null("signed")),
            held_stage=pl.when(pl.col("cancelled_on").is_not_null() | pl.col("stalled_on").is_not_null())
            .then(pl.col("reached").fill_null("signed"))
            .otherwise(pl.lit("")),
            total_investment_cny=(pl.col("invest") / 10_000).round(0) * 10_000,
        )
        .with_columns(
            fixed_asset_investment_cny=(pl.col("total_investment_cny") * pl.col("fixed_share") / 10_000).round(0)
            * 10_000,
            expected_output_cny=(pl.col("total_investment_cny") * pl.col("output_ratio") / 10_000).round(0) * 10_000,
            expected_tax_cny=(pl.col("total_investment_cny") * pl.col("output_ratio") * 0.06 / 10_000).round(0)
            * 10_000,
            template_id=pl.when(pl.col("target_day").is_not_null()).then(
                pl.col("template_code").replace_strict(
                    {c: t.pk for c, t in NodeTemplate.objects.in_bulk(field_name="code").items()}, return_dtype=pl.Int64
                )
            ),
            target_on=pl.col("target_day").cast(pl.Date),
            existing_land=pl.col("project_type").is_in(["expansion", "tech_transformation"]),
            responsible_unit_id=pl.col("district_id").replace_strict(units, return_dtype=pl.Int64),
            name_en=pl.lit(""),
            investor_contact=pl.lit(""),
            park=pl.lit(""),
            target_node_code=pl.lit(""),
            warning_colour=pl.lit("grey"),
            notes=pl.lit("合成演示数据 / synthetic demo data"),
            synthetic=pl.lit(True),
            created_at=pl.lit(now),
            updated_at=pl.lit(now),
        )
        .rename({"group_id": "industry_group_id"})
    )
    return frame
