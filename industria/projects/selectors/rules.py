"""The monitoring rule set in force and the node templates as engine specs (cached per version)."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any

import polars as pl

from industria.engines.scheduling import MonitoringRules, TemplateSpec, parse_monitoring_rules, parse_template
from industria.projects.choices import RuleSetStatus
from industria.projects.models import NodeTemplate, NodeTemplateItem, ProjectRuleSet


def ruleset_active(*, as_of: dt.date) -> ProjectRuleSet:
    """The newest active monitoring rule set in force on ``as_of`` (the earliest one before any is)."""
    active = ProjectRuleSet.objects.filter(status=RuleSetStatus.ACTIVE)
    ruleset = active.filter(effective_from__lte=as_of).order_by("-effective_from", "-id").first()
    return ruleset or active.order_by("effective_from", "id").first() or _missing()


def _missing() -> ProjectRuleSet:
    raise ProjectRuleSet.DoesNotExist("no active monitoring rule set (run the migrations)")


@lru_cache(maxsize=16)
def _parsed(ruleset_id: int, updated_at: Any) -> MonitoringRules:
    return parse_monitoring_rules(ProjectRuleSet.objects.get(pk=ruleset_id).parameters)


def rules_active(*, as_of: dt.date) -> MonitoringRules:
    """The parsed monitoring rules in force on ``as_of``."""
    ruleset = ruleset_active(as_of=as_of)
    return _parsed(ruleset.pk, ruleset.updated_at)


def template_spec(template: NodeTemplate) -> TemplateSpec:
    """A template (and its nodes) as the engine's validated spec."""
    return _spec(template.pk, template.version, template.updated_at)


@lru_cache(maxsize=64)
def _spec(template_id: int, version: int, updated_at: Any) -> TemplateSpec:
    template = NodeTemplate.objects.get(pk=template_id)
    items = NodeTemplateItem.objects.filter(template_id=template_id).order_by("seq")
    return parse_template(
        {
            "code": template.code,
            "project_type": template.project_type,
            "fast_track": template.fast_track,
            "target_node": template.target_node,
            "existing_land": template.existing_land,
            "name_zh": template.name_zh,
            "name_en": template.name_en,
            "confidence": template.confidence,
            "source": template.source,
            "nodes": [
                {
                    "code": i.code,
                    "name_zh": i.name_zh,
                    "name_en": i.name_en,
                    "duration_days": i.duration_days,
                    "after": i.predecessors,
                    "phase": i.phase,
                }
                for i in items
            ],
        }
    )


def template_specs(templates: list[NodeTemplate] | None = None) -> dict[str, TemplateSpec]:
    """Engine specs of the given templates (default: every template), by code."""
    rows = templates if templates is not None else list(NodeTemplate.objects.all())
    return {t.code: template_spec(t) for t in rows}


def template_codes(template_code: str) -> list[str]:
    """The node codes of a template in order (the order of the schedule and baseline arrays)."""
    template = NodeTemplate.objects.filter(code=template_code).first()
    if template is None:
        return []
    return list(template_spec(template).codes)


def node_codes_frame() -> pl.DataFrame:
    """(template_code, seq, node_code) of every template: maps the schedule arrays back to node codes."""
    rows = NodeTemplateItem.objects.values_list("template__code", "seq", "code").order_by("template__code", "seq")
    return pl.DataFrame(
        list(rows), schema={"template_code": pl.String, "seq": pl.Int64, "node_code": pl.String}, orient="row"
    )


def node_names(template: NodeTemplate | None) -> dict[str, str]:
    """Node code → name in the active language."""
    if template is None:
        return {}
    return {i.code: i.name for i in template.items.all()}
