"""Forms of the evaluation pages: shape only (rules live in the engine's parse_rules and the services)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from industria.accounts.models import District
from industria.engines.common.parsing import RulesError

from . import rulesets
from .models import EvaluationRound, Programme, RuleSet, RuleSetStatus


class RuleSetEditorForm(forms.Form):
    """The rule-set document as YAML (or JSON); validated by the engine, errors name the field path."""

    document = forms.CharField(
        label=_("Rule set (YAML or JSON)"),
        widget=forms.Textarea(attrs={"rows": 30, "class": "code", "spellcheck": "false"}),
        help_text=_(
            "The schema is in docs/engines/evaluation.md §3. An error names the field, e.g. indicators[2].weight."
        ),
    )

    def clean_document(self) -> dict[str, Any]:
        try:
            document = rulesets.load_document(self.cleaned_data["document"])
            rulesets.parse(document)
        except RulesError as exc:
            raise forms.ValidationError(str(exc), code="rules_invalid") from exc
        return document


class RoundForm(forms.ModelForm):
    """A new round: the rule-set version (active or retired), the facts year and the population."""

    class Meta:
        model = EvaluationRound
        fields = ["name", "ruleset", "year", "as_of", "district", "above_size_only", "use_applications"]
        widgets = {"as_of": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["ruleset"].queryset = RuleSet.objects.exclude(status=RuleSetStatus.DRAFT).order_by(
            "programme", "code", "-effective_from"
        )
        self.fields["name"].required = False
        self.fields["district"].queryset = District.objects.all()
        if user is not None and getattr(user, "scope", "city") == "district" and not user.is_superuser:
            self.fields["district"].queryset = District.objects.filter(pk=user.district_id)
            self.fields["district"].required = True


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Spreadsheet (csv or xlsx)"))


class WindowForm(forms.Form):
    opens_on = forms.DateField(label=_("Window opens on"), widget=forms.DateInput(attrs={"type": "date"}))
    closes_on = forms.DateField(label=_("Window closes on"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("opens_on") and data.get("closes_on") and data["closes_on"] < data["opens_on"]:
            self.add_error("closes_on", _("The window closes before it opens."))
        return data


class PublishForm(forms.Form):
    published_on = forms.DateField(
        label=_("Publish on"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Tiers are granted on this day."),
    )


def _corrected_facts_field() -> forms.CharField:
    return forms.CharField(
        label=_("Corrected facts"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "class": "code"}),
        help_text=_("One per line: column = value, e.g. tax_cny = 1200000"),
    )


def parse_corrections(text: str) -> dict[str, str]:
    corrections: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        if "=" not in line:
            raise forms.ValidationError(
                _("Line %(n)s: expected column = value."), code="bad_line", params={"n": number}
            )
        key, value = line.split("=", 1)
        corrections[key.strip()] = value.strip()
    return corrections


class ObjectionForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 4}))
    corrected = _corrected_facts_field()
    evidence = forms.FileField(label=_("Evidence"), help_text=_("A document supporting the objection."))

    def clean_corrected(self) -> dict[str, str]:
        return parse_corrections(self.cleaned_data.get("corrected") or "")


class ResolveForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("accept", _("Accept and re-run")), ("reject", _("Reject"))]
    )
    resolution = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    corrected = _corrected_facts_field()

    def clean_corrected(self) -> dict[str, str]:
        return parse_corrections(self.cleaned_data.get("corrected") or "")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("decision") == "reject" and not (data.get("resolution") or "").strip():
            self.add_error("resolution", _("A rejection needs a reason."))
        return data


class CompareForm(forms.Form):
    round = forms.ModelChoiceField(label=_("Population of round"), queryset=EvaluationRound.objects.none())

    def __init__(self, *args: Any, rounds: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["round"].queryset = rounds if rounds is not None else EvaluationRound.objects.none()


class BenefitForm(forms.Form):
    programme = forms.ChoiceField(
        label=_("Programme"),
        choices=[(p.value, p.label) for p in Programme if p != Programme.LAND_EFFICIENCY],
        initial=Programme.SME_INNOVATIVE,
    )
    year = forms.IntegerField(label=_("Facts year"), min_value=1949, max_value=2100)
