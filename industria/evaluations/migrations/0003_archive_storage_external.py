"""Archive parts are Parquet (already zstd-compressed): store them out of line without pglz (PostgreSQL only)."""

from django.db import migrations

COLUMNS = ("facts_parquet", "results_parquet")


def external(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name(apps.get_model("evaluations", "ResultArchive")._meta.db_table)
    for column in COLUMNS:
        schema_editor.execute(f"ALTER TABLE {table} ALTER COLUMN {column} SET STORAGE EXTERNAL")


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0002_load_builtin_rulesets")]

    operations = [migrations.RunPython(external, migrations.RunPython.noop)]
