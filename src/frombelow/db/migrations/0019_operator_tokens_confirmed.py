"""A token issued by the operator acts only once its user confirms it; those issued so far were
issued before the rule, and stay as they were: confirmed when made."""

from typing import Any

from django.db import migrations, models
from django.db.models import F


def confirm_existing(apps: Any, schema_editor: Any) -> None:
    apps.get_model("frombelow", "ApiToken").objects.update(confirmed_at=F("created_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("frombelow", "0018_notice_kind_charge"),
    ]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="by_operator",
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="confirmed_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(confirm_existing, migrations.RunPython.noop),
    ]
