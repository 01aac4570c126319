"""Data: node templates and the monitoring rule set from fixtures/reference/projects/, and the municipal
departments the blocker routes name (idempotent loaders in industria.projects.reference)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from industria.projects import reference

    reference.templates_load(apps.get_model("projects", "NodeTemplate"), apps.get_model("projects", "NodeTemplateItem"))
    reference.rules_load(apps.get_model("projects", "ProjectRuleSet"), apps.get_model("accounts", "Department"))


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0001_key_projects_schedules_monitoring"),
        ("accounts", "0003_load_districts_and_roles"),
    ]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
