"""Data: GB/T 4754-2017 codes, the Shanghai 2023 industrial system, the default mapping, size thresholds."""

from django.db import migrations


def forwards(apps, schema_editor):
    from industria.enterprises import reference

    get = apps.get_model
    reference.industry_categories_load(get("enterprises", "IndustryCategory"))
    reference.industrial_system_load(get("enterprises", "IndustrySystem"), get("enterprises", "IndustryGroup"))
    reference.industry_mapping_load(
        get("enterprises", "IndustrySystem"), get("enterprises", "IndustryGroup"), get("enterprises", "IndustryMapping")
    )
    reference.size_rules_load(get("enterprises", "SizeRule"))


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0002_registry_taxonomy_facts_tiers")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
