"""Node templates as data: parsing, inheritance, and the graph facts the scheduler needs (levels, ancestors).

A template is a small directed acyclic graph (a few dozen nodes).  Its structure is computed once with the
stdlib here; the per-project work in ``backward.py`` is then Polars over every project at once.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import polars as pl

DEP_TYPES = ("FS", "SS")  # finish-to-start (serial), start-to-start (parallel start with a lag)
FAST_TRACKS = ("none", "land_start", "pile_first", "phased")
CONFIDENCE_TAGS = ("S", "M", "U")


class TemplateError(ValueError):
    """A template is malformed: the message names the path of the offending field."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path


@dataclass(frozen=True)
class Dependency:
    """``node`` must finish (FS) or start (SS) ``lag_days`` before the dependent node starts."""

    node: str
    dep_type: str = "FS"
    lag_days: int = 0


@dataclass(frozen=True)
class NodeSpec:
    """One node of a template: an activity of ``duration_days`` that ends on the node's date."""

    code: str
    name_zh: str
    name_en: str
    duration_days: int
    after: tuple[Dependency, ...] = ()
    phase: int | None = None


@dataclass(frozen=True)
class TemplateSpec:
    """A parsed, validated template."""

    code: str
    project_type: str
    fast_track: str
    target_node: str
    nodes: tuple[NodeSpec, ...]
    name_zh: str = ""
    name_en: str = ""
    existing_land: bool = False
    confidence: str = "U"
    source: str = ""
    _cache: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    # ------------------------------------------------------------------ graph facts (stdlib, template-sized)
    @cached_property
    def codes(self) -> tuple[str, ...]:
        return tuple(n.code for n in self.nodes)

    @cached_property
    def durations(self) -> dict[str, int]:
        return {n.code: n.duration_days for n in self.nodes}

    @cached_property
    def successors(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {c: [] for c in self.codes}
        for n in self.nodes:
            for dep in n.after:
                out[dep.node].append(n.code)
        return out

    @cached_property
    def topological_order(self) -> tuple[str, ...]:
        """Codes in an order where every predecessor comes first (ties keep the display order)."""
        indegree = {n.code: len(n.after) for n in self.nodes}
        ready = [c for c in self.codes if indegree[c] == 0]
        order: list[str] = []
        while ready:
            code = ready.pop(0)
            order.append(code)
            for succ in self.successors[code]:
                indegree[succ] -= 1
                if indegree[succ] == 0:
                    ready.append(succ)
        return tuple(order)

    def ancestors(self, target: str) -> frozenset[str]:
        """Every node with a path to ``target`` (excluding the target itself)."""
        by_code = {n.code: n for n in self.nodes}
        seen: set[str] = set()
        stack = [d.node for d in by_code[target].after]
        while stack:
            code = stack.pop()
            if code in seen:
                continue
            seen.add(code)
            stack.extend(d.node for d in by_code[code].after)
        return frozenset(seen)

    def structure(self, target: str) -> pl.DataFrame:
        """Per node: ``role`` (target, ancestor, after) and the pass levels the scheduler processes in order.

        ``back_level`` (ancestors and target): longest path, in edges, from the node to the target;
        ``fwd_level`` (ancestors and target): longest path from a source among them (critical-path pass);
        ``after_level`` (every other node): position in the forward pass that dates nodes after the target.
        """
        key = f"structure:{target}"
        if key in self._cache:
            return self._cache[key]
        if target not in self.codes:
            raise TemplateError(f"{self.code}.target_node", f"unknown node {target!r}")
        ancestors = self.ancestors(target)
        core = ancestors | {target}
        order = self.topological_order
        back: dict[str, int] = {target: 0}
        for code in reversed(order):
            if code in ancestors:
                back[code] = 1 + max(back[s] for s in self.successors[code] if s in core)
        preds = {n.code: [d.node for d in n.after] for n in self.nodes}
        fwd: dict[str, int] = {}
        after: dict[str, int] = {}
        for code in order:
            if code in core:
                fwd[code] = 1 + max((fwd[p] for p in preds[code] if p in core), default=-1)
            else:
                after[code] = 1 + max((after.get(p, 0) for p in preds[code]), default=0)
        rows = [
            {
                "node_code": code,
                "seq": i,
                "role": "target" if code == target else ("ancestor" if code in ancestors else "after"),
                "back_level": back.get(code),
                "fwd_level": fwd.get(code),
                "after_level": after.get(code),
                "template_duration_days": self.durations[code],
            }
            for i, code in enumerate(self.codes)
        ]
        frame = pl.DataFrame(
            rows,
            schema={
                "node_code": pl.String,
                "seq": pl.Int64,
                "role": pl.String,
                "back_level": pl.Int64,
                "fwd_level": pl.Int64,
                "after_level": pl.Int64,
                "template_duration_days": pl.Int64,
            },
        )
        self._cache[key] = frame
        return frame

    def edges(self) -> pl.DataFrame:
        """One row per dependency: pred_code → succ_code, dep_type, lag_days."""
        rows = [
            {"pred_code": d.node, "succ_code": n.code, "dep_type": d.dep_type, "lag_days": d.lag_days}
            for n in self.nodes
            for d in n.after
        ]
        return pl.DataFrame(
            rows, schema={"pred_code": pl.String, "succ_code": pl.String, "dep_type": pl.String, "lag_days": pl.Int64}
        )

    def as_dict(self) -> dict[str, Any]:
        """The template as plain data (what the loader stores and what ``parse_template`` reads back)."""
        return {
            "code": self.code,
            "project_type": self.project_type,
            "fast_track": self.fast_track,
            "target_node": self.target_node,
            "existing_land": self.existing_land,
            "name_zh": self.name_zh,
            "name_en": self.name_en,
            "confidence": self.confidence,
            "source": self.source,
            "nodes": [
                {
                    "code": n.code,
                    "name_zh": n.name_zh,
                    "name_en": n.name_en,
                    "duration_days": n.duration_days,
                    "after": [
                        d.node
                        if (d.dep_type, d.lag_days) == ("FS", 0)
                        else {"node": d.node, "type": d.dep_type, "lag_days": d.lag_days}
                        for d in n.after
                    ],
                    **({"phase": n.phase} if n.phase is not None else {}),
                }
                for n in self.nodes
            ],
        }


# ---------------------------------------------------------------------------------------------- parsing


def _int(value: Any, path: str, *, minimum: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TemplateError(path, f"expected a whole number, got {value!r}")
    if value < minimum:
        raise TemplateError(path, f"must be at least {minimum}, got {value}")
    return value


def _dependency(raw: Any, path: str) -> Dependency:
    if isinstance(raw, str):
        return Dependency(raw)
    if not isinstance(raw, Mapping) or "node" not in raw:
        raise TemplateError(path, "a predecessor is a node code or {node, type, lag_days}")
    dep_type = str(raw.get("type", "FS")).upper()
    if dep_type not in DEP_TYPES:
        raise TemplateError(f"{path}.type", f"must be one of {', '.join(DEP_TYPES)}, got {dep_type!r}")
    lag = raw.get("lag_days", 0)
    if isinstance(lag, bool) or not isinstance(lag, int):
        raise TemplateError(f"{path}.lag_days", f"expected a whole number, got {lag!r}")
    return Dependency(str(raw["node"]), dep_type, lag)


def parse_template(raw: Mapping[str, Any]) -> TemplateSpec:
    """Validate a resolved template (no ``extends``): unique codes, known predecessors, no cycle, a target."""
    code = str(raw.get("code") or "")
    if not code:
        raise TemplateError("code", "missing")
    nodes_raw = raw.get("nodes")
    if not isinstance(nodes_raw, Sequence) or not nodes_raw:
        raise TemplateError(f"{code}.nodes", "a template needs at least one node")
    nodes: list[NodeSpec] = []
    seen: set[str] = set()
    for i, n in enumerate(nodes_raw):
        path = f"{code}.nodes[{i}]"
        node_code = str(n.get("code") or "")
        if not node_code:
            raise TemplateError(f"{path}.code", "missing")
        if node_code in seen:
            raise TemplateError(f"{path}.code", f"duplicate node {node_code!r}")
        seen.add(node_code)
        after = tuple(_dependency(d, f"{path}.after[{j}]") for j, d in enumerate(n.get("after") or ()))
        phase = n.get("phase")
        nodes.append(
            NodeSpec(
                code=node_code,
                name_zh=str(n.get("name_zh") or node_code),
                name_en=str(n.get("name_en") or node_code),
                duration_days=_int(n.get("duration_days"), f"{path}.duration_days"),
                after=after,
                phase=None if phase is None else _int(phase, f"{path}.phase", minimum=1),
            )
        )
    for i, n in enumerate(nodes):
        for j, d in enumerate(n.after):
            if d.node not in seen:
                raise TemplateError(f"{code}.nodes[{i}].after[{j}]", f"unknown node {d.node!r}")
            if d.node == n.code:
                raise TemplateError(f"{code}.nodes[{i}].after[{j}]", "a node cannot follow itself")
    fast_track = str(raw.get("fast_track") or "none")
    if fast_track not in FAST_TRACKS:
        raise TemplateError(f"{code}.fast_track", f"must be one of {', '.join(FAST_TRACKS)}")
    confidence = str(raw.get("confidence") or "U")
    if confidence not in CONFIDENCE_TAGS:
        raise TemplateError(f"{code}.confidence", f"must be one of {', '.join(CONFIDENCE_TAGS)}")
    target = str(raw.get("target_node") or nodes[-1].code)
    if target not in seen:
        raise TemplateError(f"{code}.target_node", f"unknown node {target!r}")
    spec = TemplateSpec(
        code=code,
        project_type=str(raw.get("project_type") or ""),
        fast_track=fast_track,
        target_node=target,
        nodes=tuple(nodes),
        name_zh=str(raw.get("name_zh") or code),
        name_en=str(raw.get("name_en") or code),
        existing_land=bool(raw.get("existing_land", False)),
        confidence=confidence,
        source=str(raw.get("source") or ""),
    )
    if len(spec.topological_order) != len(nodes):
        raise TemplateError(f"{code}.nodes", f"the dependencies form a cycle through {_cycle(spec)}")
    return spec


def _cycle(spec: TemplateSpec) -> str:
    """One cycle of the graph, for the error message."""
    preds = {n.code: [d.node for d in n.after] for n in spec.nodes}
    placed = set(spec.topological_order)
    start = next(c for c in spec.codes if c not in placed)
    path, code = [start], start
    while True:
        code = next(p for p in preds[code] if p not in placed)
        if code in path:
            return " → ".join([*path[path.index(code) :], code][::-1])
        path.append(code)


def resolve_templates(raw_templates: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Apply ``extends`` (copy the parent's nodes, then ``remove``, ``override`` and ``add``) to every template."""
    raw_by_code = {str(t["code"]): t for t in raw_templates}
    resolved: dict[str, dict[str, Any]] = {}

    def resolve(code: str, trail: tuple[str, ...]) -> dict[str, Any]:
        if code in resolved:
            return resolved[code]
        if code in trail:
            raise TemplateError(f"{code}.extends", "inheritance cycle: " + " → ".join([*trail, code]))
        raw = raw_by_code.get(code)
        if raw is None:
            raise TemplateError(f"{trail[-1] if trail else code}.extends", f"unknown template {code!r}")
        parent_code = raw.get("extends")
        if not parent_code:
            out = copy.deepcopy(dict(raw))
        else:
            parent = resolve(str(parent_code), (*trail, code))
            nodes = [copy.deepcopy(n) for n in parent["nodes"]]
            removed = set(raw.get("remove") or ())
            unknown = removed - {n["code"] for n in nodes}
            if unknown:
                raise TemplateError(f"{code}.remove", f"unknown nodes {sorted(unknown)}")
            nodes = [n for n in nodes if n["code"] not in removed]
            by_code = {n["code"]: n for n in nodes}
            for node_code, fields in (raw.get("override") or {}).items():
                if node_code not in by_code:
                    raise TemplateError(f"{code}.override.{node_code}", "unknown node")
                by_code[node_code].update(copy.deepcopy(dict(fields)))
            for i, new in enumerate(raw.get("add") or ()):
                new = copy.deepcopy(dict(new))
                place_after = new.pop("place_after", None)
                if place_after is None:
                    nodes.append(new)
                    continue
                index = next((k for k, n in enumerate(nodes) if n["code"] == place_after), None)
                if index is None:
                    raise TemplateError(f"{code}.add[{i}].place_after", f"unknown node {place_after!r}")
                nodes.insert(index + 1, new)
            for n in nodes:  # a removed predecessor disappears from the lists that named it
                n["after"] = [
                    d for d in n.get("after") or () if (d if isinstance(d, str) else d.get("node")) not in removed
                ]
            out = {**{k: v for k, v in parent.items() if k != "nodes"}, **copy.deepcopy(dict(raw)), "nodes": nodes}
            for key in ("extends", "remove", "override", "add"):
                out.pop(key, None)
            out["extends"] = str(parent_code)
        resolved[code] = out
        return out

    return [resolve(code, ()) for code in raw_by_code]
