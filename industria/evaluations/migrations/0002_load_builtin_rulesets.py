"""Load the built-in rule sets (fixtures/reference/rulesets/*.yaml) as active versions; idempotent."""

from django.db import migrations


def load(apps, schema_editor):  # type: ignore[no-untyped-def]
    from django.utils import timezone

    from industria.evaluations import rulesets

    RuleSet = apps.get_model("evaluations", "RuleSet")
    now = timezone.now()
    for code in rulesets.builtin_codes():
        document = rulesets.builtin_document(code)
        _engine, rules = rulesets.parse(document)
        if RuleSet.objects.filter(code=rules.code, version=rules.version).exists():
            continue
        title = document.get("title") or {}
        source = document.get("source") or {}
        active = RuleSet.objects.filter(code=rules.code, status="active").exists()
        RuleSet.objects.create(
            code=rules.code,
            version=rules.version,
            programme=rules.programme,
            engine=rules.engine,
            title_zh=str(title.get("zh") or "")[:200],
            title_en=str(title.get("en") or "")[:300],
            status="draft" if active else "active",
            effective_from=rules.effective_from,
            effective_to=rules.effective_to,
            document_no=(rules.document_no or "")[:200],
            source_tag=rules.source.tag,
            source_note=str(source.get("note") or ""),
            parameters=document,
            builtin=True,
            created_at=now,
            updated_at=now,
        )


def unload(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("evaluations", "RuleSet").objects.filter(builtin=True, rounds__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
