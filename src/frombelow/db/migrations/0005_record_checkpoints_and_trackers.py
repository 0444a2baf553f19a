"""Signed checkpoints, the record head's Merkle frontier, and trackers on secret ballots."""

import hashlib

from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

from frombelow.db.append_only import allow_changes, make_append_only

SECRET_BALLOTS = "frombelow_secretballot"
CHECKPOINTS = "frombelow_checkpoint"


def _frontier(leaves: list[bytes]) -> bytes:
    """Return the Merkle frontier of the leaves, as core `MerkleLog` keeps it, concatenated."""
    from frombelow.core.record.merkle import MerkleLog

    log = MerkleLog()
    log.extend(leaves)
    return b"".join(log.frontier)


def fill(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    alias = schema_editor.connection.alias
    entries = apps.get_model("frombelow", "RecordEntry").objects.using(alias).order_by("seq")
    leaves = [bytes(h) for h in entries.values_list("leaf_hash", flat=True)]
    apps.get_model("frombelow", "RecordHead").objects.using(alias).filter(pk=1).update(
        frontier=_frontier(leaves)
    )
    # Ballots cast before trackers existed get a tracker hash no one holds (that of their random
    # key), so that each still counts once. The triggers are lifted for this one fill.
    allow_changes(schema_editor, SECRET_BALLOTS)
    ballots = apps.get_model("frombelow", "SecretBallot").objects.using(alias)
    for ballot_id in ballots.filter(tracker_hash="").values_list("id", flat=True):
        ballots.filter(id=ballot_id).update(
            tracker_hash=hashlib.sha256(ballot_id.bytes).hexdigest()
        )


def protect(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    # Put the triggers back on the ballots (SQLite rebuilt the table, which drops its triggers)
    # and put them on the checkpoints.
    for table in (SECRET_BALLOTS, CHECKPOINTS):
        allow_changes(schema_editor, table)
        make_append_only(schema_editor, table)


def unprotect(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    allow_changes(schema_editor, CHECKPOINTS)


class Migration(migrations.Migration):
    dependencies = [("frombelow", "0004_self_government_append_only")]

    operations = [
        migrations.CreateModel(
            name="Checkpoint",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("size", models.PositiveBigIntegerField(unique=True)),
                ("root", models.BinaryField(max_length=32)),
                ("note", models.TextField()),
                ("signed_at", models.DateTimeField()),
            ],
            options={"ordering": ("size",)},
        ),
        migrations.AddField(
            model_name="recordhead",
            name="frontier",
            field=models.BinaryField(default=b""),
        ),
        migrations.AlterModelOptions(
            name="secretballot",
            options={"ordering": ("vote", "tracker_hash", "version")},
        ),
        migrations.AddField(
            model_name="secretballot",
            name="tracker_hash",
            field=models.CharField(default="", max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="secretballot",
            name="version",
            field=models.PositiveIntegerField(default=1),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="secretballot",
            constraint=models.UniqueConstraint(
                fields=("vote", "tracker_hash", "version"), name="one_secret_ballot_per_version"
            ),
        ),
        migrations.RunPython(protect, unprotect),
    ]
