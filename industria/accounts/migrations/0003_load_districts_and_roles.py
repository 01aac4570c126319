"""Data: the 16 districts (fixtures/reference/districts.yaml) and one group per role (accounts.roles)."""

from django.db import migrations

ROLE_CODES = [
    "municipal_admin",
    "municipal_analyst",
    "district_officer",
    "programme_manager",
    "enterprise_user",
    "auditor",
]


def forwards(apps, schema_editor):
    from industria.accounts.reference import districts_load

    districts_load(apps.get_model("accounts", "District"))
    group = apps.get_model("auth", "Group")
    for code in ROLE_CODES:
        group.objects.get_or_create(name=code)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_user_scope_links"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
