"""Data: reload the groups' plan targets with their units; on PostgreSQL, trigram indexes for name search.

The trigram indexes need the pg_trgm extension; where the database user may not create it, search still works
(sequential scan) and the migration says so instead of failing.
"""

from django.db import migrations

TRIGRAM_INDEXES = [
    "CREATE INDEX IF NOT EXISTS enterprises_name_zh_trgm ON enterprises_enterprise USING gin (UPPER(name_zh) gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS enterprises_name_en_trgm ON enterprises_enterprise USING gin (UPPER(name_en) gin_trgm_ops)",
]


def reload_targets(apps, schema_editor):
    from industria.enterprises import reference

    reference.industrial_system_load(
        apps.get_model("enterprises", "IndustrySystem"), apps.get_model("enterprises", "IndustryGroup")
    )


def trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        if cursor.fetchone() is None:
            try:
                cursor.execute("SAVEPOINT trgm")
                cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
                cursor.execute("RELEASE SAVEPOINT trgm")
            except Exception:  # no privilege: keep going without the indexes
                cursor.execute("ROLLBACK TO SAVEPOINT trgm")
                print("  pg_trgm is not available: name search will scan; ask the DBA for CREATE EXTENSION pg_trgm")
                return
        for sql in TRIGRAM_INDEXES:
            cursor.execute(sql)


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("DROP INDEX IF EXISTS enterprises_name_zh_trgm")
            cursor.execute("DROP INDEX IF EXISTS enterprises_name_en_trgm")


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0005_yearfact_size_index_covers_enterprise")]
    operations = [
        migrations.RunPython(reload_targets, migrations.RunPython.noop),
        migrations.RunPython(trigram_indexes, drop_trigram_indexes),
    ]
