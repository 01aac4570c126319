"""Forms of the registry: shape validation only."""

from django import forms

from industria.core.forms import ScopedModelForm

from .models import Enterprise


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
