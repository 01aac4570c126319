"""Form base classes: shape validation only, with choices limited to the user's scope."""

from __future__ import annotations

from typing import Any

from django import forms

from .permissions import scope_q


class ScopedModelForm(forms.ModelForm):
    """A ModelForm that takes ``user`` and offers only in-scope choices for its foreign keys.

    A district officer can only pick their own district; for an enterprise user the fields that place the
    record in a scope (the district) are read-only.
    """

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.user = user
        scope = getattr(user, "scope", "city") if user is not None and not user.is_superuser else "city"
        for field in self.fields.values():
            if not isinstance(field, forms.ModelChoiceField):
                continue
            model = field.queryset.model
            if scope == "district" and getattr(model, "scope_district_path", None):
                field.queryset = field.queryset.filter(scope_q(model, user))
                if self.instance.pk is None and field.queryset.count() == 1:
                    field.initial = field.queryset.first()
            elif scope == "enterprise" and getattr(model, "scope_district_path", None) == "pk":
                field.disabled = True


class FilterForm(forms.Form):
    """Marker base for list filter forms (GET, never writes)."""
