"""Evaluation programmes: versioned rule sets, rounds over the registry, their results, objections, grades.

* ``RuleSet`` — a programme's rules as data (the YAML content in ``parameters``), versioned; an active or retired
  rule set is immutable (an edit makes a new draft version).
* ``EvaluationRound`` — one programme, one rule-set version, one year, one population; draft → running →
  evaluated → window (objections) → published.
* ``Assessment`` — one enterprise's result in a round: the outcome columns for lists and filters, plus the facts
  used and the result row.  A round's facts and results are also kept column-wise (``ResultArchive``, Parquet)
  so that 500,000 results are stored in seconds; the JSON of a row comes from the archive unless the row was
  re-run (an accepted objection), in which case it is on the row itself.
* ``Application`` — facts an enterprise declared for a round (the spreadsheet template), joined to the registry.
* ``Objection`` — filed by an enterprise in the publication window, resolved by the programme manager.
* ``LandEfficiencyGrade`` — the published per-mu grade of an enterprise-year (coloured on the industrial map).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from industria.core.exceptions import DomainError
from industria.core.models import ChangeLoggedModel
from industria.core.permissions import ScopedQuerySet


class Programme(models.TextChoices):
    """Programmes of ``engines.registry.PROGRAMMES``."""

    SME_INNOVATIVE = "sme_innovative", _("Innovative SME")
    SME_SRDI = "sme_srdi", _("SRDI SME")
    SME_LITTLE_GIANT = "sme_little_giant", _("Little giant")
    LAND_EFFICIENCY = "land_efficiency", _("Per-mu land efficiency")


#: programme → the registry tier kind it grants on publication (land efficiency grants none)
PROGRAMME_TIER = {
    Programme.SME_INNOVATIVE: "innovative_sme",
    Programme.SME_SRDI: "srdi_sme",
    Programme.SME_LITTLE_GIANT: "little_giant",
}


class RuleSetStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active")
    RETIRED = "retired", _("Retired")


class SourceTag(models.TextChoices):
    """Evidence tags (domain rules §0)."""

    S = "S", _("Confirmed in a public source")
    M = "M", _("From memory")
    U = "U", _("Uncertain")


class RoundStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    RUNNING = "running", _("Running")
    EVALUATED = "evaluated", _("Evaluated")
    WINDOW = "window", _("Publication window")
    PUBLISHED = "published", _("Published")


class ObjectionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class RuleSetImmutable(DomainError):
    code = "ruleset_immutable"
    default_message = _("An active or retired rule set cannot be changed: edit a new version instead.")
    http_status = 409


class RuleSet(ChangeLoggedModel):
    """A versioned rule set of a programme; ``parameters`` is the rule-set document (YAML content as JSON)."""

    code = models.CharField(_("code"), max_length=64, help_text=_("Lower-case letters, digits and hyphens."))
    version = models.CharField(_("version"), max_length=32)
    programme = models.CharField(_("programme"), max_length=32, choices=Programme.choices)
    engine = models.CharField(_("engine"), max_length=32)
    title_zh = models.CharField(_("title (Chinese)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=RuleSetStatus.choices, default=RuleSetStatus.DRAFT)
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective to"), null=True, blank=True)
    document_no = models.CharField(_("document number"), max_length=200, blank=True)
    source_tag = models.CharField(_("confidence"), max_length=1, choices=SourceTag.choices, default=SourceTag.S)
    source_note = models.TextField(_("source"), blank=True)
    parameters = models.JSONField(_("parameters"), encoder=DjangoJSONEncoder)
    builtin = models.BooleanField(_("built in"), default=False, help_text=_("Loaded from fixtures/reference/rulesets."))
    based_on = models.ForeignKey(
        "self",
        verbose_name=_("based on"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="derived",
    )

    scope_shared = True

    class Meta:
        ordering = ("programme", "code", "-effective_from", "-created_at")
        verbose_name = _("rule set")
        verbose_name_plural = _("rule sets")
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="%(app_label)s_%(class)s_unique_version"),
            models.UniqueConstraint(
                fields=["code"],
                condition=models.Q(status="active"),
                name="%(app_label)s_%(class)s_one_active_per_code",
            ),
            models.CheckConstraint(
                condition=models.Q(effective_to__isnull=True) | models.Q(effective_to__gte=models.F("effective_from")),
                name="%(app_label)s_%(class)s_effective_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.version}"

    @property
    def title(self) -> str:
        if (get_language() or "").startswith("en"):
            return self.title_en or self.title_zh or self.code
        return self.title_zh or self.title_en or self.code

    def get_absolute_url(self) -> str:
        return reverse("evaluations:ruleset_detail", args=[self.pk])

    @property
    def is_draft(self) -> bool:
        return self.status == RuleSetStatus.DRAFT

    def save(self, *args: Any, **kwargs: Any) -> None:
        before = self.audit_before()
        if self.pk and before and before.get("status") != RuleSetStatus.DRAFT:
            frozen = ("parameters", "code", "version", "programme", "engine", "effective_from", "effective_to")
            if any(before.get(f) != _jsonish(getattr(self, f)) for f in frozen):
                raise RuleSetImmutable()
        super().save(*args, **kwargs)


def _jsonish(value: Any) -> Any:
    import json

    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


class EvaluationRound(ChangeLoggedModel):
    """One evaluation of a programme's population for a year under one rule-set version."""

    name = models.CharField(_("name"), max_length=200)
    programme = models.CharField(_("programme"), max_length=32, choices=Programme.choices)
    ruleset = models.ForeignKey(RuleSet, verbose_name=_("rule set"), on_delete=models.PROTECT, related_name="rounds")
    year = models.PositiveSmallIntegerField(_("year"), help_text=_("The facts year evaluated."))
    district = models.ForeignKey(
        "accounts.District",
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty: the whole city."),
    )
    above_size_only = models.BooleanField(_("above designated size only"), default=False)
    use_applications = models.BooleanField(
        _("applicants only"),
        default=False,
        help_text=_("Evaluate only the enterprises with uploaded application facts (SME tiers)."),
    )
    status = models.CharField(_("status"), max_length=12, choices=RoundStatus.choices, default=RoundStatus.DRAFT)
    as_of = models.DateField(_("as of"), help_text=_("The day the rules must be in force; tiers are granted on it."))
    window_opens_on = models.DateField(_("window opens on"), null=True, blank=True)
    window_closes_on = models.DateField(_("window closes on"), null=True, blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    engine_version = models.CharField(_("engine version"), max_length=20, blank=True)
    job = models.ForeignKey(
        "core.Job", verbose_name=_("job"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    summary = models.JSONField(_("summary"), null=True, blank=True, encoder=DjangoJSONEncoder)
    archive_parts = models.PositiveIntegerField(_("archive parts"), default=0)
    synthetic = models.BooleanField(_("synthetic"), default=False)

    scope_district_path = "district"

    class Meta:
        ordering = ("-year", "-created_at", "-id")
        verbose_name = _("evaluation round")
        verbose_name_plural = _("evaluation rounds")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(window_closes_on__isnull=True)
                | models.Q(window_opens_on__isnull=True)
                | models.Q(window_closes_on__gte=models.F("window_opens_on")),
                name="%(app_label)s_%(class)s_window_order",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("evaluations:round_detail", args=[self.pk])

    @property
    def is_graded(self) -> bool:
        return self.programme == Programme.LAND_EFFICIENCY

    @property
    def has_results(self) -> bool:
        return self.status in (RoundStatus.EVALUATED, RoundStatus.WINDOW, RoundStatus.PUBLISHED)


#: round statuses whose results an enterprise user may see (its own rows only)
VISIBLE_TO_ENTERPRISES = (RoundStatus.WINDOW, RoundStatus.PUBLISHED)


class AssessmentQuerySet(ScopedQuerySet):
    """Enterprise users see their own results, and only once the round's publication window has opened."""

    def for_user(self, user: Any, action: str = "view") -> ScopedQuerySet:
        rows = super().for_user(user, action)
        enterprise_scope = getattr(user, "scope", "city") == "enterprise" and not getattr(user, "is_superuser", False)
        if getattr(user, "is_authenticated", False) and enterprise_scope:
            rows = rows.filter(round__status__in=VISIBLE_TO_ENTERPRISES)
        return rows


class Assessment(models.Model):
    """One enterprise's result in a round (written in bulk; the round's bulk audit entry covers it).

    ``facts``/``result`` are filled for rows re-run one by one (accepted objections); bulk rows read theirs from
    the round's archive (``selectors.assessment_detail``).
    """

    # Bulk-written derived rows: the writing service guarantees the references, so the database keeps no
    # per-row foreign-key triggers (500,000 deferred checks per round) and the demo loader may replace the
    # synthetic enterprises set-based; the ORM still cascades deletes.
    round = models.ForeignKey(
        EvaluationRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="assessments",
        db_index=False, db_constraint=False,
    )  # fmt: skip
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("enterprise"), on_delete=models.CASCADE, related_name="assessments",
        db_constraint=False, db_index=False,
    )  # fmt: skip
    ruleset = models.ForeignKey(
        RuleSet, verbose_name=_("rule set"), on_delete=models.PROTECT, related_name="+", db_index=False,
        db_constraint=False,
    )  # fmt: skip
    engine_version = models.CharField(_("engine version"), max_length=20)
    segment = models.CharField(_("size class"), max_length=16, blank=True)
    total_points = models.DecimalField(_("total points"), max_digits=12, decimal_places=2, null=True, blank=True)
    grade = models.CharField(_("grade"), max_length=12, blank=True)
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    route = models.CharField(_("route"), max_length=8, blank=True)
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    rank_population = models.PositiveIntegerField(_("ranked among"), null=True, blank=True)
    facts = models.JSONField(_("facts used"), null=True, blank=True, encoder=DjangoJSONEncoder)
    result = models.JSONField(_("result"), null=True, blank=True, encoder=DjangoJSONEncoder)
    corrected = models.BooleanField(_("corrected"), default=False, help_text=_("Re-run after an accepted objection."))

    objects = AssessmentQuerySet.as_manager()
    scope_district_path = "enterprise__district"
    scope_enterprise_path = "enterprise"

    class Meta:
        ordering = ("round", "rank", "enterprise")
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        # Two B-trees per row, not three: a round writes ~450,000 rows at once, and each index costs WAL and time
        # (docs/benchmarks_evaluations.md). (enterprise, round) is unique and serves an enterprise's history; a
        # round's rows are found through the block-range index of migration 0004 (rows of a round are written
        # together, so they sit in adjacent blocks) — a plain B-tree on SQLite.
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "round"], name="%(app_label)s_%(class)s_unique_round")
        ]

    def __str__(self) -> str:
        return f"{self.round} · {self.enterprise}"

    def get_absolute_url(self) -> str:
        return reverse("evaluations:assessment_detail", args=[self.pk])

    @property
    def outcome(self) -> str:
        """Grade, or passed/failed, as a stable code."""
        if self.grade:
            return self.grade
        if self.passed is None:
            return ""
        return "passed" if self.passed else "failed"


