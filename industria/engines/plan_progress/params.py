"""Versionable parameters of the forecast, parsed from data and validated loudly."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields

from industria.engines.plan_progress.schema import STATUSES, VALUE_KINDS, PlanProgressSchemaError


@dataclass(frozen=True)
class ForecastParams:
    """Versionable forecasting parameters; defaults are the ones documented and backtested."""

    interval_level: float = 0.8
    break_years: tuple[int, ...] = (2020, 2022)
    break_weight: float = 0.0
    exclude_rebound_years_for_rates: bool = True
    status_weights: tuple[tuple[str, float], ...] = (
        ("published", 1.0),
        ("preliminary", 1.0),
        ("estimated", 0.5),
        ("synthetic", 1.0),
    )
    recency_halflife_years: float | None = 5.0
    max_history_years: int = 12
    residual_persistence: float = 0.5
    trend_damping: float = 1.0
    sigma_floor: tuple[tuple[str, float], ...] = (("level", 0.01), ("count", 0.01), ("ratio", 0.02), ("rate", 0.5))
    prior_sigma: tuple[tuple[str, float], ...] = (("level", 0.05), ("count", 0.10), ("ratio", 0.10), ("rate", 3.0))
    ratio_clip_pct: float = 0.1
    default_value_kind: str = "level"
    significant_digits: int = 10

    def __post_init__(self) -> None:
        problems = []
        if not 0.0 < self.interval_level < 1.0:
            problems.append("interval_level: must lie in (0, 1)")
        if not 0.0 <= self.residual_persistence <= 1.0:
            problems.append("residual_persistence: must lie in [0, 1]")
        if not 0.0 <= self.break_weight <= 1.0:
            problems.append("break_weight: must lie in [0, 1]")
        if not 0.0 < self.trend_damping <= 1.0:
            problems.append("trend_damping: must lie in (0, 1]")
        if self.recency_halflife_years is not None and self.recency_halflife_years <= 0:
            problems.append("recency_halflife_years: must be positive or null")
        if not 1 <= self.significant_digits <= 15:
            problems.append("significant_digits: must lie in [1, 15]")
        if self.max_history_years < 1:
            problems.append("max_history_years: must be at least 1")
        if not 0.0 < self.ratio_clip_pct < 50.0:
            problems.append("ratio_clip_pct: must lie in (0, 50)")
        if self.default_value_kind not in VALUE_KINDS:
            problems.append(f"default_value_kind: {self.default_value_kind!r} not in {list(VALUE_KINDS)}")
        if sorted(k for k, _ in self.status_weights) != sorted(STATUSES):
            problems.append(f"status_weights: needs exactly the statuses {list(STATUSES)}")
        if any(w < 0 for _, w in self.status_weights):
            problems.append("status_weights: weights must be non-negative")
        for name in ("sigma_floor", "prior_sigma"):
            pairs = getattr(self, name)
            if sorted(k for k, _ in pairs) != sorted(VALUE_KINDS) or any(v <= 0 for _, v in pairs):
                problems.append(f"{name}: needs a positive value for each of {list(VALUE_KINDS)}")
        if problems:
            raise PlanProgressSchemaError("; ".join(f"forecast_params.{p}" for p in problems))

    def as_dict(self) -> dict[str, object]:
        """Plain mapping for explanations and persistence (pairs become dicts)."""
        out: dict[str, object] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            is_pairs = isinstance(value, tuple) and value and isinstance(value[0], tuple)
            out[f.name] = dict(value) if is_pairs else (list(value) if isinstance(value, tuple) else value)
        return out


def parse_forecast_params(raw: Mapping[str, object]) -> ForecastParams:
    """Build ``ForecastParams`` from data (YAML/JSON); mappings become pairs; unknown keys fail loudly."""
    known = {f.name for f in fields(ForecastParams)}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise PlanProgressSchemaError(f"forecast_params: unknown keys {unknown}")
    kwargs: dict[str, object] = {}
    for key, value in raw.items():
        if isinstance(value, Mapping):
            kwargs[key] = tuple((str(k), float(v)) for k, v in value.items())
        elif isinstance(value, list):
            kwargs[key] = tuple(value)
        else:
            kwargs[key] = value
    try:
        return ForecastParams(**kwargs)  # type: ignore[arg-type]
    except TypeError as exc:
        raise PlanProgressSchemaError(f"forecast_params: {exc}") from exc
