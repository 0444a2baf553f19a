"""Store secret ballots in the order of their random keys, not in the order they were cast.

A SQLite table keeps a hidden `rowid` that grows with each insert and orders its storage: the n-th
secret ballot of a vote could be lined up with the n-th `vote.cast` entry, which names the voter
(docs/threat-model.md). A `WITHOUT ROWID` table has no such number and is stored in the order of
its primary key, a random UUID. SQLite cannot alter a table into one, so the table is rebuilt;
Django rebuilds a SQLite table to alter it, so a later migration that alters this table must
rebuild it `WITHOUT ROWID` again (the test of ballot secrecy checks that it is).

PostgreSQL has no such option: its heap keeps rows roughly in insertion order (`ctid`), which
`frombelow record mix-ballots` rewrites in key order (CLUSTER); see docs/threat-model.md.
"""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

from frombelow.db.append_only import allow_changes, make_append_only

TABLE = "frombelow_secretballot"
COLUMNS = '"id", "ranking", "vote_id", "tracker_hash", "version"'


def _create(table: str, without_rowid: bool) -> str:
    return (
        f'CREATE TABLE "{table}" ("id" char(32) NOT NULL PRIMARY KEY, '
        '"ranking" text NOT NULL CHECK ((JSON_VALID("ranking") OR "ranking" IS NULL)), '
        '"vote_id" bigint NOT NULL REFERENCES "frombelow_vote" ("id") '
        'DEFERRABLE INITIALLY DEFERRED, "tracker_hash" varchar(64) NOT NULL, '
        '"version" integer unsigned NOT NULL CHECK ("version" >= 0), '
        'CONSTRAINT "one_secret_ballot_per_version" UNIQUE ("vote_id", "tracker_hash", "version"))'
        + (" WITHOUT ROWID" if without_rowid else "")
    )


def _rebuild(schema_editor: BaseDatabaseSchemaEditor, without_rowid: bool) -> None:
    if schema_editor.connection.vendor != "sqlite":
        return
    allow_changes(schema_editor, TABLE)
    new = f"{TABLE}_new"
    schema_editor.execute(_create(new, without_rowid))
    # Copied in key order, so that even the new table's pages follow the random keys.
    schema_editor.execute(
        f'INSERT INTO "{new}" ({COLUMNS}) SELECT {COLUMNS} FROM "{TABLE}" ORDER BY "id"'
    )
    schema_editor.execute(f'DROP TABLE "{TABLE}"')
    schema_editor.execute(f'ALTER TABLE "{new}" RENAME TO "{TABLE}"')
    schema_editor.execute(
        f'CREATE INDEX "frombelow_secretballot_vote_id_f33e8f58" ON "{TABLE}" ("vote_id")'
    )
    make_append_only(schema_editor, TABLE)


def forwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    _rebuild(schema_editor, without_rowid=True)


def backwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    _rebuild(schema_editor, without_rowid=False)


class Migration(migrations.Migration):
    dependencies = [("frombelow", "0008_notices")]

    operations = [migrations.RunPython(forwards, backwards)]
