"""Loading of the registry's reference data from fixtures/reference/ (idempotent; usable from data migrations).

Functions take the model classes as arguments so a data migration can pass its historical models.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

REFERENCE_DIR = Path(__file__).resolve().parents[2] / "fixtures" / "reference"
INDUSTRY_DIR = REFERENCE_DIR / "industry"


def read_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _upsert(model: Any, lookup: dict[str, Any], values: dict[str, Any]) -> Any:
    """Create or update; values for fields the (possibly historical) model lacks are skipped."""
    names = {f.name for f in model._meta.get_fields()}
    values = {k: v for k, v in values.items() if k in names}
    obj, created = model.objects.get_or_create(**lookup, defaults=values)
    if not created and any(getattr(obj, k) != v for k, v in values.items()):
        for k, v in values.items():
            setattr(obj, k, v)
        obj.save()
    return obj


def industry_categories_load(category_model: Any) -> int:
    """GB/T 4754-2017 sections, divisions and the groups/classes the default mapping refers to."""
    data = read_yaml(INDUSTRY_DIR / "gbt4754-2017-manufacturing.yaml")
    division_section: dict[str, str] = {}
    rows = []
    for section in data["sections"]:
        rows.append({"code": section["code"], "level": "section", "section": section["code"], **_names(section)})
    for division in data["divisions"]:
        division_section[division["code"]] = division["section"]
        rows.append({"code": division["code"], "level": "division", "section": division["section"], **_names(division)})
    for item in data.get("classes", []):
        rows.append(
            {
                "code": item["code"],
                "level": item["level"],
                "section": division_section[item["division"]],
                **_names(item),
            }
        )
    for row in rows:
        code = row.pop("code")
        _upsert(category_model, {"code": code}, row)
    return len(rows)


def _names(item: dict[str, Any]) -> dict[str, Any]:
    return {"name_zh": item["name_zh"], "name_en": item.get("name_en", ""), "confidence": item.get("confidence", "M")}


def industrial_system_load(system_model: Any, group_model: Any) -> int:
    """The "2+(3+6)+(4+5)" system as a versioned tree of groups with their published plan targets."""
    data = read_yaml(INDUSTRY_DIR / "shanghai-industrial-system-2023.yaml")
    source = data["source"]
    system = _upsert(
        system_model,
        {"code": data["code"], "version": str(data["version"])},
        {
            "name_zh": source["document_zh"],
            "name_en": source["document_en"],
            "valid_from": data["valid_from"],
            "valid_to": data.get("valid_to"),
            "source": source,
            "is_current": True,
        },
    )
    count = 0
    order = 0

    def add(item: dict[str, Any], parent: Any) -> None:
        nonlocal count, order
        order += 1
        targets = item.get("plan_targets") or [{}]
        target = next((t for t in targets if t.get("unit") == "CNY"), targets[0])  # the scale target first
        values = {
            "kind": item["kind"],
            "parent": parent,
            "name_zh": item["name_zh"],
            "name_en": item.get("name_en", ""),
            "target_value": Decimal(str(target["value"])) if target.get("value") is not None else None,
            "target_unit": target.get("unit", ""),
            "target_year": target.get("year"),
            "target_measure": target.get("indicator", ""),
            "target_confidence": target.get("confidence", ""),
            "target_source": target.get("source", ""),
            "sort_order": order,
        }
        group = _upsert(group_model, {"system": system, "code": item["code"]}, values)
        count += 1
        for child in item.get("children", []):
            add(child, group)

    for layer in data["layers"]:
        for item in layer["groups"]:
            add(item, None)
    return count


def industry_mapping_load(system_model: Any, group_model: Any, mapping_model: Any) -> int:
    """The default mapping (editable afterwards): rules are created when missing, never overwritten."""
    data = read_yaml(INDUSTRY_DIR / "default-industry-mapping.yaml")
    system = system_model.objects.filter(is_current=True).order_by("-valid_from").first()
    groups = {g.code: g for g in group_model.objects.filter(system=system)}
    count = 0
    for rule in data["rules"]:
        _obj, created = mapping_model.objects.get_or_create(
            industry_code=str(rule["industry_code"]),
            group=groups[rule["group_code"]],
            defaults={
                "weight": Decimal(str(rule.get("weight", 1))),
                "primary": bool(rule.get("primary", False)),
                "exact": bool(rule.get("exact", False)),
                "rationale": rule.get("rationale", ""),
            },
        )
        count += int(created)
    return count


def size_rules_load(size_rule_model: Any) -> int:
    data = read_yaml(REFERENCE_DIR / "size-rules.yaml")
    for rule in data["rules"]:
        _upsert(
            size_rule_model,
            {"effective_from_year": rule["effective_from_year"]},
            {
                "main_revenue_threshold_cny": Decimal(str(rule["main_revenue_threshold_cny"])),
                "source": rule["source"],
                "confidence": rule["confidence"],
            },
        )
    return len(data["rules"])
