"""Form of the upload page: shape only (the kind, a file, dry run or not)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .kinds import KINDS


class ImportUploadForm(forms.Form):
    """Which kind of rows, which file, and whether to only check it (the default)."""

    kind = forms.ChoiceField(label=_("What the file holds"))
    file = forms.FileField(label=_("File (xlsx or csv)"), allow_empty_file=True)  # the import says "empty"
    dry_run = forms.BooleanField(
        label=_("Dry run: check the file and count the changes without saving anything"),
        required=False,
        initial=True,
    )

    def __init__(self, *args: Any, kinds: list[str] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        allowed = kinds if kinds is not None else list(KINDS)
        self.fields["kind"].choices = [(code, KINDS[code].label) for code in allowed]
