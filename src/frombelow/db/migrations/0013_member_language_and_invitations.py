"""A member's chosen language, and their invitation while it waits to be sent (services/invites)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("frombelow", "0012_referendum_ballots_in_key_order"),
    ]

    operations = [
        migrations.AddField(
            model_name="member",
            name="invitation_due",
            field=models.DateTimeField(blank=True, db_index=True, null=True),
        ),
        migrations.AddField(
            model_name="member",
            name="invitation_language",
            field=models.CharField(blank=True, db_default="", default="", max_length=10),
        ),
        migrations.AddField(
            model_name="member",
            name="invitation_taken",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="member",
            name="language",
            field=models.CharField(
                blank=True,
                choices=[("en", "English"), ("es", "Español")],
                db_default="",
                default="",
                max_length=10,
            ),
        ),
    ]
