"""A candidate's statement, and a candidacy's withdrawal while nominations are open (issue 11)."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

from frombelow.db.append_only import allow_changes, make_append_only


def lift(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    # SQLite adds a column with a default by copying the table, which would lose its triggers.
    allow_changes(schema_editor, "frombelow_candidacy")


def guard(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    make_append_only(schema_editor, "frombelow_candidacy")
    make_append_only(schema_editor, "frombelow_withdrawal")


def unguard(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    allow_changes(schema_editor, "frombelow_candidacy")
    allow_changes(schema_editor, "frombelow_withdrawal")


def reguard(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    make_append_only(schema_editor, "frombelow_candidacy")


class Migration(migrations.Migration):
    dependencies = [
        ("frombelow", "0013_member_language_and_invitations"),
    ]

    operations = [
        migrations.RunPython(lift, reguard),
        migrations.AddField(
            model_name="candidacy",
            name="statement",
            field=models.TextField(blank=True, db_default="", default=""),
        ),
        migrations.CreateModel(
            name="Withdrawal",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("withdrawn_at", models.DateTimeField()),
                (
                    "candidacy",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="withdrawal",
                        to="frombelow.candidacy",
                    ),
                ),
            ],
        ),
        migrations.RunPython(guard, unguard),
    ]
