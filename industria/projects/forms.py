"""Forms of the projects app: shape validation only (the rules live in the services and the engine)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from industria.accounts.models import Department, District
from industria.core.forms import ScopedModelForm
from industria.enterprises.models import Enterprise, IndustryGroup
from industria.land.models import Parcel

from .choices import ORDERED_STAGES, BlockerCategory, ProjectStage
from .models import KeyProject, NodeTemplate
from .reference import StageDefinition

DATE = forms.DateInput(attrs={"type": "date"})


class KeyProjectForm(ScopedModelForm):
    """Registry data of a project; the stage, its dates and the schedule change through workflows."""

    investor_uscc = forms.CharField(
        label=_("Investor credit code"),
        max_length=18,
        required=False,
        help_text=_("The investor's unified social credit code, when it is in the registry."),
    )
    parcel_code = forms.CharField(
        label=_("Parcel id"),
        max_length=40,
        required=False,
        help_text=_("The land parcel the project is built on, when it is known (places it on the map)."),
    )

    class Meta:
        model = KeyProject
        fields = [
            "code",
            "name_zh",
            "name_en",
            "investor_uscc",
            "investor_name",
            "investor_contact",
            "district",
            "park",
            "parcel_code",
            "industry_group",
            "project_type",
            "total_investment_cny",
            "fixed_asset_investment_cny",
            "expected_output_cny",
            "expected_tax_cny",
            "land_area_mu",
            "existing_land",
            "responsible_unit",
            "officer",
            "lead_on",
            "notes",
        ]
        widgets = {"lead_on": DATE, "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any):
        super().__init__(*args, user=user, **kwargs)
        self.fields["industry_group"].queryset = IndustryGroup.objects.filter(system__is_current=True).order_by(
            "sort_order", "code"
        )
        district_id = getattr(user, "district_id", None) if getattr(user, "scope", "city") == "district" else None
        units = Department.objects.all()
        if district_id:
            units = units.filter(Q(district__isnull=True) | Q(district_id=district_id))
        self.fields["responsible_unit"].queryset = units
        if self.instance.pk and self.instance.investor_id:
            self.fields["investor_uscc"].initial = self.instance.investor.uscc
        if self.instance.pk and self.instance.parcel_id:
            self.fields["parcel_code"].initial = self.instance.parcel.parcel_code

    def clean_investor_uscc(self) -> str:
        code = (self.cleaned_data.get("investor_uscc") or "").strip().upper()
        if code and not Enterprise.objects.filter(uscc=code).exists():
            raise forms.ValidationError(_("No enterprise with this credit code is registered."))
        return code

    def clean_parcel_code(self) -> str:
        code = (self.cleaned_data.get("parcel_code") or "").strip()
        if code and not Parcel.objects.for_user(self.user).filter(parcel_code=code).exists():
            raise forms.ValidationError(_("No parcel with this id is registered in your scope."))
        return code

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("investor_uscc") and not data.get("investor_name"):
            self.add_error("investor_name", _("Give the registered investor's credit code or the investor's name."))
        return data

    def _post_clean(self) -> None:
        code = self.cleaned_data.get("investor_uscc") if hasattr(self, "cleaned_data") else None
        self.instance.investor = Enterprise.objects.filter(uscc=code).first() if code else None
        if "parcel_code" in self.fields:
            parcel = self.cleaned_data.get("parcel_code") if hasattr(self, "cleaned_data") else None
            self.instance.parcel = Parcel.objects.filter(parcel_code=parcel).first() if parcel else None
        super()._post_clean()


class StageTransitionForm(forms.Form):
    """The evidence of one stage (fields from fixtures/reference/projects/stages.yaml)."""

    stage = forms.ChoiceField(choices=[(s, ProjectStage(s).label) for s in ORDERED_STAGES], widget=forms.HiddenInput)

    def __init__(self, *args: Any, definition: StageDefinition, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.definition = definition
        for field in definition.evidence:
            label = field.label
            if field.kind == "date":
                self.fields[field.field] = forms.DateField(label=label, required=field.required, widget=DATE)
            elif field.kind in ("money", "number"):
                self.fields[field.field] = forms.DecimalField(
                    label=label, required=field.required, max_digits=20, decimal_places=2, min_value=0
                )
            else:
                self.fields[field.field] = forms.CharField(label=label, required=field.required, max_length=200)

    def evidence(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "stage"}


class HoldForm(forms.Form):
    """Stall or cancel: the date and the reason."""

    on = forms.DateField(label=_("Date"), widget=DATE)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class ReopenForm(forms.Form):
    stage = forms.ChoiceField(label=_("Back to stage"), choices=[(s, ProjectStage(s).label) for s in ORDERED_STAGES])
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class ScheduleForm(forms.Form):
    """Plan a project backwards from a target date."""

    template = forms.ModelChoiceField(label=_("Node template"), queryset=NodeTemplate.objects.filter(is_active=True))
    target_on = forms.DateField(label=_("Target date"), widget=DATE)
    target_node_code = forms.CharField(
        label=_("Target node"),
        required=False,
        max_length=40,
        help_text=_("Empty: the template's own target (production start)."),
    )


class ReplanForm(forms.Form):
    """A re-plan: new target date and/or node durations, with the reason (a new baseline)."""

    target_on = forms.DateField(label=_("Target date"), widget=DATE)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)

    def __init__(self, *args: Any, durations: dict[str, tuple[str, int]] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.duration_codes = list(durations or {})
        for code, (name, days) in (durations or {}).items():
            self.fields[f"d_{code}"] = forms.IntegerField(label=name, min_value=0, max_value=3650, initial=days)

    def durations(self) -> dict[str, int]:
        return {code: self.cleaned_data[f"d_{code}"] for code in self.duration_codes}


class NodeCompleteForm(forms.Form):
    actual_start_on = forms.DateField(label=_("Actual start"), required=False, widget=DATE)
    actual_finish_on = forms.DateField(label=_("Actual finish"), widget=DATE)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)


class InvestmentReportForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    month = forms.IntegerField(label=_("Month"), min_value=1, max_value=12)
    completed_investment_cny = forms.DecimalField(
        label=_("Investment completed in the month (CNY)"), max_digits=18, decimal_places=2, min_value=0
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=300)


class YearPlanForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    planned_investment_cny = forms.DecimalField(
        label=_("Planned investment (CNY)"), max_digits=18, decimal_places=2, min_value=0
    )


class BlockerForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=BlockerCategory.choices)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)


class BlockerResolveForm(forms.Form):
    resolution = forms.CharField(label=_("Resolution"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)


class SupervisionRaiseForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)
    department = forms.ModelChoiceField(
        label=_("Responsible unit"),
        queryset=Department.objects.all(),
        required=False,
        help_text=_("Empty: the project's responsible unit."),
    )


class SupervisionReplyForm(forms.Form):
    text = forms.CharField(label=_("Reply"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000)
    expected_resolution_on = forms.DateField(label=_("Expected resolution"), required=False, widget=DATE)


class TemplateDurationsForm(forms.Form):
    """Standard durations of a template (a change makes a new version and re-schedules its projects)."""

    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)

    def __init__(self, *args: Any, template: NodeTemplate, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.items = list(template.items.order_by("seq"))
        for item in self.items:
            self.fields[f"d_{item.code}"] = forms.IntegerField(
                label=item.name, min_value=0, max_value=3650, initial=item.duration_days
            )

    def durations(self) -> dict[str, int]:
        return {i.code: self.cleaned_data[f"d_{i.code}"] for i in self.items}


class DispatchForm(forms.Form):
    """The month of the dispatch report and its slices."""

    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    month = forms.IntegerField(label=_("Month"), min_value=1, max_value=12)
    district = forms.ModelMultipleChoiceField(label=_("District"), queryset=District.objects.all(), required=False)
    group = forms.ModelChoiceField(
        label=_("Industry group"),
        queryset=IndustryGroup.objects.filter(system__is_current=True, parent__isnull=True).order_by("sort_order"),
        required=False,
    )

    @staticmethod
    def initial_for(today: dt.date) -> dict[str, int]:
        """The last complete month."""
        return (
            {"year": today.year - 1, "month": 12}
            if today.month == 1
            else {"year": today.year, "month": today.month - 1}
        )
