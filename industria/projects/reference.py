"""Reference data of the projects app from fixtures/reference/projects/: stages, node templates, monitoring rules.

Loaders are idempotent and take model classes as arguments so data migrations can call them with historical
models.  (Not in the standard app anatomy: the counterpart of ``accounts.reference`` and ``plan.reference``.)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.utils.translation import get_language

from industria.engines.scheduling import parse_monitoring_rules, parse_template, resolve_templates

REFERENCE_DIR = Path(__file__).resolve().parents[2] / "fixtures" / "reference" / "projects"


def _yaml(name: str) -> dict[str, Any]:
    return yaml.safe_load((REFERENCE_DIR / name).read_text(encoding="utf-8"))


@dataclass(frozen=True)
class EvidenceField:
    """A piece of evidence a stage transition asks for."""

    field: str
    kind: str  # date | text | money | number
    required: bool
    name_zh: str
    name_en: str

    @property
    def label(self) -> str:
        return self.name_en if (get_language() or "").startswith("en") else self.name_zh


@dataclass(frozen=True)
class StageDefinition:
    """A stage and the evidence its transition requires (fixtures/reference/projects/stages.yaml)."""

    code: str
    order: int | None
    name_zh: str
    name_en: str
    date_field: str
    evidence: tuple[EvidenceField, ...]
    completes_nodes: tuple[str, ...]
    confidence: str
    source: str

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "").startswith("en") else self.name_zh


@cache
def stage_definitions() -> dict[str, StageDefinition]:
    """Every stage by code (cached: the file is versioned with the code)."""
    out = {}
    for raw in _yaml("stages.yaml")["stages"]:
        out[raw["code"]] = StageDefinition(
            code=raw["code"],
            order=raw["order"],
            name_zh=raw["name_zh"],
            name_en=raw["name_en"],
            date_field=raw["date_field"],
            evidence=tuple(EvidenceField(**e) for e in raw.get("evidence", ())),
            completes_nodes=tuple(raw.get("completes_nodes", ())),
            confidence=raw.get("confidence", "M"),
            source=str(raw.get("source", "")),
        )
    return out


def template_rows() -> list[dict[str, Any]]:
    """The templates of node-templates.yaml with inheritance resolved and validated by the engine."""
    data = _yaml("node-templates.yaml")
    resolved = resolve_templates(data["templates"])
    for raw in resolved:
        parse_template(raw)  # fails loudly with the field path
    return resolved


def templates_load(template_model: Any, item_model: Any) -> int:
    """Create missing templates (and their nodes) from the reference file; existing ones are left as they are
    (a template edited in the application keeps its edits).  Returns how many templates were created."""
    created = 0
    for raw in template_rows():
        if template_model.objects.filter(code=raw["code"]).exists():
            continue
        template = template_model.objects.create(
            code=raw["code"],
            version=1,
            name_zh=raw.get("name_zh", raw["code"]),
            name_en=raw.get("name_en", ""),
            project_type=raw["project_type"],
            fast_track=raw.get("fast_track", "none"),
            target_node=raw.get("target_node") or raw["nodes"][-1]["code"],
            existing_land=bool(raw.get("existing_land", False)),
            confidence=raw.get("confidence", "U"),
            source=str(raw.get("source", "")).strip(),
            is_active=True,
        )
        for seq, node in enumerate(raw["nodes"]):
            item_model.objects.create(
                template=template,
                code=node["code"],
                seq=seq,
                name_zh=node.get("name_zh", node["code"]),
                name_en=node.get("name_en", ""),
                duration_days=node["duration_days"],
                predecessors=list(node.get("after") or []),
                phase=node.get("phase"),
            )
        created += 1
    return created


def rules_document() -> dict[str, Any]:
    """The reference monitoring rule set (validated)."""
    data = _yaml("rules.yaml")
    parse_monitoring_rules(data["parameters"])
    return data


def rules_load(ruleset_model: Any, department_model: Any) -> int:
    """Create the reference rule set as active (if absent) and the municipal departments its blocker routes
    name.  Returns the number of rows created."""
    data = rules_document()
    created = 0
    if not ruleset_model.objects.filter(code=data["code"], version=data["version"]).exists():
        ruleset_model.objects.create(
            code=data["code"],
            version=data["version"],
            effective_from=dt.date.fromisoformat(str(data["effective_from"])),
            status="active",
            source=str(data.get("source", "")).strip(),
            parameters=data["parameters"],
        )
        created += 1
    for route in data["parameters"]["blockers"].values():
        _, made = department_model.objects.get_or_create(
            name_zh=route["department_zh"], district=None, defaults={"name_en": route.get("department_en", "")}
        )
        created += int(made)
    return created
