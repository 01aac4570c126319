"""Schema (PostgreSQL only): a GIN index on the character bigrams of the enterprise's Chinese name.

pg_trgm yields no trigram for a two-character term such as 精密, so a search for it cannot use the trigram index of
0006 and scans the names. ``enterprises_bigrams(name)`` returns every run of two characters of a name; the index
on ``enterprises_bigrams(name_zh)`` answers ``enterprises_bigrams(name_zh) @> ARRAY['精密']`` (see
``industria.enterprises.name_search``).

An expression index, not a column: PostgreSQL computes the bigrams for every existing row in the one CREATE INDEX
(set-based, no backfill loop) and keeps them current on every write of ``name_zh`` (ORM, imports' COPY, demo
seeding, raw SQL), so nothing in the application has to maintain them. SQLite needs nothing: it searches by
substring scan as before.
"""

from django.db import migrations

BIGRAM_FUNCTION = """
CREATE OR REPLACE FUNCTION enterprises_bigrams(name text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT ARRAY(SELECT substr(name, i, 2) FROM generate_series(1, char_length(name) - 1) AS i) $$
"""
BIGRAM_INDEX = (
    "CREATE INDEX IF NOT EXISTS enterprises_name_zh_bigram ON enterprises_enterprise "
    "USING gin (enterprises_bigrams(name_zh))"
)


def bigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(BIGRAM_FUNCTION)
        cursor.execute(BIGRAM_INDEX)
        # Statistics of the indexed expression (most common bigrams) let the planner judge each term.
        cursor.execute("ANALYZE enterprises_enterprise")


def drop_bigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("DROP INDEX IF EXISTS enterprises_name_zh_bigram")
            cursor.execute("DROP FUNCTION IF EXISTS enterprises_bigrams(text)")


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0006_reload_group_targets_and_search_indexes")]
    operations = [migrations.RunPython(bigram_index, drop_bigram_index)]
