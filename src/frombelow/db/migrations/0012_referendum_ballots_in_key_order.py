"""Store referendum ballots in the order of their random keys, as 0009 does for secret ballots.

A referendum ballot names no voter, but a SQLite table's hidden `rowid` numbers its rows in the
order of casting, which the referendum's participations and `referendum.cast` entries keep too
(docs/threat-model.md). The table is rebuilt `WITHOUT ROWID`, from its own statement in the
schema, its rows copied in key order; its indexes and append-only triggers are made again.
"""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

from frombelow.db.append_only import allow_changes, make_append_only

TABLE = "frombelow_referendumballot"
SUFFIX = " WITHOUT ROWID"


def _rebuild(schema_editor: BaseDatabaseSchemaEditor, without_rowid: bool) -> None:
    if schema_editor.connection.vendor != "sqlite":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = %s", [TABLE])
        create = cursor.fetchone()[0].removesuffix(SUFFIX)
        cursor.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
            "AND sql IS NOT NULL",
            [TABLE],
        )
        indexes = [row[0] for row in cursor.fetchall()]
    allow_changes(schema_editor, TABLE)
    new = f"{TABLE}_new"
    schema_editor.execute(
        create.replace(f'"{TABLE}"', f'"{new}"', 1) + (SUFFIX if without_rowid else "")
    )
    schema_editor.execute(f'INSERT INTO "{new}" SELECT * FROM "{TABLE}" ORDER BY "id"')
    schema_editor.execute(f'DROP TABLE "{TABLE}"')
    schema_editor.execute(f'ALTER TABLE "{new}" RENAME TO "{TABLE}"')
    for index in indexes:
        schema_editor.execute(index)
    make_append_only(schema_editor, TABLE)


def forwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    _rebuild(schema_editor, without_rowid=True)


def backwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    _rebuild(schema_editor, without_rowid=False)


class Migration(migrations.Migration):
    dependencies = [("frombelow", "0011_referendum_tally")]

    operations = [migrations.RunPython(forwards, backwards)]
