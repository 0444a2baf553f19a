"""Make the record append-only in the database itself."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

from frombelow.db.append_only import allow_changes, make_append_only

TABLES = ("frombelow_recordentry",)


def forwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    for table in TABLES:
        make_append_only(schema_editor, table)
    # The head row exists from the start, so that writers only ever lock it, never race to create it.
    apps.get_model("frombelow", "RecordHead").objects.using(schema_editor.connection.alias).create(
        pk=1, size=0
    )


def backwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    for table in TABLES:
        allow_changes(schema_editor, table)


class Migration(migrations.Migration):
    dependencies = [("frombelow", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
