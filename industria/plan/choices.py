"""Choices of the plan app (values match the plan YAML schema and the plan-progress engine)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Unit(models.TextChoices):
    """Unit of an indicator's values; every value, target and baseline of the indicator is in this unit."""

    CNY_100M = "CNY_100M", _("CNY 100 million")
    PCT = "pct", _("%")
    PCT_PER_YEAR = "pct_per_year", _("% per year")
    CNY_10K_PER_PERSON = "CNY_10K_per_person", _("CNY 10,000 per person")
    UNITS_PER_10K_WORKERS = "units_per_10k_workers", _("units per 10,000 workers")
    TCE_PER_CNY_10K = "tce_per_CNY_10K", _("tce per CNY 10,000")
    COUNT = "count", _("count")
    M2 = "m2", _("m²")


class Direction(models.TextChoices):
    HIGHER_IS_BETTER = "higher_is_better", _("Higher is better")
    LOWER_IS_BETTER = "lower_is_better", _("Lower is better")


class TargetKind(models.TextChoices):
    """How the target is read (engine ``target_kind``); ``context`` series carry no target."""

    LEVEL = "level", pgettext_lazy("target kind", "Level")
    RATIO = "ratio", _("Ratio")
    GROWTH_RATE = "growth_rate", _("Average annual growth rate")
    COUNT = "count", _("Count")
    DIRECTION_ONLY = "direction_only", _("Direction only")
    ASPIRATIONAL = "aspirational", _("Aspirational (strive for)")
    CONTEXT = "context", _("Context series (no target)")


class ValueKind(models.TextChoices):
    """How the series behaves, for the forecast (engine ``value_kind``)."""

    LEVEL = "level", _("Level (positive amount)")
    COUNT = "count", _("Count")
    RATIO = "ratio", _("Share (0-100 %)")
    RATE = "rate", _("Year-on-year rate (%)")


class Measure(models.TextChoices):
    STOCK = "stock", _("Stock at a date")
    ANNUAL = "annual", _("Flow of one year")
    CUMULATIVE = "cumulative", _("Cumulative since a year")


class Cadence(models.TextChoices):
    """How often a manually updated indicator or a task must be updated."""

    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    YEARLY = "yearly", _("Yearly")


class Comparator(models.TextChoices):
    """The wording of a target: 超过 (more than), 达/以上 (at least), 左右/约 (about), 持续下降 (keeps falling)."""

    GT = "gt", _("more than")
    GTE = "gte", _("at least")
    ABOUT = "about", _("about")
    DECREASING = "decreasing", _("keeps falling")


class ActualStatus(models.TextChoices):
    PUBLISHED = "published", _("Published")
    PRELIMINARY = "preliminary", _("Preliminary")
    ESTIMATED = "estimated", _("Estimated")
    SYNTHETIC = "synthetic", _("Synthetic")


class PeriodType(models.TextChoices):
    """What ``period`` (always the last day of the period) stands for."""

    YEAR = "year", _("Year")
    QUARTER = "quarter", _("Quarter")
    MONTH = "month", _("Month")
    YTD = "ytd", _("Year to date")
    POINT = "point", _("Point in time")


class Vintage(models.TextChoices):
    FIRST_RELEASE = "first_release", _("First release")
    REVISED = "revised", _("Revised")
    CENSUS_REVISED = "census_revised", _("Census-revised")


class Qualifier(models.TextChoices):
    EXACT = "", _("exact")
    APPROX = "approx", _("about")
    GT = "gt", _("more than")
    LT = "lt", _("less than")


class SeriesKind(models.TextChoices):
    """An actual is the indicator's value, or its year-on-year growth (kept apart, never mixed with levels)."""

    VALUE = "value", _("Value")
    YOY_PCT = "yoy_pct", _("Year-on-year growth (%)")


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    DELAYED = "delayed", _("Delayed")
    COMPLETED = "completed", pgettext_lazy("task status", "Completed")


class RagStatus(models.TextChoices):
    """Engine status of an indicator (not stored: computed on every read)."""

    GREEN = "green", _("On track")
    AMBER = "amber", _("At risk")
    RED = "red", _("Off track")


QUALIFIER_SYMBOLS = {"": "", "approx": "≈", "gt": ">", "lt": "<"}
COMPARATOR_SYMBOLS = {"gt": ">", "gte": "≥", "about": "≈", "decreasing": "↓"}
YAML_COMPARATORS = {">": "gt", ">=": "gte", "~": "about", "decreasing": "decreasing"}
YAML_QUALIFIERS = {None: "", "≈": "approx", ">": "gt", "<": "lt"}
VINTAGE_RANK = {"first_release": 1, "revised": 2, "census_revised": 3}