class ResultArchive(models.Model):
    """One part of a round's facts and results, column-wise (Parquet, zstd): the exact record of the run.

    Rows are split by ``enterprise_id % round.archive_parts`` so one enterprise's row is read from one part.
    """

    round = models.ForeignKey(EvaluationRound, on_delete=models.CASCADE, related_name="archives")
    part = models.PositiveIntegerField()
    rows = models.PositiveIntegerField()
    facts_parquet = models.BinaryField()
    results_parquet = models.BinaryField()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ("round", "part")
        verbose_name = _("result archive")
        verbose_name_plural = _("result archives")
        constraints = [models.UniqueConstraint(fields=["round", "part"], name="%(app_label)s_%(class)s_unique_part")]

    def __str__(self) -> str:
        return f"{self.round_id}/{self.part}"


class Application(models.Model):
    """Facts an enterprise declared for a round (columns of the rule set's template, as text)."""

    round = models.ForeignKey(EvaluationRound, on_delete=models.CASCADE, related_name="applications")
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.CASCADE, related_name="+", db_constraint=False
    )
    facts = models.JSONField(_("declared facts"), encoder=DjangoJSONEncoder)
    source = models.CharField(_("source file"), max_length=200, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_district_path = "enterprise__district"
    scope_enterprise_path = "enterprise"

    class Meta:
        ordering = ("round", "enterprise")
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            models.UniqueConstraint(fields=["round", "enterprise"], name="%(app_label)s_%(class)s_unique_round")
        ]

    def __str__(self) -> str:
        return f"{self.round_id} · {self.enterprise_id}"


