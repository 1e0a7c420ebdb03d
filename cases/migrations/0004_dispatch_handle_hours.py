"""Dispatch.handle_hours: working hours from dispatch to the accepted reply, stored at approval.

Replies approved before this migration get theirs computed here, on the same
calendar, so the dashboards can sum the column for any period.
"""

from django.db import migrations, models

BATCH = 2000


def backfill(apps, schema_editor):
    from core import workdays

    Dispatch = apps.get_model("cases", "Dispatch")
    approved = Dispatch.objects.filter(approved_at__isnull=False, handle_hours__isnull=True).order_by("pk")
    batch = []
    for d in approved.only("pk", "dispatched_at", "replied_at", "approved_at").iterator(chunk_size=BATCH):
        d.handle_hours = workdays.working_hours_between(d.dispatched_at, d.replied_at or d.approved_at)
        batch.append(d)
        if len(batch) == BATCH:
            Dispatch.objects.bulk_update(batch, ["handle_hours"])
            batch = []
    Dispatch.objects.bulk_update(batch, ["handle_hours"])


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0003_dispatch_ended_and_extension_withdrawn"),
        ("core", "0001_workday_overrides"),
    ]

    operations = [
        migrations.AddField(
            model_name="dispatch",
            name="handle_hours",
            field=models.FloatField(blank=True, editable=False, null=True, verbose_name="working hours to reply"),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True),
    ]
