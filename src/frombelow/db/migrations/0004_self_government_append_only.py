"""Make the tables of acts append-only: ballots, decisions, terms, signatures, statements ..."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

from frombelow.db.append_only import allow_changes, make_append_only

# Rows that record an act once done. Rows whose state moves on (bodies, memberships, motions,
# elections, sessions, petitions) stay writable, and every change to them is in the record.
TABLES = tuple(
    f"frombelow_{name}"
    for name in (
        "statuteversion",
        "weightsnapshot",
        "bodyweight",
        "support",
        "vote",
        "elector",
        "ballot",
        "participation",
        "secretballot",
        "tally",
        "attendance",
        "delegationvote",
        "delegatecast",
        "delegation",
        "decision",
        "ratification",
        "ratified",
        "dissent",
        "optout",
        "implementation",
        "implementation_implementers",
        "progressreport",
        "charge",
        "reply",
        "candidacy",
        "term",
        "termend",
        "substitute",
        "mandate",
        "signature",
        "referendumparticipation",
        "referendumballot",
        "referendumresult",
        "statement",
        "hiding",
        "sanction",
        "appeal",
        "lifting",
    )
)


def forwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    for table in TABLES:
        make_append_only(schema_editor, table)


def backwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    for table in TABLES:
        allow_changes(schema_editor, table)


class Migration(migrations.Migration):
    dependencies = [("frombelow", "0003_self_government")]
    operations = [migrations.RunPython(forwards, backwards)]
