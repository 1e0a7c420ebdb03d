"""The care notices' watermarks, and on PostgreSQL one partial index per rule holding only the key records whose
due date has not been told yet: an hourly sweep that finds nothing new reads nothing. The predicate is the one
households.care writes (the planner uses a partial index only for a query that states its condition)."""

from django.db import migrations, models


RULES = ("soon", "overdue")


def _create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for rule in RULES:
        schema_editor.execute(
            f"CREATE INDEX household_care_{rule}_todo ON households_household (next_visit_due) "
            f"WHERE status = 'active' AND interval_days IS NOT NULL "
            f"AND care_{rule}_told_for IS DISTINCT FROM next_visit_due"
        )


def _drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for rule in RULES:
        schema_editor.execute(f"DROP INDEX IF EXISTS household_care_{rule}_todo")


class Migration(migrations.Migration):
    dependencies = [
        ("households", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="household",
            name="care_overdue_told_for",
            field=models.DateField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="household",
            name="care_soon_told_for",
            field=models.DateField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(_create_indexes, _drop_indexes, elidable=False),
    ]
