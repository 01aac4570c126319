"""The project-pipeline input of the forecast: a hook that later capabilities (key projects) feed.

The plan app sits below ``projects`` in the layering, so it cannot import it. Instead, a higher app registers
a provider once, in its ``AppConfig.ready()``::

    from industria.plan.pipeline import register_pipeline_provider

    def key_project_contributions(*, plan_code, indicator_codes, as_of):
        # expected investment and output of projects weighted by stage, as increments of plan indicators
        return pl.DataFrame({"indicator_code": [...], "year": [...], "value_increment": [...]})

    register_pipeline_provider("projects", key_project_contributions)

A provider returns a Polars frame with ``indicator_code`` (String), ``year`` (Int64) and ``value_increment``
(Float64, in the indicator's unit, already probability-weighted, only what the trend cannot know). It must use
only information available on ``as_of`` (the "as of" dashboard replays the past). When its data change it
should call ``industria.plan.services.plan_touch(plan=…)`` so that cached forecasts are recomputed (otherwise
they refresh within ``PROGRESS_CACHE_TTL_S``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

import polars as pl

PIPELINE_SCHEMA = {"indicator_code": pl.String, "year": pl.Int64, "value_increment": pl.Float64}

PipelineProvider = Callable[..., pl.DataFrame]
_providers: dict[str, PipelineProvider] = {}


def register_pipeline_provider(name: str, provider: PipelineProvider) -> None:
    """Register (or replace) a named provider of pipeline contributions."""
    _providers[name] = provider


def unregister_pipeline_provider(name: str) -> None:
    _providers.pop(name, None)


def pipeline_contribution_set(
    *, plan_code: str, as_of: dt.date, indicator_codes: Iterable[str] | None = None
) -> pl.DataFrame:
    """Expected pipeline increments per indicator and year from every provider, summed (empty when none)."""
    codes = None if indicator_codes is None else set(indicator_codes)
    frames = []
    for name, provider in sorted(_providers.items()):
        frame = provider(plan_code=plan_code, indicator_codes=codes, as_of=as_of)
        missing = set(PIPELINE_SCHEMA) - set(frame.columns)
        if missing:
            raise ValueError(f"pipeline provider {name!r}: missing columns {sorted(missing)}")
        frames.append(frame.select([pl.col(c).cast(t) for c, t in PIPELINE_SCHEMA.items()]))
    if not frames:
        return pl.DataFrame(schema=PIPELINE_SCHEMA)
    out = pl.concat(frames)
    if codes is not None:
        out = out.filter(pl.col("indicator_code").is_in(sorted(codes)))
    return out.group_by("indicator_code", "year").agg(pl.col("value_increment").sum()).sort("indicator_code", "year")
