"""A draft's supporters sign one edition of its text: an edit starts a new edition, and those who
supported the last one support again if they still do (issue 11).

The supports table is append-only. SQLite rebuilds a table to change its constraints, and the
rebuilt table has none of the old one's triggers, so they are taken off before and put back after
(on PostgreSQL the changes below are DDL, which the row triggers do not see).
"""

from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

from frombelow.db.append_only import allow_changes, make_append_only

TABLE = "frombelow_support"


def _unguard(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    allow_changes(schema_editor, TABLE)


def _guard(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    make_append_only(schema_editor, TABLE)


class Migration(migrations.Migration):
    dependencies = [("frombelow", "0016_foundings_and_membership_applications")]

    operations = [
        migrations.RunPython(_unguard, _guard),
        migrations.AddField(
            model_name="motion",
            name="edition",
            field=models.PositiveIntegerField(default=1),
        ),
        migrations.AddField(
            model_name="support",
            name="edition",
            field=models.PositiveIntegerField(default=1),
        ),
        migrations.RemoveConstraint(model_name="support", name="one_support_per_member"),
        migrations.AddConstraint(
            model_name="support",
            constraint=models.UniqueConstraint(
                fields=("motion", "member", "edition"), name="one_support_per_member_and_edition"
            ),
        ),
        migrations.RunPython(_guard, _unguard),
    ]
