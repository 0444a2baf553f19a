"""Rewrite the storage of secret and referendum ballots in the order of their random keys
(docs/threat-model.md).

Rows are stored roughly in the order they were inserted, and the record's cast entries, which
name the voters, are in the order of casting; whoever reads the raw database files could line the
two up. SQLite stores the ballot tables `WITHOUT ROWID`, in the order of their random keys, from
the start (migrations 0009 and 0012); `VACUUM` also rewrites the file so that freed pages keep
nothing. PostgreSQL keeps each table's rows in a heap in insertion order (`ctid`), each with the
id of the transaction that wrote it (`xmin`), which is its voter's participation's too: an update
of every row gives them all one transaction id, and `CLUSTER` then rewrites the table in the order
of its primary key, a random UUID. Neither removes what the write-ahead log, replicas or backups
taken before still hold.
"""

from __future__ import annotations

from django.db import connection, transaction

from frombelow.db.models import ReferendumBallot, ReferendumTally, SecretBallot

BALLOT_TABLES = (SecretBallot._meta.db_table, ReferendumBallot._meta.db_table)


def mix_secret_ballots() -> str:
    """Rewrite the tables of ballots that name no voter in the order of their random keys; say
    what was done."""
    if connection.vendor == "postgresql":
        with transaction.atomic(), connection.cursor() as cursor:
            # Checks deferred to the end of a transaction must be run first, or CLUSTER refuses.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for table in BALLOT_TABLES:
                # Each row keeps the id of the transaction that wrote it (xmin), which is its
                # voter's participation's too: rewritten here, every row gets this one's. The
                # append-only trigger is lifted for this transaction only (others wait on the
                # table's lock); the rows are written as they are.
                cursor.execute(f'ALTER TABLE "{table}" DISABLE TRIGGER "{table}_no_change"')
                cursor.execute(f'UPDATE "{table}" SET "id" = "id"')
                cursor.execute(f'ALTER TABLE "{table}" ENABLE TRIGGER "{table}_no_change"')
                # Then in key order; casts wait while it runs.
                cursor.execute(f'CLUSTER "{table}" USING "{table}_pkey"')
            # A referendum's tally row keeps the transaction of the last cast counted in it.
            tally = ReferendumTally._meta.db_table
            cursor.execute(f'UPDATE "{tally}" SET "ballots" = "ballots"')
        names = ", ".join(BALLOT_TABLES)
        return f"{names} rewritten in the order of their random keys (CLUSTER), in one transaction"
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM")  # outside any transaction: the command runs it alone
        names = ", ".join(BALLOT_TABLES)
        return f"{names} are stored in key order; the database file rewritten (VACUUM)"
    raise NotImplementedError(
        f"mixing is written for SQLite and PostgreSQL, not {connection.vendor}"
    )
