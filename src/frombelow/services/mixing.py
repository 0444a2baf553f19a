"""Rewrite the storage of secret ballots in the order of their random keys (docs/threat-model.md).

Rows are stored roughly in the order they were inserted, and the record's `vote.cast` entries,
which name the voters, are in the order of casting; whoever reads the raw database files could line
the two up. SQLite stores the ballot table `WITHOUT ROWID`, in the order of its random keys, from
the start (migration 0009); `VACUUM` also rewrites the file so that freed pages keep nothing.
PostgreSQL keeps each table's rows in a heap in insertion order (`ctid`): `CLUSTER` rewrites the
table in the order of its primary key, a random UUID. Neither removes what the write-ahead log,
replicas or backups taken before still hold.
"""

from __future__ import annotations

from django.db import connection

from frombelow.db.models import SecretBallot


def mix_secret_ballots() -> str:
    """Rewrite the secret ballots' table in the order of their random keys; say what was done."""
    table = SecretBallot._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Checks deferred to the end of a transaction must be run first, or CLUSTER refuses;
            # it then holds the table locked while it rewrites it: casts wait for it.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f'CLUSTER "{table}" USING "{table}_pkey"')
            return f"{table} rewritten in the order of its random keys (CLUSTER)"
        if connection.vendor == "sqlite":
            cursor.execute("VACUUM")  # outside any transaction: the command runs it alone
            return f"{table} is stored in key order; the database file rewritten (VACUUM)"
    raise NotImplementedError(
        f"mixing is written for SQLite and PostgreSQL, not {connection.vendor}"
    )
