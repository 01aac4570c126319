"""The monitoring rule set as data: warning thresholds, supervision, blocker routing, ranking, forecast priors.

``parse_monitoring_rules(raw)`` validates the ``parameters`` mapping of ``fixtures/reference/projects/rules.yaml``
(or of a ``ProjectRuleSet`` row) and fails loudly with the field path.  Every value keeps its evidence tag
(S/M/U) and source so the UI can label uncertain values.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .templates import CONFIDENCE_TAGS

ORDERED_STAGES = (
    "lead",
    "negotiating",
    "signed",
    "filed",
    "land_acquired",
    "permitted",
    "started",
    "under_construction",
    "completed",
    "producing",
    "at_capacity",
)
SIDE_STAGES = ("stalled", "cancelled")
BLOCKER_CATEGORIES = ("land", "planning", "environment", "power", "financing", "other")
INCREMENT_BASES = ("all", "not_started", "not_producing")


class RulesError(ValueError):
    """The rule set is malformed: the message names the field path."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path


@dataclass(frozen=True)
class Tagged:
    """A rule value with its evidence tag and source."""

    value: Any
    confidence: str = "U"
    source: str = ""

    @property
    def uncertain(self) -> bool:
        return self.confidence == "U"


@dataclass(frozen=True)
class WarningRules:
    """Colours of nodes and projects (boundaries: 以内 includes N; overdue = more than G days past)."""

    yellow_within_days: Tagged
    red_after_days: Tagged
    unmonitored_stages: Tagged
    supervision_red_days: Tagged
    supervision_reply_days: Tagged


@dataclass(frozen=True)
class BlockerRoute:
    category: str
    department_zh: str
    department_en: str
    days: int
    confidence: str
    source: str


@dataclass(frozen=True)
class StepPrior:
    stage: str
    rate: float
    days: int
    confidence: str
    source: str


@dataclass(frozen=True)
class IndicatorLink:
    measure: str  # investment | output
    code: str
    unit_divisor: float
    increment: str
    confidence: str
    source: str


@dataclass(frozen=True)
class ForecastRules:
    min_observations: Tagged
    stale_factor: Tagged
    priors: dict[str, StepPrior]
    indicators: dict[str, IndicatorLink]
    overrides: dict[str, dict[str, float]] = field(default_factory=dict)


@dataclass(frozen=True)
class MonitoringRules:
    warnings: WarningRules
    blockers: dict[str, BlockerRoute]
    ranking_yellow_points: Tagged
    forecast: ForecastRules

    def tagged_values(self) -> list[tuple[str, Tagged]]:
        """(path, value) of every threshold, for the rules page (uncertain ones are labelled there)."""
        w = self.warnings
        return [
            ("warnings.yellow_within_days", w.yellow_within_days),
            ("warnings.red_after_days", w.red_after_days),
            ("supervision.red_days_before_order", w.supervision_red_days),
            ("supervision.reply_days", w.supervision_reply_days),
            ("ranking.yellow_points", self.ranking_yellow_points),
            ("forecast.min_observations", self.forecast.min_observations),
            ("forecast.stale_factor", self.forecast.stale_factor),
        ]


def _tagged(raw: Any, path: str, kind: type | tuple[type, ...], *, minimum: float | None = None) -> Tagged:
    if not isinstance(raw, Mapping) or "value" not in raw:
        raise RulesError(path, "expected {value, confidence, source}")
    value = raw["value"]
    if isinstance(value, bool) or not isinstance(value, kind):
        raise RulesError(f"{path}.value", f"expected {getattr(kind, '__name__', kind)}, got {value!r}")
    if minimum is not None and value < minimum:
        raise RulesError(f"{path}.value", f"must be at least {minimum}, got {value}")
    return Tagged(value, _confidence(raw, path), str(raw.get("source") or ""))


def _confidence(raw: Mapping[str, Any], path: str) -> str:
    tag = str(raw.get("confidence") or "U")
    if tag not in CONFIDENCE_TAGS:
        raise RulesError(f"{path}.confidence", f"must be one of {', '.join(CONFIDENCE_TAGS)}, got {tag!r}")
    return tag


def _section(raw: Mapping[str, Any], key: str, path: str = "") -> Mapping[str, Any]:
    value = raw.get(key)
    if not isinstance(value, Mapping):
        raise RulesError(f"{path}{key}", "missing section")
    return value


