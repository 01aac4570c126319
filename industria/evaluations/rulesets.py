"""Rule-set documents: the built-in YAML files, parsing through the engine, and what the UI shows of them.

No database here: the CLI (``industria evaluate``) uses this module with the database unreachable.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from industria.engines.common.parsing import RulesError
from industria.engines.common.ruleset import RuleSet as ParsedRules
from industria.engines.registry import BUILTIN_RULESETS, Engine, UnknownEngineError, engine_for_ruleset

RULESET_DIR = Path(__file__).resolve().parents[2] / "fixtures" / "reference" / "rulesets"


class RuleSetNotFound(LookupError):
    """No built-in rule set of that code."""


def builtin_codes() -> list[str]:
    return sorted(BUILTIN_RULESETS)


def builtin_document(code: str) -> dict[str, Any]:
    """The built-in rule set ``code`` as loaded from its YAML file (JSON-compatible: dates as ISO strings)."""
    path = RULESET_DIR / f"{code}.yaml"
    if not path.is_file() or "/" in code:
        raise RuleSetNotFound(code)
    with open(path, encoding="utf-8") as handle:
        return jsonable(yaml.safe_load(handle))


def jsonable(value: Any) -> Any:
    """YAML data as JSON data: dates as ISO strings, Decimals as numbers (the engine reads both)."""
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def load_document(text: str) -> Any:
    """A rule-set document from YAML or JSON text (JSON is YAML); raises RulesError on a syntax error."""
    try:
        return jsonable(yaml.safe_load(text))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        raise RulesError("", f"not valid YAML/JSON {where}: {getattr(exc, 'problem', '') or exc}".strip()) from exc


def dump_document(document: Mapping[str, Any]) -> str:
    """YAML text of a document for the editor (keys in their order, Unicode kept)."""
    return yaml.safe_dump(dict(document), allow_unicode=True, sort_keys=False, width=110)


def parse(document: Any) -> tuple[Engine, ParsedRules]:
    """The engine and the parsed rules of a document; raises RulesError naming the field path."""
    if not isinstance(document, Mapping):
        raise RulesError("", "expected a mapping at the top level")
    try:
        engine = engine_for_ruleset(document)
    except UnknownEngineError as exc:
        raise RulesError("engine", str(exc)) from exc
    return engine, engine.parse_rules(document)


# --------------------------------------------------------------------------------------------- display


@dataclass(frozen=True)
class Tagged:
    """A rule item as shown in the UI: where it is, what it says, and its evidence tag."""

    path: str
    kind: str
    code: str
    title: str
    detail: str
    tag: str
    note: str

    @property
    def uncertain(self) -> bool:
        return self.tag in ("M", "U")


def _source(node: Mapping[str, Any], default: str) -> tuple[str, str]:
    source = node.get("source")
    if isinstance(source, Mapping):
        return str(source.get("tag") or default), str(source.get("note") or "")
    return default, ""


def _title(node: Mapping[str, Any], lang: str) -> str:
    title = node.get("title")
    if isinstance(title, Mapping):
        return str(title.get("en" if lang.startswith("en") else "zh") or title.get("zh") or title.get("en") or "")
    return str(title or "")


def _brief(node: Mapping[str, Any]) -> str:
    """A short technical summary of a rule item (method, weight, bands) for the rule-set page."""
    parts = []
    for key in ("method", "weight", "max_points", "min_points", "missing", "category", "value", "column", "when"):
        if key in node and node[key] is not None:
            value = node[key]
            parts.append(f"{key}: {yaml.safe_dump(value, default_flow_style=True, allow_unicode=True).strip()}")
    bands = node.get("bands")
    if isinstance(bands, list):
        parts.append("bands: " + yaml.safe_dump(bands, default_flow_style=True, allow_unicode=True).strip())
    return "; ".join(parts)


def tagged_items(document: Mapping[str, Any], lang: str = "zh") -> Iterator[Tagged]:
    """Every rule item of a document with its evidence tag (an item without one inherits the rule set's)."""
    default, note = _source(document, "U")
    yield Tagged("source", "ruleset", str(document.get("code", "")), _title(document, lang), "", default, note)
    segments = document.get("segments") or {}
    for i, cls in enumerate(segments.get("classes") or []):
        tag, n = _source(cls, default)
        yield Tagged(f"segments.classes[{i}]", "segment", str(cls.get("code")), _title(cls, lang), _brief(cls), tag, n)
    for i, cat in enumerate(document.get("categories") or []):
        tag, n = _source(cat, default)
        yield Tagged(f"categories[{i}]", "category", str(cat.get("code")), _title(cat, lang), _brief(cat), tag, n)
    for i, ind in enumerate(document.get("indicators") or []):
        tag, n = _source(ind, default)
        yield Tagged(f"indicators[{i}]", "indicator", str(ind.get("code")), _title(ind, lang), _brief(ind), tag, n)
        for key in ("cap_multiple", "floor_points"):
            sub = ind.get(key)
            if isinstance(sub, Mapping) and isinstance(sub.get("source"), Mapping):
                stag, snote = _source(sub, tag)
                yield Tagged(
                    f"indicators[{i}].{key}", "parameter", f"{ind.get('code')}.{key}", key,
                    f"value: {sub.get('value')}", stag, snote,
                )  # fmt: skip
    outcome = document.get("outcome") or {}
    for role in ("eligibility", "direct_routes"):
        for i, cond in enumerate(outcome.get(role) or []):
            tag, n = _source(cond, default)
            yield Tagged(f"outcome.{role}[{i}]", role, str(cond.get("code")), _title(cond, lang), _brief(cond), tag, n)
    standard = outcome.get("standard_route") or {}
    for i, cond in enumerate(standard.get("conditions") or []):
        tag, n = _source(cond, default)
        yield Tagged(
            f"outcome.standard_route.conditions[{i}]", "standard_route", str(cond.get("code")),
            _title(cond, lang), _brief(cond), tag, n,
        )  # fmt: skip
    grading = outcome.get("grading")
    if isinstance(grading, Mapping):
        tag, n = _source(grading, default)
        yield Tagged("outcome.grading", "grading", str(grading.get("method")), "", _brief(grading), tag, n)
    vetoes = outcome.get("vetoes") or {}
    for i, code in enumerate(vetoes.get("codes") or []):
        if isinstance(code, Mapping):
            tag, n = _source(code, default)
            yield Tagged(f"outcome.vetoes.codes[{i}]", "veto", str(code.get("code")), "", "", tag, n)


def indicator_titles(document: Mapping[str, Any], lang: str) -> dict[str, str]:
    """Indicator, category, condition and segment code → title in ``lang`` (falls back to the code)."""
    titles: dict[str, str] = {}
    for item in tagged_items(document, lang):
        if item.title and item.kind != "parameter":
            titles.setdefault(item.code, item.title)
    return titles
