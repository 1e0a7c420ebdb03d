"""Index-backed "similar cases" on PostgreSQL; nothing on SQLite (the lookup falls back to Python there).

minqing_grams() turns a title into its character bigrams as words, exactly
like core.textsim.grams(), so pg_trgm can compare Chinese texts. The
GiST index on (category, minqing_grams(title)) serves the similar-cases
lookup, alike titles within one category, best first: GiST answers the
"nearest first" ORDER BY (<->) and stops after the few rows asked for, where
a GIN index must fetch and score every candidate (measured on 1,000,000
titles: GiST 30–60 ms, GIN 110–870 ms). It lives on the cases table and was
made here, where the lookup first lived; cases.projects.similar queries it now.
"""

from django.contrib.postgres.operations import BtreeGistExtension, TrigramExtension
from django.db import migrations

FUNCTION = r"""
CREATE OR REPLACE FUNCTION minqing_grams(t text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT regexp_replace(s, '(..)', '\1 ', 'g') || ' ' || regexp_replace(substr(s, 2), '(..)', '\1 ', 'g')
  FROM (SELECT regexp_replace(lower(t), '[^[:alnum:]]+', '', 'g') AS s) AS normalized
$$;
"""

FORWARD = [
    FUNCTION,
    # Similar cases: alike titles of one category, nearest first (cases.projects.similar).
    "CREATE INDEX IF NOT EXISTS dash_case_category_grams ON cases_case "
    "USING gist (category_id, minqing_grams(title) gist_trgm_ops(siglen=128));",
    # Today's live figures: replies approved today (avg_handle_hours).
    "CREATE INDEX IF NOT EXISTS dash_dispatch_approved ON cases_dispatch (approved_at) "
    "WHERE approved_at IS NOT NULL;",
]
BACKWARD = [
    "DROP INDEX IF EXISTS dash_dispatch_approved;",
    "DROP INDEX IF EXISTS dash_case_category_grams;",
    "DROP FUNCTION IF EXISTS minqing_grams(text);",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for sql in statements:
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("dashboards", "0001_rollups_hotspots_exports"),
        ("cases", "0002_case_lifecycle"),
    ]

    operations = [
        # Both skip themselves on databases other than PostgreSQL.
        TrigramExtension(),
        BtreeGistExtension(),
        migrations.RunPython(_run(FORWARD), _run(BACKWARD), elidable=False),
    ]
