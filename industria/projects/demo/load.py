"""Loading the synthetic projects set-based: delete the previous ones, insert every table with ``core.bulk``,
compute the schedules and the warnings with the same services as production."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import polars as pl
from django.db import connection, transaction
from django.utils import timezone

from industria.accounts.models import Department, District
from industria.core.bulk import insert_frame, read_frame, update_frame
from industria.core.changelog import bulk_change_record, suppress_row_logging
from industria.enterprises.models import IndustryGroup
from industria.projects.models import (
    Blocker,
    InvestmentReport,
    KeyProject,
    NodeTemplate,
    ProjectBaseline,
    ProjectEvent,
    ProjectListMembership,
    ProjectNode,
    ProjectSchedule,
    ProjectYearPlan,
    SupervisionOrder,
    SupervisionReply,
)
from industria.projects.selectors.rules import template_specs

from .generate import (
    BLOCKER_TEXT,
    DEMO_AS_OF,
    actual_dates,
    day_date,
    day_number,
    generate_facts,
    planned_schedule,
    template_offsets,
    with_dates,
    with_investors,
)


def delete_synthetic() -> None:
    """Remove the previous synthetic projects in set-based DELETEs (children first)."""
    q = connection.ops.quote_name
    project = q(KeyProject._meta.db_table)
    synthetic = f"(SELECT id FROM {project} WHERE synthetic)"
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {q(SupervisionReply._meta.db_table)} WHERE order_id IN "
            f"(SELECT id FROM {q(SupervisionOrder._meta.db_table)} WHERE project_id IN {synthetic})"
        )
        for model in (
            SupervisionOrder,
            Blocker,
            ProjectEvent,
            InvestmentReport,
            ProjectYearPlan,
            ProjectListMembership,
            ProjectBaseline,
            ProjectSchedule,
            ProjectNode,
        ):
            cursor.execute(f"DELETE FROM {q(model._meta.db_table)} WHERE project_id IN {synthetic}")
        cursor.execute(f"DELETE FROM {project} WHERE synthetic")


def _departments(districts: dict[str, int], names: dict[str, str]) -> dict[int, int]:
    """One project task force per district (the responsible unit of its projects)."""
    out = {}
    for code, district_id in districts.items():
        department, _created = Department.objects.get_or_create(
            name_zh=f"{names[code]}重大产业项目推进专班",
            district_id=district_id,
            defaults={"name_en": f"{code} key industrial projects task force (demo)"},
        )
        out[district_id] = department.pk
    return out


@transaction.atomic
def projects_demo_load(
    *,
    n_projects: int,
    seed: int,
    as_of: dt.date = DEMO_AS_OF,
    type_weights: dict[str, float] | None = None,
    pipeline_share: float = 0.15,
    progress: Any = None,
) -> dict[str, int]:
    """Replace the synthetic projects with ``n_projects`` freshly generated ones (see the package docstring).

    ``type_weights`` and ``pipeline_share`` change the mix (benchmarks); ``progress(message)`` reports steps.
    """
    from industria.projects.services import schedules_compute, warnings_evaluate
    from industria.projects.services.events import pipeline_changed

    say = progress or (lambda message: None)

    rng = np.random.default_rng(seed)
    districts = dict(District.objects.values_list("code", "pk"))
    district_names = dict(District.objects.values_list("code", "name_zh"))
    groups = {
        g.code: (g.pk, g.name_zh)
        for g in IndustryGroup.objects.filter(system__is_current=True, parent__isnull=True).exclude(
            code__startswith="trans-"
        )
    }
    templates = {t.code: t for t in NodeTemplate.objects.all()}
    specs = template_specs(list(templates.values()))
    offsets = template_offsets(specs)
    start_offsets = template_offsets(specs, "start")
    now = timezone.now()
    today = day_number(as_of)

    with suppress_row_logging():
        delete_synthetic()
        units = _departments(districts, district_names)
        facts = generate_facts(
            n_projects,
            rng,
            as_of,
            list(districts),
            list(groups),
            type_weights=type_weights,
            pipeline_share=pipeline_share,
        )
        facts = facts.with_columns(
            offset=pl.col("template_code").replace_strict(offsets, return_dtype=pl.Int64),
            # a January-2023 start was signed its template's signing→start days before
            signed_day=pl.when(pl.col("kind") == "start")
            .then(
                pl.col("signed_day")
                - pl.col("template_code").replace_strict(start_offsets, default=270, return_dtype=pl.Int64)
            )
            .otherwise(pl.col("signed_day")),
            district_id=pl.col("district_code").replace_strict(districts, return_dtype=pl.Int64),
            group_id=pl.col("group_code").replace_strict({c: v[0] for c, v in groups.items()}, return_dtype=pl.Int64),
            group_name=pl.col("group_code").replace_strict(
                {c: v[1] for c, v in groups.items()}, return_dtype=pl.String
            ),
        )
        facts = facts.with_columns(
            # the January-2023 starts: signed in H2 2022 on a plan that puts the start in January 2023
            target_day=pl.when(pl.col("signed_day") > 0).then(
                pl.col("signed_day") + pl.col("offset") + pl.col("slack")
            ),
            code=pl.format(
                "KP-{}-{}-{}",
                pl.when(pl.col("signed_day") > 0)
                .then((pl.col("signed_day") * 10000 // 3652425 + 1970).cast(pl.Int64))
                .otherwise(pl.lit(as_of.year)),
                pl.col("district_code"),
                (pl.col("i") + 1).cast(pl.String).str.zfill(5),
            ),
        )
        projects = with_investors(facts, rng)
        plan = planned_schedule(projects, specs)
        nodes, stages = actual_dates(projects, plan, today)
        projects = with_dates(projects.join(stages, on="i", how="left"), units, as_of, now)
        say(f"generated {projects.height:,} projects and {nodes.height:,} nodes")
        inserted = _insert_projects(projects)
        ids = dict(KeyProject.objects.filter(synthetic=True).values_list("code", "pk"))
        projects = projects.with_columns(project_id=pl.col("code").replace_strict(ids, return_dtype=pl.Int64))
        _insert_nodes(nodes.join(projects.select("i", "project_id"), on="i"), now)
        say("projects and nodes written")
    scheduled = schedules_compute(today=as_of)
    say(f"{scheduled:,} schedules computed")
    with suppress_row_logging():
        baselines = _baselines(projects, now, as_of)
        plans, reports = _investment(projects, now, today)
        memberships = _memberships(projects, now)
        blockers = _blockers(projects, rng, now, today)
        events = _events(projects, now)
    say(f"{reports:,} monthly reports, {events:,} events written")
    colours = warnings_evaluate(as_of=as_of)
    with suppress_row_logging():
        replies = _replies(now)
    counts = {
        "projects": inserted,
        "nodes": nodes.height,
        "scheduled": scheduled,
        "baselines": baselines,
        "year plans": plans,
        "monthly reports": reports,
        "list memberships": memberships,
        "blockers": blockers,
        "events": events,
        "supervision orders": colours["orders"],
        "replies": replies,
    }
    bulk_change_record(
        model=KeyProject,
        object_repr=f"synthetic projects ({n_projects}, seed {seed})",
        summary={"seed": seed, "as_of": as_of.isoformat(), **counts},
    )
    pipeline_changed()
    return counts


def _insert_projects(frame: pl.DataFrame) -> int:
    columns = [
        "code",
        "name_zh",
        "name_en",
        "investor_id",
        "investor_name",
        "investor_contact",
        "district_id",
        "park",
        "industry_group_id",
        "project_type",
        "total_investment_cny",
        "fixed_asset_investment_cny",
        "expected_output_cny",
        "expected_tax_cny",
        "existing_land",
        "responsible_unit_id",
        "stage",
        "held_stage",
        "lead_on",
        "negotiating_on",
        "signed_on",
        "filed_on",
        "land_acquired_on",
        "permitted_on",
        "started_on",
        "under_construction_on",
        "completed_on",
        "producing_on",
        "at_capacity_on",
        "stalled_on",
        "cancelled_on",
        "template_id",
        "target_node_code",
        "target_on",
        "warning_colour",
        "synthetic",
        "notes",
        "created_at",
        "updated_at",
    ]
    return insert_frame(KeyProject._meta.db_table, frame, columns)


def _insert_nodes(nodes: pl.DataFrame, now: Any) -> int:
    frame = nodes.select(
        "project_id",
        code="node_code",
        seq="seq",
        actual_start_on="actual_start_on",
        actual_finish_on="actual_finish_on",
        note=pl.lit(""),
        created_at=pl.lit(now),
        updated_at=pl.lit(now),
    )
    return insert_frame(ProjectNode._meta.db_table, frame)


def _baselines(projects: pl.DataFrame, now: Any, as_of: dt.date) -> int:
    """Baseline 1 (approved a month after signing) for 90 % of the scheduled projects; badly delayed ones are
    re-planned once (a new target, baseline 2 with its reason)."""
    schedules = read_frame(
        "SELECT s.project_id, s.template_code, s.template_version, s.target_on, s.planned "
        "FROM projects_projectschedule s JOIN projects_keyproject p ON p.id = s.project_id WHERE p.synthetic",
        [],
        {
            "project_id": pl.Int64,
            "template_code": pl.String,
            "template_version": pl.Int64,
            "target_on": pl.Date,
            "planned": pl.String,
        },
    )
    chosen = projects.filter(pl.col("baseline") & pl.col("target_day").is_not_null()).select(
        "project_id", "signed_day", "factor", "offset"
    )
    first = schedules.join(chosen, on="project_id").with_columns(
        approved_on=pl.min_horizontal((pl.col("signed_day") + 30).cast(pl.Date), pl.lit(as_of))
    )
    replanned = first.filter((pl.col("factor") > 1.35) & ((pl.col("signed_day") + 240) < day_number(as_of)))
    base = first.select(
        "project_id",
        number=pl.lit(1),
        approved_on="approved_on",
        reason=pl.lit(""),
        template_code="template_code",
        template_version="template_version",
        target_on="target_on",
        planned="planned",
        is_current=~pl.col("project_id").is_in(replanned["project_id"].implode()),
        created_at=pl.lit(now),
        updated_at=pl.lit(now),
    )
    count = insert_frame(ProjectBaseline._meta.db_table, base)
    if replanned.height:
        from industria.projects.services import schedules_compute

        shift = ((pl.col("factor") - 1) * pl.col("offset") / 30).round(0).cast(pl.Int64) * 30
        update_frame(
            KeyProject._meta.db_table,
            replanned.select(id="project_id", target_on=(pl.col("target_on") + pl.duration(days=shift))),
            key="id",
            columns=["target_on"],
        )
        schedules_compute(today=as_of, project_ids=replanned["project_id"].to_list())
        again = read_frame(
            "SELECT s.project_id, s.target_on, s.planned FROM projects_projectschedule s "
            "JOIN projects_keyproject p ON p.id = s.project_id WHERE p.synthetic",
            [],
            {"project_id": pl.Int64, "target_on": pl.Date, "planned": pl.String},
        ).join(replanned.select("project_id", "template_code", "template_version", "signed_day"), on="project_id")
        second = again.select(
            "project_id",
            number=pl.lit(2),
            approved_on=pl.min_horizontal((pl.col("signed_day") + 240).cast(pl.Date), pl.lit(as_of)),
            reason=pl.lit("开工延迟，调整投产目标（合成数据）"),
            template_code="template_code",
            template_version="template_version",
            target_on="target_on",
            planned="planned",
            is_current=pl.lit(True),
            created_at=pl.lit(now),
            updated_at=pl.lit(now),
        )
        count += insert_frame(ProjectBaseline._meta.db_table, second)
    return count


def _investment(projects: pl.DataFrame, now: Any, today: int) -> tuple[int, int]:
    """Yearly plans (the planned construction period) and monthly reports (the actual one, up to ``as_of``)."""
    sched = read_frame(
        "SELECT s.project_id, s.planned_started_on, s.planned_completed_on FROM projects_projectschedule s "
        "JOIN projects_keyproject p ON p.id = s.project_id WHERE p.synthetic",
        [],
        {"project_id": pl.Int64, "s0": pl.Date, "s1": pl.Date},
    )
    facts = projects.select(
        "project_id",
        "fixed_asset_investment_cny",
        "started_on",
        "completed_on",
        "cancelled_on",
        "stalled_on",
        "report_noise",
    ).join(sched, on="project_id")
    years = pl.DataFrame({"year": list(range(2022, 2029))})
    plan = (
        facts.filter(pl.col("s0").is_not_null() & pl.col("s1").is_not_null())
        .join(years, how="cross")
        .with_columns(
            a=pl.col("s0").cast(pl.Int64),
            b=pl.max_horizontal(pl.col("s1").cast(pl.Int64), pl.col("s0").cast(pl.Int64) + 1),
            y0=pl.date(pl.col("year"), 1, 1).cast(pl.Int64),
            y1=pl.date(pl.col("year") + 1, 1, 1).cast(pl.Int64),
        )
        .with_columns(
            share=(pl.min_horizontal("b", "y1") - pl.max_horizontal("a", "y0")).clip(lower_bound=0)
            / (pl.col("b") - pl.col("a"))
        )
        .filter(pl.col("share") > 0)
        .select(
            "project_id",
            "year",
            planned_investment_cny=(pl.col("fixed_asset_investment_cny") * pl.col("share") / 10_000).round(0) * 10_000,
            created_at=pl.lit(now),
            updated_at=pl.lit(now),
        )
    )
    plans = insert_frame(ProjectYearPlan._meta.db_table, plan)
    # monthly reports: from the start month to the completion (or stall/cancel, or as_of) month
    started = (
        facts.filter(pl.col("started_on").is_not_null())
        .with_columns(
            end=pl.min_horizontal(
                pl.coalesce("completed_on", pl.col("started_on") + pl.duration(days=730)),
                pl.coalesce("cancelled_on", pl.lit(day_date(today))),
                pl.coalesce("stalled_on", pl.lit(day_date(today))),
                pl.lit(day_date(today)),
            ),
        )
        .with_columns(
            m0=pl.col("started_on").dt.year() * 12 + pl.col("started_on").dt.month() - 1,
            m1=pl.col("end").dt.year() * 12 + pl.col("end").dt.month() - 1,
            full=pl.coalesce("completed_on", pl.col("started_on") + pl.duration(days=730)),
        )
        .with_columns(
            mfull=pl.col("full").dt.year() * 12 + pl.col("full").dt.month() - 1,
        )
        .with_columns(months=pl.int_ranges("m0", pl.max_horizontal("m1", "m0") + 1))
    )
    monthly = (
        started.explode("months")
        .with_columns(n=(pl.col("mfull") - pl.col("m0") + 1).clip(lower_bound=1))
        .with_columns(
            wobble=((pl.col("months") * 7919 + pl.col("project_id") * 104729) % 1000) / 1000 * 0.8 + 0.6,
        )
        .select(
            "project_id",
            year=(pl.col("months") // 12).cast(pl.Int64),
            month=(pl.col("months") % 12 + 1).cast(pl.Int64),
            completed_investment_cny=(
                pl.col("fixed_asset_investment_cny")
                / pl.col("n")
                * pl.col("wobble")
                * pl.col("report_noise").clip(0.9, 1.1)
                / 10_000
            ).round(0)
            * 10_000,
            reported_on=pl.date(
                pl.col("months") // 12 + (pl.col("months") % 12 + 1) // 12, (pl.col("months") % 12 + 1) % 12 + 1, 5
            ),
            note=pl.lit(""),
            synthetic=pl.lit(True),
            created_at=pl.lit(now),
            updated_at=pl.lit(now),
        )
        .with_columns(reported_on=pl.min_horizontal("reported_on", pl.lit(day_date(today))))
    )
    reports = insert_frame(InvestmentReport._meta.db_table, monthly)
    return plans, reports


def _memberships(projects: pl.DataFrame, now: Any) -> int:
    signed = projects.filter(pl.col("signed_on").is_not_null())
    top = signed.filter(pl.col("total_investment_cny") >= signed["total_investment_cny"].quantile(0.9))
    frames = [
        signed.select(
            "project_id", year=pl.col("signed_on").dt.year().cast(pl.Int64), list_kind=pl.lit("key_industrial")
        ),
        top.select(
            "project_id", year=pl.col("signed_on").dt.year().cast(pl.Int64) + 1, list_kind=pl.lit("municipal_major")
        ),
        signed.filter((pl.col("project_type") == "tech_transformation") & (pl.col("report_noise") < 0.85)).select(
            "project_id", year=pl.col("signed_on").dt.year().cast(pl.Int64), list_kind=pl.lit("tech_benchmark")
        ),
    ]
    frame = (
        pl.concat(frames)
        .unique(["project_id", "year", "list_kind"])
        .with_columns(created_at=pl.lit(now), updated_at=pl.lit(now))
    )
    return insert_frame(ProjectListMembership._meta.db_table, frame)


def _blockers(projects: pl.DataFrame, rng: np.random.Generator, now: Any, today: int) -> int:
    """15 % of the signed, active projects report a blocker, routed by the rule set; 60 % are resolved."""
    from industria.projects.selectors.rules import rules_active

    rules = rules_active(as_of=day_date(today))
    routes = {}
    for category, route in rules.blockers.items():
        department, _created = Department.objects.get_or_create(
            name_zh=route.department_zh, district=None, defaults={"name_en": route.department_en}
        )
        routes[category] = (department.pk, route.days)
    chosen = projects.filter(pl.col("signed_on").is_not_null() & (pl.col("blocker") < 0.15))
    raised = chosen.with_columns(
        raised_day=pl.min_horizontal(
            pl.col("signed_day") + 20 + (pl.col("blocker") * 3000).cast(pl.Int64), pl.lit(today - 5)
        ),
    ).with_columns(
        raised_on=pl.col("raised_day").cast(pl.Date),
        due_on=(
            pl.col("raised_day")
            + pl.col("blocker_kind").replace_strict({c: v[1] for c, v in routes.items()}, return_dtype=pl.Int64)
        ).cast(pl.Date),
        resolved=pl.col("blocker") < 0.09,
    )
    frame = raised.select(
        "project_id",
        category="blocker_kind",
        description=pl.col("blocker_kind").replace_strict(BLOCKER_TEXT, return_dtype=pl.String),
        department_id=pl.col("blocker_kind").replace_strict(
            {c: v[0] for c, v in routes.items()}, return_dtype=pl.Int64
        ),
        raised_on="raised_on",
        due_on="due_on",
        status=pl.when(pl.col("resolved")).then(pl.lit("resolved")).otherwise(pl.lit("open")),
        resolved_on=pl.when(pl.col("resolved")).then(
            pl.min_horizontal(pl.col("due_on") - pl.duration(days=3), pl.lit(day_date(today)))
        ),
        resolution=pl.when(pl.col("resolved")).then(pl.lit("已协调解决（合成数据）")).otherwise(pl.lit("")),
        created_at=pl.lit(now),
        updated_at=pl.lit(now),
    ).with_columns(resolved_on=pl.max_horizontal("resolved_on", "raised_on"))
    del rng
    return insert_frame(Blocker._meta.db_table, frame)


def _events(projects: pl.DataFrame, now: Any) -> int:
    """The history: registration and each stage reached (and stall/cancel)."""
    columns = [
        "lead_on",
        "negotiating_on",
        "signed_on",
        "filed_on",
        "land_acquired_on",
        "permitted_on",
        "started_on",
        "under_construction_on",
        "completed_on",
        "producing_on",
        "at_capacity_on",
        "stalled_on",
        "cancelled_on",
    ]
    present = [c for c in columns if c in projects.columns]
    long = projects.select("project_id", *present).unpivot(
        index="project_id", variable_name="field", value_name="occurred_on"
    )
    long = long.filter(pl.col("occurred_on").is_not_null()).with_columns(
        stage=pl.col("field").str.slice(0, None).str.replace("_on$", "")
    )
    frame = long.select(
        "project_id",
        type=pl.when(pl.col("stage") == "lead")
        .then(pl.lit("created"))
        .when(pl.col("stage") == "stalled")
        .then(pl.lit("stalled"))
        .when(pl.col("stage") == "cancelled")
        .then(pl.lit("cancelled"))
        .otherwise(pl.lit("stage_advanced")),
        occurred_on="occurred_on",
        parameters=pl.struct(pl.col("stage").alias("to"), pl.lit(True).alias("synthetic")).struct.json_encode(),
        created_at=pl.lit(now),
        updated_at=pl.lit(now),
    )
    return insert_frame(ProjectEvent._meta.db_table, frame)


def _replies(now: Any) -> int:
    """Half of the open synthetic supervision orders are answered by their unit."""
    orders = list(
        SupervisionOrder.objects.filter(project__synthetic=True, status="open")
        .order_by("number")
        .values_list("pk", "raised_on")
    )
    answered = orders[::2]
    if not answered:
        return 0
    frame = pl.DataFrame(
        {
            "order_id": [pk for pk, _ in answered],
            "replied_on": [raised for _, raised in answered],
            "text": ["已召开专题协调会，明确节点追赶计划（合成数据）"] * len(answered),
        },
        schema={"order_id": pl.Int64, "replied_on": pl.Date, "text": pl.String},
    ).with_columns(created_at=pl.lit(now), updated_at=pl.lit(now))
    insert_frame(SupervisionReply._meta.db_table, frame)
    SupervisionOrder.objects.filter(pk__in=[pk for pk, _ in answered]).update(status="replied")
    return len(answered)
