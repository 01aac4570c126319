"""What each kind of import reads: its columns (headers accepted in Chinese or English, type, unit, rules) and key.

Headers are a data contract with the files government offices already export, so the Chinese and English
labels are literal here (not catalogue entries): a header matches when its normalised form
(``normalize_header``: full-width → half-width, case, spaces, ``_``/``-``/``*`` and any bracketed unit dropped)
equals that of the code, a label or an alias.  Digits, scales and text lengths come from the model fields, so
the import cannot drift from the schema.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from typing import Any

from django.db import models
from django.utils.translation import get_language

from industria.enterprises.models import Enterprise

# The template's example row uses this (valid) credit code; a row carrying it is rejected, so a template
# uploaded unchanged imports nothing.
EXAMPLE_USCC = "91310115MA1FL8XK2U"

UNITS_ZH = {
    "CNY": "元",
    "persons": "人",
    "tonnes of standard coal equivalent": "吨标准煤",
    "kWh": "千瓦时",
    "tonnes": "吨",
    "mu": "亩",
    "m²": "平方米",
}
_BRACKETED = re.compile(r"[(\[{【〔<《][^)\]}】〕>》]*[)\]}】〕>》]")
_IGNORED_IN_HEADER = re.compile(r"[\s_\-*:：.·/\\'\"“”‘’]+")
# What choice values may differ in: spacing and quotes (专精特新“小巨人”企业 = 专精特新小巨人企业).
CHOICE_NOISE = r"[\s\"'“”‘’「」《》()（）]+"


def normalize_header(text: Any) -> str:
    """The form in which headers are compared: NFKC, lower case, no brackets (units), spaces or punctuation."""
    value = unicodedata.normalize("NFKC", str(text or "")).strip().lower()
    value = _BRACKETED.sub("", value)
    return _IGNORED_IN_HEADER.sub("", value)


def normalize_choice(text: str) -> str:
    """The form in which choice values are compared (the same as ``validation`` computes in Polars)."""
    return re.sub(CHOICE_NOISE, "", unicodedata.normalize("NFKC", text).lower())


@dataclass(frozen=True)
class Column:
    """One column of an import file.

    ``kind`` is how cells are read: ``uscc``, ``text``, ``int``, ``decimal``, ``bool``, ``choice``, ``date``,
    ``district`` (code or name → district id) or ``industry`` (a GB/T 4754 code).  ``field`` is the model field
    written (``district`` for the district column); ``required`` columns must exist and have a value in every
    row.  Empty cells of ``nullable`` columns store null; of the others they keep the stored value (or the
    default for a new row).
    """

    key: str
    zh: str
    en: str
    kind: str
    meaning: Any
    required: bool = False
    unit: str = ""  # the unit in English (UNITS_ZH gives the Chinese)
    aliases: tuple[str, ...] = ()
    min_value: int | None = None
    max_value: int | None = None
    allow_negative: bool = False
    choices: type[models.TextChoices] | None = None
    choice_aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)
    example: str = ""
    # filled from the model field by Kind.__post_init__
    max_digits: int = 0
    decimal_places: int = 0
    max_length: int = 0
    nullable: bool = True
    default: Any = None

    @property
    def db_column(self) -> str:
        return "district_id" if self.kind == "district" else self.key

    def label(self) -> str:
        """The header in the active language (the template writes this)."""
        return self.zh if (get_language() or "zh").startswith("zh") else self.en

    def unit_label(self) -> str:
        """The unit in the active language."""
        return UNITS_ZH.get(self.unit, self.unit) if (get_language() or "zh").startswith("zh") else self.unit

    def accepted_headers(self) -> list[str]:
        return [self.zh, self.en, self.key, *self.aliases]

    def allowed_values(self) -> list[tuple[str, str]]:
        """(code, label) of a choice column."""
        return [(str(value), str(label)) for value, label in self.choices.choices] if self.choices else []


@dataclass(frozen=True)
class Kind:
    """A kind of import: the model written, its columns, and the key that identifies a row."""

    code: str
    label: Any
    model: type[models.Model]
    columns: tuple[Column, ...]
    key: tuple[str, ...]  # column keys forming the natural key (uscc first)
    key_label: Any  # how the key reads in the duplicate message

    def __post_init__(self) -> None:
        resolved = []
        for column in self.columns:
            name = "district" if column.kind == "district" else column.key
            model = Enterprise if column.kind == "uscc" else self.model  # a fact's uscc is its enterprise's
            model_field = model._meta.get_field(name)
            resolved.append(
                replace(
                    column,
                    max_digits=getattr(model_field, "max_digits", 0) or 0,
                    decimal_places=getattr(model_field, "decimal_places", 0) or 0,
                    max_length=(getattr(model_field, "max_length", 0) or 0) if column.kind == "text" else 0,
                    nullable=model_field.null or column.kind == "text",
                    default=model_field.get_default(),  # "" for a CharField without a default, else None
                )
            )
        object.__setattr__(self, "columns", tuple(resolved))

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)

    @property
    def required(self) -> list[Column]:
        return [c for c in self.columns if c.required]

    @property
    def is_enterprise(self) -> bool:
        return self.model is Enterprise
