"""Keep the visibility map of cases and dispatches fresh, on PostgreSQL.

The lists count a township's, a unit's or a queue's cases from indexes alone
(index-only scans), which read the table only for pages not marked
all-visible. Autovacuum's defaults wait for a fifth of a table to change: at a
million cases, 200,000 inserts or updates, so the pages of the recent cases,
the ones every list counts, would stay unmarked for months and each count would
read them one by one. These settings vacuum after about 1 % of inserts and 2 %
of changed rows, which on tables of this size reads only the changed pages.
"""

from django.db import migrations

TABLES = ("cases_case", "cases_dispatch")
SETTINGS = {
    "autovacuum_vacuum_insert_scale_factor": "0.01",
    "autovacuum_vacuum_scale_factor": "0.02",
    "autovacuum_analyze_scale_factor": "0.02",
}


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        options = ", ".join(f"{name} = {value}" for name, value in SETTINGS.items())
        for table in TABLES:
            schema_editor.execute(f"ALTER TABLE {table} SET ({options})")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for table in TABLES:
            schema_editor.execute(f"ALTER TABLE {table} RESET ({', '.join(SETTINGS)})")


class Migration(migrations.Migration):
    dependencies = [("cases", "0019_dispatch_unit_case")]
    operations = [migrations.RunPython(forwards, backwards)]
