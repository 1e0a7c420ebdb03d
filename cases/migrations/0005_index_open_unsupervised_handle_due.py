"""An index for the sweep's automatic supervision: the handle deadlines of open cases not supervised yet."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0004_dispatch_handle_hours"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(models.Q(("status", "closed"), _negated=True), ("supervised", False)),
                fields=["handle_due"],
                name="case_open_unsupervised_handle",
            ),
        ),
    ]
