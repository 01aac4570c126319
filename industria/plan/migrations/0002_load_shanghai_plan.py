"""Data: the Shanghai 2023-2025 manufacturing action plan from fixtures/reference/plan/ (idempotent loader)."""

from django.db import migrations
from django.utils import timezone


def forwards(apps, schema_editor):
    from industria.plan import reference

    reference.plan_reference_load(apps.get_model, reference.SHANGHAI_PLAN, now=timezone.now())


class Migration(migrations.Migration):
    dependencies = [
        ("plan", "0001_plan_indicators_targets_actuals_tasks"),
        ("enterprises", "0003_load_industry_reference"),
        ("accounts", "0003_load_districts_and_roles"),
    ]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
