"""Every reason code of the engine's explanations has one translatable message, translated in the zh_Hans catalogue."""

from __future__ import annotations

from pathlib import Path

import polib
from django.utils import translation

from industria.evaluations.explain import REASONS

ENGINE_REASONS = {
    "segment_matched", "segment_undetermined", "coverage_undetermined", "not_covered",
    "band_matched", "choice_matched", "flag_matched", "items_counted", "points_input", "linear_steps",
    "best_option", "benchmark_ratio", "missing_value", "ratio_undefined", "value_out_of_range",
    "benchmark_unavailable", "segment_mean_substituted", "not_applicable",
    "subtotal", "category_minimum_met", "category_minimum_not_met", "sum_of_points",
    "condition_met", "condition_not_met", "condition_unknown",
    "route_score", "route_direct", "route_none",
    "percentile", "threshold", "exempt", "veto_applied",
}  # fmt: skip
CATALOGUE = Path(__file__).resolve().parents[2] / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def test_every_engine_reason_has_a_message() -> None:
    assert set(REASONS) >= ENGINE_REASONS


def test_every_reason_message_is_translated() -> None:
    translated = {e.msgid: e.msgstr for e in polib.pofile(str(CATALOGUE)) if e.msgstr}

    with translation.override("en"):
        missing = [str(m) for m in REASONS.values() if str(m) not in translated]

    assert missing == []
