"""Storage for national scale, by database.

* Covering indexes for the dispatch statistics (the aggregates read only the index, not the wide rows):
  monthly reports by (year, month, project) with the amount, yearly plans by (year, project) with the amount,
  projects by id with district and industry group; and for the keys of deep list pages (``KeyProjectQuerySet``):
  projects by code and by (district, code), with the id.  SQLite has no covering indexes ("INCLUDE"); it gets the
  plain key indexes.  (Created here rather than in ``Meta.indexes`` because ``Index(include=…)`` raises a
  system-check warning on SQLite, the default database.)
* PostgreSQL: room in every page of projects_projectschedule (fillfactor 60), so re-scheduling, which rewrites
  every row, makes heap-only (HOT) updates without index writes.
"""

from django.db import migrations

INDEXES = [
    ("projects_report_period_idx", "projects_investmentreport", "year, month, project_id", "completed_investment_cny"),
    ("projects_plan_year_idx", "projects_projectyearplan", "year, project_id", "planned_investment_cny"),
    ("projects_kp_slices_idx", "projects_keyproject", "id", "district_id, industry_group_id"),
    ("projects_kp_code_keys_idx", "projects_keyproject", "code", "id"),
    ("projects_kp_district_keys_idx", "projects_keyproject", "district_id, code", "id"),
]
POSTGRESQL_ONLY = {"projects_kp_slices_idx", "projects_kp_code_keys_idx", "projects_kp_district_keys_idx"}


def forwards(apps, schema_editor):
    postgresql = schema_editor.connection.vendor == "postgresql"
    for name, table, keys, included in INDEXES:
        if postgresql:
            schema_editor.execute(f"CREATE INDEX {name} ON {table} ({keys}) INCLUDE ({included})")
        elif name not in POSTGRESQL_ONLY:
            schema_editor.execute(f"CREATE INDEX {name} ON {table} ({keys})")
    if postgresql:
        schema_editor.execute("ALTER TABLE projects_projectschedule SET (fillfactor = 60)")


def backwards(apps, schema_editor):
    for name, *_ in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE projects_projectschedule RESET (fillfactor)")


class Migration(migrations.Migration):
    dependencies = [("projects", "0002_load_reference")]
    operations = [migrations.RunPython(forwards, backwards)]
