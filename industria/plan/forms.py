"""Forms of the plan app: shape only (definitions and rules must parse); workflow rules live in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from industria.accounts.models import District
from industria.core.forms import ScopedModelForm
from industria.engines.plan_progress import RuleError, parse_rag_rules
from industria.enterprises.choices import Confidence
from industria.enterprises.models import IndustryGroup
from industria.plan.choices import ActualStatus, PeriodType, Qualifier, SeriesKind, TaskStatus, Vintage
from industria.plan.computed import ComputedDefinitionError, parse_computed
from industria.plan.models import (
    DataSource,
    IndicatorActual,
    IndicatorTarget,
    PlanIndicator,
    PlanTask,
)

DATE = forms.DateInput(attrs={"type": "date"})


class AsOfForm(forms.Form):
    """The "as of" date of a dashboard (GET)."""

    as_of = forms.DateField(label=_("As of"), required=False, widget=DATE)


class DataSourceForm(ScopedModelForm):
    url = forms.URLField(label=_("address"), max_length=500, required=False, assume_scheme="https")

    class Meta:
        model = DataSource
        fields = ["code", "title", "url", "publisher", "published_on", "reference"]
        widgets = {"published_on": DATE}


class PlanIndicatorForm(ScopedModelForm):
    """An indicator's definition; the computed definition and the status rules must parse."""

    class Meta:
        model = PlanIndicator
        fields = [
            "plan",
            "goal",
            "action",
            "code",
            "ref",
            "name_zh",
            "name_en",
            "unit",
            "unit_zh",
            "measure",
            "cumulative_from_year",
            "direction",
            "target_kind",
            "value_kind",
            "since_year",
            "is_headline",
            "is_public",
            "breakdown_district",
            "breakdown_industry_group",
            "cadence",
            "owner",
            "responsible_department",
            "next_due_on",
            "computed",
            "rag_rule_set",
            "rag_rules",
            "baseline_year",
            "baseline_value",
            "baseline_qualifier",
            "baseline_source",
            "baseline_note",
            "note",
            "sort_order",
        ]
        widgets = {"next_due_on": DATE}

    def clean_computed(self) -> Any:
        value = self.cleaned_data.get("computed")
        try:
            parse_computed(value, path="computed")
        except ComputedDefinitionError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return value or None

    def clean_rag_rules(self) -> Any:
        value = self.cleaned_data.get("rag_rules") or []
        try:
            parse_rag_rules(value, path="rag_rules")
        except RuleError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return value


class IndicatorTargetForm(ScopedModelForm):
    class Meta:
        model = IndicatorTarget
        fields = ["indicator", "year", "value", "comparator", "text_zh", "text_en", "source", "confidence", "note"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        indicator = data.get("indicator")
        if indicator is not None and indicator.target_kind != "direction_only" and data.get("value") is None:
            self.add_error("value", _("This indicator's target needs a value."))
        return data


class IndicatorActualForm(ScopedModelForm):
    """Correction of a recorded figure (registry CRUD); new figures go through "Record a figure"."""

    class Meta:
        model = IndicatorActual
        fields = [
            "indicator",
            "series",
            "period",
            "period_type",
            "district",
            "industry_group",
            "value",
            "qualifier",
            "status",
            "uncertain",
            "vintage",
            "as_of_date",
            "source",
            "citation",
            "confidence",
            "note",
        ]
        widgets = {"period": DATE, "as_of_date": DATE}


class ActualRecordForm(forms.Form):
    """Record a new figure of one indicator (the ``actual_record`` service checks the rules)."""

    period = forms.DateField(label=_("Period (last day)"), widget=DATE)
    period_type = forms.ChoiceField(label=_("Period type"), choices=PeriodType.choices, initial=PeriodType.YEAR)
    series = forms.ChoiceField(label=_("Series"), choices=SeriesKind.choices, initial=SeriesKind.VALUE)
    value = forms.DecimalField(label=_("Value"), max_digits=24, decimal_places=6)
    qualifier = forms.ChoiceField(label=_("Qualifier"), choices=Qualifier.choices, required=False)
    status = forms.ChoiceField(label=_("Status"), choices=ActualStatus.choices, initial=ActualStatus.PUBLISHED)
    uncertain = forms.BooleanField(label=_("Uncertain (unverified or conflicting)"), required=False)
    vintage = forms.ChoiceField(label=_("Vintage"), choices=Vintage.choices, initial=Vintage.FIRST_RELEASE)
    as_of_date = forms.DateField(label=_("Known on"), widget=DATE)
    source = forms.ModelChoiceField(label=_("Source"), queryset=DataSource.objects.all(), required=False)
    new_source_title = forms.CharField(label=_("…or a new source: title"), max_length=400, required=False)
    new_source_url = forms.URLField(
        label=_("New source: address"), max_length=500, required=False, assume_scheme="https"
    )
    citation = forms.CharField(label=_("Citation detail"), max_length=300, required=False)
    district = forms.ModelChoiceField(label=_("District"), queryset=District.objects.all(), required=False)
    industry_group = forms.ModelChoiceField(
        label=_("Industry group"), queryset=IndustryGroup.objects.filter(system__is_current=True), required=False
    )
    confidence = forms.ChoiceField(label=_("Confidence"), choices=Confidence.choices, initial=Confidence.V)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args: Any, indicator: PlanIndicator, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if not indicator.breakdown_district or indicator.is_computed:
            del self.fields["district"]
        if not indicator.breakdown_industry_group or indicator.is_computed:
            del self.fields["industry_group"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("source") and data.get("new_source_title"):
            self.add_error("new_source_title", _("Choose a source or describe a new one, not both."))
        return data

    def service_kwargs(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        title, url = data.pop("new_source_title", ""), data.pop("new_source_url", "")
        data["new_source"] = {"title": title, "url": url} if title else None
        data["qualifier"] = data.get("qualifier") or ""
        return data


class PlanTaskForm(ScopedModelForm):
    class Meta:
        model = PlanTask
        fields = [
            "plan",
            "action",
            "number",
            "name_zh",
            "name_en",
            "responsible_departments",
            "responsible_units_complete",
            "owners",
            "deadline",
            "cadence",
            "next_due_on",
            "to_be_completed_by_admin",
            "source",
            "confidence",
            "note",
        ]
        widgets = {"deadline": DATE, "next_due_on": DATE}


class TaskStatusForm(forms.Form):
    """Report on a task (the ``task_status_record`` service checks the rules)."""

    reported_on = forms.DateField(label=_("Reported on"), widget=DATE)
    status = forms.ChoiceField(label=_("Status"), choices=TaskStatus.choices)
    progress_pct = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100, required=False)
    narrative = forms.CharField(label=_("Narrative"), widget=forms.Textarea(attrs={"rows": 5}))
