"""Data: the 16 districts (fixtures/reference/districts.yaml) and one group per role (accounts.roles)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from industria.accounts.reference import districts_load, roles_load

    districts_load(apps.get_model("accounts", "District"))
    roles_load(apps.get_model("auth", "Group"))


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_user_scope_links"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