def objection_upload_to(instance: Objection, filename: str) -> str:
    return f"evaluations/objections/{instance.round_id}/{filename}"


class Objection(ChangeLoggedModel):
    """An enterprise's objection to its result, filed in the publication window with evidence."""

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("assessment"), on_delete=models.CASCADE, related_name="objections"
    )
    round = models.ForeignKey(EvaluationRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="+")
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("enterprise"), on_delete=models.CASCADE, related_name="+",
        db_constraint=False,
    )  # fmt: skip
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("filed by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reason = models.TextField(_("reason"))
    corrected_facts = models.JSONField(
        _("corrected facts"), default=dict, blank=True, encoder=DjangoJSONEncoder,
        help_text=_("The facts the enterprise says are right (column → value)."),
    )  # fmt: skip
    evidence = models.FileField(_("evidence"), upload_to=objection_upload_to, max_length=300)
    status = models.CharField(_("status"), max_length=10, choices=ObjectionStatus.choices, default=ObjectionStatus.OPEN)
    resolution = models.TextField(_("resolution"), blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resolved by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)
    result_before = models.JSONField(_("result before"), null=True, blank=True, encoder=DjangoJSONEncoder)
    result_after = models.JSONField(_("result after"), null=True, blank=True, encoder=DjangoJSONEncoder)

    scope_district_path = "enterprise__district"
    scope_enterprise_path = "enterprise"

    class Meta:
        ordering = ("status", "-created_at", "-id")
        verbose_name = _("objection")
        verbose_name_plural = _("objections")

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.round}"

    def get_absolute_url(self) -> str:
        return reverse("evaluations:objection_detail", args=[self.pk])

    def audit_snapshot(self) -> dict[str, Any]:
        """The row as the change log stores it; the evidence by its stored name (a file is not JSON)."""
        data: dict[str, Any] = {}
        for field in self._meta.concrete_fields:
            if field.name in ("created_at", "updated_at") or field.attname not in self.__dict__:
                continue
            value = field.value_from_object(self)
            data[field.attname] = (value.name or "") if isinstance(field, models.FileField) else value
        return _jsonish(data)


class LandEfficiencyGrade(models.Model):
    """The published per-mu grade of an enterprise for a year (written when a land-efficiency round publishes)."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("enterprise"), on_delete=models.CASCADE, related_name="+",
        db_constraint=False,
    )  # fmt: skip
    year = models.PositiveSmallIntegerField(_("year"))
    grade = models.CharField(_("grade"), max_length=12)
    total_points = models.DecimalField(_("total points"), max_digits=12, decimal_places=2, null=True, blank=True)
    size_class = models.CharField(_("size class"), max_length=16, blank=True)
    round = models.ForeignKey(EvaluationRound, verbose_name=_("round"), on_delete=models.PROTECT, related_name="+")

    objects = ScopedQuerySet.as_manager()
    scope_district_path = "enterprise__district"
    scope_enterprise_path = "enterprise"

    class Meta:
        ordering = ("-year", "enterprise")
        verbose_name = _("land-efficiency grade")
        verbose_name_plural = _("land-efficiency grades")
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "year"], name="%(app_label)s_%(class)s_unique_year")
        ]
        indexes = [models.Index(fields=["year", "grade"], name="evaluations_landgrade_idx")]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.year}: {self.grade}"