def parse_monitoring_rules(raw: Mapping[str, Any]) -> MonitoringRules:
    """Validate the parameters of a monitoring rule set (see fixtures/reference/projects/rules.yaml)."""
    w, s = _section(raw, "warnings"), _section(raw, "supervision")
    unmonitored = _tagged(w.get("unmonitored_stages"), "warnings.unmonitored_stages", list)
    unknown = set(unmonitored.value) - set(ORDERED_STAGES) - set(SIDE_STAGES)
    if unknown:
        raise RulesError("warnings.unmonitored_stages.value", f"unknown stages {sorted(unknown)}")
    warnings = WarningRules(
        yellow_within_days=_tagged(w.get("yellow_within_days"), "warnings.yellow_within_days", int, minimum=0),
        red_after_days=_tagged(w.get("red_after_days"), "warnings.red_after_days", int, minimum=0),
        unmonitored_stages=unmonitored,
        supervision_red_days=_tagged(
            s.get("red_days_before_order"), "supervision.red_days_before_order", int, minimum=0
        ),
        supervision_reply_days=_tagged(s.get("reply_days"), "supervision.reply_days", int, minimum=1),
    )
    blockers: dict[str, BlockerRoute] = {}
    for category, route in _section(raw, "blockers").items():
        path = f"blockers.{category}"
        if category not in BLOCKER_CATEGORIES:
            raise RulesError(path, f"unknown category; expected one of {', '.join(BLOCKER_CATEGORIES)}")
        if not isinstance(route, Mapping) or not route.get("department_zh"):
            raise RulesError(path, "expected {department_zh, department_en, days}")
        days = route.get("days")
        if isinstance(days, bool) or not isinstance(days, int) or days < 1:
            raise RulesError(f"{path}.days", f"expected a positive whole number, got {days!r}")
        blockers[category] = BlockerRoute(
            category,
            str(route["department_zh"]),
            str(route.get("department_en") or ""),
            days,
            _confidence(route, path),
            str(route.get("source") or ""),
        )
    missing = set(BLOCKER_CATEGORIES) - set(blockers)
    if missing:
        raise RulesError("blockers", f"no route for {sorted(missing)}")
    ranking = _section(raw, "ranking")
    f = _section(raw, "forecast")
    priors: dict[str, StepPrior] = {}
    for stage, prior in _section(f, "priors", "forecast.").items():
        path = f"forecast.priors.{stage}"
        if stage not in ORDERED_STAGES[:-1]:
            raise RulesError(path, "not a stage with a next stage")
        rate, days = prior.get("rate"), prior.get("days")
        if not isinstance(rate, int | float) or isinstance(rate, bool) or not 0 <= rate <= 1:
            raise RulesError(f"{path}.rate", f"expected a share between 0 and 1, got {rate!r}")
        if isinstance(days, bool) or not isinstance(days, int) or days < 0:
            raise RulesError(f"{path}.days", f"expected a whole number of days, got {days!r}")
        priors[stage] = StepPrior(stage, float(rate), days, _confidence(prior, path), str(prior.get("source") or ""))
    missing = set(ORDERED_STAGES[:-1]) - set(priors)
    if missing:
        raise RulesError("forecast.priors", f"no prior for {sorted(missing)}")
    indicators: dict[str, IndicatorLink] = {}
    for measure, link in _section(f, "indicators", "forecast.").items():
        path = f"forecast.indicators.{measure}"
        if measure not in ("investment", "output"):
            raise RulesError(path, "expected investment or output")
        if link.get("increment", "all") not in INCREMENT_BASES:
            raise RulesError(f"{path}.increment", f"expected one of {', '.join(INCREMENT_BASES)}")
        divisor = link.get("unit_divisor", 1)
        if not isinstance(divisor, int | float) or divisor <= 0:
            raise RulesError(f"{path}.unit_divisor", "expected a positive number")
        indicators[measure] = IndicatorLink(
            measure,
            str(link.get("code") or ""),
            float(divisor),
            str(link.get("increment", "all")),
            _confidence(link, path),
            str(link.get("source") or ""),
        )
    overrides = {str(k): dict(v) for k, v in (f.get("overrides") or {}).items()}
    for stage, values in overrides.items():
        if stage not in priors:
            raise RulesError(f"forecast.overrides.{stage}", "unknown stage")
        if set(values) - {"rate", "days"}:
            raise RulesError(f"forecast.overrides.{stage}", "only rate and days may be overridden")
    forecast = ForecastRules(
        min_observations=_tagged(f.get("min_observations"), "forecast.min_observations", int, minimum=1),
        stale_factor=_tagged(f.get("stale_factor"), "forecast.stale_factor", (int, float), minimum=1),
        priors=priors,
        indicators=indicators,
        overrides=overrides,
    )
    return MonitoringRules(
        warnings=warnings,
        blockers=blockers,
        ranking_yellow_points=_tagged(ranking.get("yellow_points"), "ranking.yellow_points", (int, float), minimum=0),
        forecast=forecast,
    )
