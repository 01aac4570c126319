"""Messages of the import in Chinese: every one is in the catalogue, keeps its placeholders, and reads in Chinese."""

from __future__ import annotations

import re
from pathlib import Path

import polib
from django.utils import translation

from industria.enterprises.imports.kinds import KINDS
from industria.enterprises.imports.problems import MESSAGES, problem_message

CATALOGUE = Path(__file__).resolve().parents[2] / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def msgid(lazy: object) -> str:
    with translation.override(None):
        return str(lazy)


def import_texts() -> list[str]:
    return [
        msgid(t)
        for t in [
            *MESSAGES.values(),
            *[c.meaning for k in KINDS.values() for c in k.columns],
            *[k.label for k in KINDS.values()],
            *[k.key_label for k in KINDS.values()],
        ]
    ]


def test_every_problem_and_column_text_is_translated() -> None:
    translated = {e.msgid for e in polib.pofile(str(CATALOGUE)) if e.translated() and "fuzzy" not in e.flags}

    assert [text for text in import_texts() if text not in translated] == []


def test_translations_keep_the_placeholders_the_vectorised_rendering_fills() -> None:
    texts = set(import_texts())

    for entry in polib.pofile(str(CATALOGUE)):
        if entry.msgid in texts and entry.msgstr:
            # problems are rendered in Polars too, which fills %(name)s only (not %(name)d)
            assert sorted(re.findall(r"%\(\w+\)[a-z]", entry.msgstr)) == sorted(
                re.findall(r"%\(\w+\)s", entry.msgid)
            ), entry.msgid


def test_problems_read_in_chinese() -> None:
    with translation.override("zh-hans"):
        message = problem_message("uscc_length", {"n": "17"})

    assert "18" in message
    assert "17" in message
    assert "credit code" not in message
