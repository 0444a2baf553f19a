"""Run in a subprocess by the backup tests: build a small congress, or describe a database.

`python -m tests.cli.backup_world build` migrates the configured database and builds, through the
services, a federation with its delegates and a decided motion; `... write N` registers N members
one by one, as a busy server writes. `... describe` prints, as JSON,
the row count of every table and the record's Merkle root recomputed from the entries' canonical
bytes, beside the root kept by the record's head.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any


def build() -> None:
    """Migrate and build a congress through the services, as the service tests do."""
    from django.core.management import call_command

    from frombelow.services import clock as services_clock
    from tests.services import world

    call_command("migrate", interactive=False, verbosity=0)
    clock = world.Clock()
    services_clock.now = clock  # the test clock, as in the services tests' conftest
    fed = world.federation(clock)
    docks = fed.members["docks"]
    world.decide(clock, fed.assemblies["docks"], docks[0], world.all_yes(docks), title="Strike")


def write(registrations: int) -> None:
    """Keep writing, as a server under use would: register members, one act and entry each."""
    from frombelow.services import bodies

    for n in range(registrations):
        bodies.register_member(actor="system", name=f"Newcomer {n}")
        if n == 0:
            print("writing", flush=True)  # tells the test that the writes have begun


def describe() -> dict[str, Any]:
    """Return every table's row count and the record's roots."""
    from django.db import connection

    from frombelow.core.record.merkle import HASH_SIZE, MerkleLog, leaf_hash, root_hash
    from frombelow.db.models import RecordEntry, RecordHead

    with connection.cursor() as cursor:
        tables = sorted(connection.introspection.table_names(cursor))
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            (counts[table],) = cursor.fetchone()
    leaves = [
        leaf_hash(bytes(canonical))
        for canonical in RecordEntry.objects.order_by("seq").values_list("canonical", flat=True)
    ]
    head = RecordHead.objects.get()
    frontier = bytes(head.frontier)
    kept = MerkleLog(
        head.size, [frontier[i : i + HASH_SIZE] for i in range(0, len(frontier), HASH_SIZE)]
    )
    return {
        "counts": counts,
        "entries": len(leaves),
        "recomputed_root": root_hash(leaves).hex(),
        "head_root": kept.root().hex(),
    }


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "frombelow.config.settings")
    import django

    django.setup()
    if sys.argv[1:] == ["build"]:
        build()
    elif sys.argv[1:2] == ["write"] and len(sys.argv) == 3:
        write(int(sys.argv[2]))
    elif sys.argv[1:] == ["describe"]:
        print(json.dumps(describe()))
    else:
        sys.exit("usage: python -m tests.cli.backup_world build|write N|describe")
