"""The rule-set model shared by every scored programme, and its validating parser.

A rule set is data (a versioned YAML file under ``fixtures/reference/rulesets/``, or a ``RuleSet`` row's
parameters).  ``parse_ruleset`` takes the already-loaded mapping and returns a frozen ``RuleSet`` or raises
``RulesError`` naming the field path.  The schema is documented in ``docs/engines/evaluation.md``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

import polars as pl

from industria.engines.common.conditions import Condition, NamedCondition, parse_condition
from industria.engines.common.indicators import Indicator
from industria.engines.common.outcomes import Grading, PassFail, parse_outcome
from industria.engines.common.parsing import RULESET_CODE_RE, Node, RulesError
from industria.engines.common.scoring_rules import Category, parse_categories, parse_indicator
from industria.engines.common.sources import Source, parse_source
from industria.engines.common.values import FactsContext

SCHEMA_VERSION = 1
RESERVED_COLUMNS = frozenset(
    {"uscc", "name", "covered", "total_points", "passed", "route", "grade", "rank", "rank_population", "findings"}
    | {"engine_version", "ruleset_code", "ruleset_version"}
)
TOP_LEVEL_KEYS = (
    "schema_version", "code", "version", "engine", "programme", "title", "document_no", "issuer",
    "effective_from", "effective_to", "source", "notes", "columns", "segments", "categories", "indicators", "outcome",
)  # fmt: skip


@dataclass(frozen=True)
class SegmentClass:
    """One segment (e.g. size class): rows matching ``when`` (first match wins) and, within it, the covered ones."""

    code: str
    title: Mapping[str, str]
    when: Condition
    covered_when: Condition | None
    source: Source


@dataclass(frozen=True)
class Segmentation:
    output: str  # result column holding the segment code, e.g. "size_class"
    classes: tuple[SegmentClass, ...]


@dataclass(frozen=True)
class RuleSet:
    """A versioned, validated rule set.  Immutable: an edit is a new version."""

    code: str
    version: str
    engine: str
    programme: str
    title: Mapping[str, str]
    document_no: str | None
    issuer: str | None
    effective_from: date
    effective_to: date | None
    source: Source
    notes: str | None
    columns: tuple[str, ...]
    segments: Segmentation | None
    categories: tuple[Category, ...]
    indicators: tuple[Indicator, ...]
    outcome: PassFail | Grading

    def is_effective(self, on: date) -> bool:
        return self.effective_from <= on and (self.effective_to is None or on <= self.effective_to)

    def required_columns(self) -> frozenset[str]:
        """Columns the evaluation reads (facts must have them; the others of ``columns`` are optional)."""
        cols: set[str] = {"uscc"}
        for ind in self.indicators:
            cols |= ind.columns()
        if self.segments is not None:
            for seg in self.segments.classes:
                cols |= seg.when.columns()
                if seg.covered_when is not None:
                    cols |= seg.covered_when.columns()
        cols |= self.outcome.columns()
        return frozenset(cols)

    def named_conditions(self) -> tuple[NamedCondition, ...]:
        return self.outcome.named_conditions() if isinstance(self.outcome, PassFail) else ()


R = TypeVar("R", bound=RuleSet)


def parse_ruleset(raw: Mapping[str, Any], *, engine: str, facts_schema: Mapping[str, pl.DataType], cls: type[R]) -> R:
    """Validate ``raw`` (an already-loaded YAML/JSON mapping) for ``engine`` and build ``cls``."""
    root = Node(raw).mapping(allowed=TOP_LEVEL_KEYS, required=("code", "version", "engine", "programme", "columns"))
    schema_version = root.get("schema_version")
    if schema_version is not None and schema_version.as_int() != SCHEMA_VERSION:
        raise schema_version.fail(f"unsupported schema_version (this engine reads {SCHEMA_VERSION})")
    engine_node = root.req("engine")
    if engine_node.as_str() != engine:
        raise engine_node.fail(f"this rule set is for engine {engine_node.value!r}, not {engine!r}")
    document_no = root.get("document_no")
    doc_no = document_no.as_str() if document_no is not None else None
    source = parse_source(root.req("source") if root.has("source") else None, Source(tag="U", document_no=doc_no))
    columns = _parse_columns(root.req("columns"), facts_schema)
    ctx = FactsContext(schema=facts_schema, columns=frozenset(columns))

    segments = _parse_segments(root.get("segments"), ctx, source)
    segment_codes = tuple(s.code for s in segments.classes) if segments is not None else ("all",)
    categories = parse_categories(root.get("categories"), source)
    indicators_node = root.get("indicators")
    indicators = tuple(
        parse_indicator(n, ctx, source, {c.code for c in categories}, segment_codes)
        for n in (indicators_node.as_list() if indicators_node is not None else [])
    )
    outcome = parse_outcome(root.req("outcome"), ctx, source, has_points=bool(indicators))
    effective_from = root.req("effective_from").as_date()
    effective_to_node = root.get("effective_to")
    effective_to = effective_to_node.as_date() if effective_to_node is not None else None
    if effective_to is not None and effective_to < effective_from:
        raise effective_to_node.fail("effective_to is before effective_from")  # type: ignore[union-attr]
    issuer = root.get("issuer")
    notes = root.get("notes")
    title = root.get("title")
    ruleset = cls(
        code=root.req("code").as_code(RULESET_CODE_RE),
        version=_version(root.req("version")),
        engine=engine,
        programme=root.req("programme").as_code(),
        title=title.as_text() if title is not None else {},
        document_no=doc_no,
        issuer=issuer.as_str() if issuer is not None else None,
        effective_from=effective_from,
        effective_to=effective_to,
        source=source,
        notes=notes.as_str() if notes is not None else None,
        columns=columns,
        segments=segments,
        categories=categories,
        indicators=indicators,
        outcome=outcome,
    )
    _check_output_names(ruleset)
    return ruleset


def _version(node: Node) -> str:
    if isinstance(node.value, int | float) and not isinstance(node.value, bool):
        raise node.fail('expected a string (quote it: version: "2022.1")')
    return node.as_str()


def _parse_columns(node: Node, facts_schema: Mapping[str, pl.DataType]) -> tuple[str, ...]:
    columns = node.as_str_list(min_items=1)
    seen: set[str] = set()
    for i, name in enumerate(columns):
        item = Node(name, f"{node.path}[{i}]")
        if name not in facts_schema:
            raise item.fail(f"unknown facts column {name!r} (see the engine's FACTS_SCHEMA)")
        if name in seen:
            raise item.fail(f"duplicate column {name!r}")
        seen.add(name)
    if "uscc" not in seen:
        raise node.fail("columns must include 'uscc'")
    return columns


def _parse_segments(node: Node | None, ctx: FactsContext, default: Source) -> Segmentation | None:
    if node is None:
        return None
    node.mapping(allowed=("output", "classes"), required=("output", "classes"))
    output = node.req("output").as_code()
    items = node.req("classes").as_list(min_items=1)
    classes: list[SegmentClass] = []
    for i, item in enumerate(items):
        item.mapping(allowed=("code", "title", "when", "covered_when", "source"), required=("code", "when"))
        title = item.get("title")
        covered = item.get("covered_when")
        classes.append(
            SegmentClass(
                code=item.req("code").as_code(),
                title=title.as_text() if title is not None else {},
                when=parse_condition(item.req("when"), ctx, allow_otherwise=i == len(items) - 1),
                covered_when=parse_condition(covered, ctx) if covered is not None else None,
                source=parse_source(item.get("source"), default),
            )
        )
    codes = [c.code for c in classes]
    if len(set(codes)) != len(codes):
        raise node.req("classes").fail("segment codes must be unique")
    return Segmentation(output=output, classes=tuple(classes))


def _check_output_names(ruleset: RuleSet) -> None:
    """Every generated result column must be unique and must not shadow a reserved column."""
    seen: dict[str, str] = {}
    reserved = set(RESERVED_COLUMNS) | set(ruleset.columns)
    if ruleset.segments is not None:
        reserved.add(ruleset.segments.output)

    def claim(name: str, path: str) -> None:
        if name in reserved or name in seen:
            other = seen.get(name, "a facts column" if name in ruleset.columns else "a reserved result column")
            raise RulesError(path, f"result column {name!r} clashes with {other}")
        seen[name] = path

    for i, ind in enumerate(ruleset.indicators):
        path = f"indicators[{i}].code"
        for name in ind.result_columns():
            claim(name, path)
    for i, cat in enumerate(ruleset.categories):
        claim(f"{cat.code}_points", f"categories[{i}].code")
    for path, cond in ruleset.outcome.condition_paths():
        claim(f"{cond.code}_met", path)


def summarise_sources(ruleset: RuleSet) -> dict[str, list[str]]:
    """Codes of rule items by evidence tag, e.g. ``{"M": ["net_margin", …]}`` (for UI labels and review)."""
    out: dict[str, list[str]] = {}
    for ind in ruleset.indicators:
        out.setdefault(ind.source.tag, []).append(ind.code)
    for cond in ruleset.named_conditions():
        out.setdefault(cond.source.tag, []).append(cond.code)
    return out


__all__ = ["SCHEMA_VERSION", "RuleSet", "SegmentClass", "Segmentation", "parse_ruleset", "summarise_sources"]
