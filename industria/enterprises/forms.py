"""Forms of the registry: shape validation only."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from industria.core.forms import ScopedModelForm

from .models import Enterprise, IndustryGroup, IndustryMapping, Tier

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class EnterpriseForm(ScopedModelForm):
    """Create or change an enterprise."""

    class Meta:
        model = Enterprise
        fields = [
            "uscc",
            "name_zh",
            "name_en",
            "district",
            "industry_code",
            "ownership_type",
            "established_on",
            "registered_capital_cny",
            "is_listed",
            "is_headquarters",
        ]
        widgets = {"established_on": forms.DateInput(attrs={"type": "date"})}

    def clean_uscc(self) -> str:
        return (self.cleaned_data.get("uscc") or "").strip().upper()


class EnterpriseByCodeField(forms.ModelChoiceField):
    """An enterprise typed as its credit code (a select of every enterprise would not scale)."""

    widget = forms.TextInput(attrs={"autocomplete": "off", "maxlength": 18, "spellcheck": "false"})
    default_error_messages = {"invalid_choice": _("No enterprise with this credit code in your scope.")}

    def to_python(self, value: Any) -> Any:
        return super().to_python((value or "").strip().upper() if isinstance(value, str) else value)


class TierForm(ScopedModelForm):
    """Grant or change a tier of an enterprise."""

    enterprise = EnterpriseByCodeField(
        queryset=Enterprise.objects.all(), to_field_name="uscc", label=_("Enterprise (credit code)")
    )

    class Meta:
        model = Tier
        fields = ["enterprise", "kind", "level", "batch", "granted_on", "valid_until", "status", "source_document"]
        widgets = {"granted_on": DATE, "valid_until": DATE}

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None and not self.is_bound:
            self.initial["enterprise"] = self.instance.enterprise.uscc

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        granted_on, valid_until = data.get("granted_on"), data.get("valid_until")
        if granted_on and valid_until and valid_until < granted_on:
            self.add_error("valid_until", _("The tier cannot end before it was granted."))
        return data


class IndustryMappingForm(ScopedModelForm):
    """Create or change a rule of the default industry mapping."""

    group = forms.ModelChoiceField(
        queryset=IndustryGroup.objects.filter(system__is_current=True).order_by("sort_order", "code"),
        label=_("Industry group"),
    )

    class Meta:
        model = IndustryMapping
        fields = ["industry_code", "group", "weight", "primary", "exact", "rationale"]
        widgets = {"rationale": forms.Textarea(attrs={"rows": 3})}

    def clean_industry_code(self) -> str:
        code = (self.cleaned_data.get("industry_code") or "").strip()
        if not code.isdigit() or len(code) not in (2, 3, 4):
            raise forms.ValidationError(_("A GB/T 4754 division (2 digits), group (3) or class (4)."))
        return code

    def clean_weight(self) -> Any:
        weight = self.cleaned_data.get("weight")
        if weight is not None and not 0 < weight <= 1:
            raise forms.ValidationError(_("A share greater than 0 and at most 1."))
        return weight


class EnterpriseGroupTagForm(forms.Form):
    """Pick a group to tag an enterprise with explicitly."""

    group = forms.ModelChoiceField(queryset=IndustryGroup.objects.none(), label=_("Industry group"))

    def __init__(self, *args: Any, groups: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups
        self.fields["group"].label_from_instance = lambda g: f"{'— ' if g.parent_id else ''}{g.name} ({g.code})"
