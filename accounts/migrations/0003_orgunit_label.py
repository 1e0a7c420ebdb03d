from collections import Counter

from django.db import migrations, models


def fill_labels(apps, schema_editor):
    # A copy of accounts.services.unit_label: migrations must not follow later changes to app code.
    OrgUnit = apps.get_model("accounts", "OrgUnit")
    units = list(OrgUnit.objects.select_related("parent").only("pk", "name", "label", "parent__name"))
    counts = Counter(u.name for u in units)
    for u in units:
        repeats = counts[u.name] > 1 and u.parent is not None
        u.label = f"{u.parent.name} · {u.name}" if repeats else u.name
    OrgUnit.objects.bulk_update(units, ["label"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_login_lock_and_forced_password_change"),
    ]

    operations = [
        migrations.AddField(
            model_name="orgunit",
            name="label",
            field=models.CharField(blank=True, editable=False, max_length=210, verbose_name="display name"),
        ),
        migrations.RunPython(fill_labels, migrations.RunPython.noop),
    ]
