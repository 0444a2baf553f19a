"""Time a referendum's roll-up and the federation's weights read from the database, at full size.

Run `.venv/bin/python benchmarks/federation.py [--quick] [--runs N]`; on SQLite it uses a fresh
database in a temporary folder (or `FROMBELOW_DATA_DIR`), on PostgreSQL the empty database that
`DATABASE_URL` names (migrated here).

The federation is `benchmarks/governance.py`'s: one confederation over four levels of councils
(10 regions, 100 districts, 1,000 local federations) and 10,000 assemblies, and 100 industrial
federations that each take 100 of the assemblies as well. The roll: 1,000,000 members, each in one
assembly and 5% in a second. The referendum: every member casts one ballot.

The fixture is written with bulk inserts, straight into the tables: it is a benchmark's fixture,
not acts, so it has no record entries and calls no service but `rebuild_tally`, which makes the
referendum's stored tally from its ballots as for any bulk import. What is timed is the
application's own read path: `services.queries.referendums.referendum_roll_up`, which the
referendum's count (`services.referendums.close_referendum`) uses, and
`services.weights.weigh_at`, which every session's opening uses, with the core's apportionment for
every council after it.

Targets (issue 3): the rolled-up result computed from the database (read and roll-up) in at most
5 s; weights and apportionment for all 10,000 bodies in at most 1 s (the roll's read apart, which
is printed beside it).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.governance import SEED, Sizes, confederation

READ_TARGET_S = 5.0
WEIGH_TARGET_S = 1.0
OPENED = datetime(2026, 5, 1, tzinfo=UTC)
# Every member votes: as many ballots as members.
FULL_SIZES = Sizes(fan_out=10, industrial=100, members=1_000_000, voters=1_000_000, shared=0.05)
QUICK_SIZES = Sizes(fan_out=3, industrial=3, members=3_000, voters=3_000, shared=0.05)


def setup_django() -> None:
    """Point Django at the benchmark's database and bring its schema up to date."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "frombelow.config.settings")
    if not os.environ.get("DATABASE_URL") and not os.environ.get("FROMBELOW_DATA_DIR"):
        os.environ["FROMBELOW_DATA_DIR"] = tempfile.mkdtemp(prefix="frombelow-bench-")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)


def insert(model: Any, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Insert rows into the model's table in batches, each value as its field stores it."""
    from django.db import connection

    fields = [model._meta.get_field(c) for c in columns]
    names = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = (
        f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({names}) VALUES ({marks})"
    )
    batch: list[Sequence[Any]] = []
    with connection.cursor() as cursor:
        for row in rows:
            batch.append(row)
            if len(batch) == 20_000:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)


def prep(model: Any, column: str, value: object) -> object:
    """Return the value as the model's field writes it to this database."""
    from django.db import connection

    field = model._meta.get_field(column)
    return field.get_db_prep_save(value, connection)


def build(sizes: Sizes) -> tuple[Any, Any]:
    """Write the federation, its roll and one referendum ballot per member; return the
    confederation and the referendum."""
    from django.db import transaction

    from frombelow.core.statutes import ApportionedSeats, Statute
    from frombelow.db.mapping import statute_json
    from frombelow.db.models import (
        Affiliation,
        Body,
        Member,
        Membership,
        Petition,
        Referendum,
        ReferendumBallot,
        ReferendumParticipation,
        StatuteVersion,
    )
    from frombelow.services.referendums import rebuild_tally

    if Body.objects.exists():
        if Referendum.objects.filter(council__slug="confederation", opened_at=OPENED).exists():
            print("reusing the federation this benchmark built in this database before")
            referendum = Referendum.objects.get()
            if not referendum.tally.exists():  # built before the tally was stored
                rebuild_tally(referendum)
            return Body.objects.get(slug="confederation"), referendum
        raise SystemExit("the benchmark needs an empty database; this one has other bodies")
    rng = np.random.default_rng(SEED)
    bodies, memberships = confederation(sizes, rng)
    founded = OPENED - timedelta(days=365)
    council_rules = statute_json(
        Statute(seat_scheme=ApportionedSeats(seats=300, method="sainte-lague"))
    )
    with transaction.atomic():
        rows = Body.objects.bulk_create(
            [
                Body(kind=b.kind, name=b.id, slug=b.id.replace("/", "-"), founded_at=founded)
                for b in bodies
            ],
            batch_size=5_000,
        )
        pk = {b.id: row.pk for b, row in zip(bodies, rows, strict=True)}
        StatuteVersion.objects.bulk_create(
            [
                StatuteVersion(
                    body_id=pk[b.id],
                    number=1,
                    rules=council_rules if b.kind == "council" else statute_json(Statute()),
                    adopted_at=founded,
                )
                for b in bodies
            ],
            batch_size=5_000,
        )
        Affiliation.objects.bulk_create(
            [
                Affiliation(member_body_id=pk[m], council_id=pk[c], joined_at=founded)
                for m, c in memberships
            ],
            batch_size=5_000,
        )
        assemblies = [b.id for b in bodies if b.kind == "assembly"]
        slug = {b.id: b.id.replace("/", "-") for b in bodies}
        at = prep(Member, "created_at", founded)
        insert(
            Member,
            ("id", "name", "email", "created_at"),
            ((i, f"member {i}", "", at) for i in range(1, sizes.members + 1)),
        )
        codes = rng.integers(0, len(assemblies), sizes.members)
        twice = np.sort(rng.choice(sizes.members, int(sizes.members * sizes.shared), replace=False))
        second = (codes[twice] + rng.integers(1, len(assemblies), twice.size)) % len(assemblies)
        member_ids = np.concatenate([np.arange(sizes.members), twice]) + 1
        assembly_codes = np.concatenate([codes, second])
        assembly_pk = np.array([pk[a] for a in assemblies], dtype=np.int64)[assembly_codes]
        joined = prep(Membership, "joined_at", founded)
        insert(
            Membership,
            ("member", "assembly", "member_number", "joined_at"),
            (
                (m, a, "", joined)
                for m, a in zip(member_ids.tolist(), assembly_pk.tolist(), strict=True)
            ),
        )
        top = Body.objects.get(pk=pk["confederation"])
        petition = Petition.objects.create(
            kind=Petition.Kind.REFERENDUM,
            body=top,
            question="Join the general strike?",
            opened_by_id=1,
            opened_at=OPENED - timedelta(days=1),
            entitled=sizes.members,
            required=1,
            reached_at=OPENED,
        )
        referendum = Referendum.objects.create(
            council=top,
            question=petition.question,
            options=["yes", "no", "abstain"],
            petition=petition,
            double_majority=True,
            electorate=sizes.members,
            opened_at=OPENED,
            closes_at=OPENED + timedelta(days=21),
        )
        insert(
            ReferendumParticipation,
            ("referendum", "member"),
            ((referendum.pk, m) for m in range(1, sizes.members + 1)),
        )
        # Each member's assemblies at opening, as the ballot keeps them (sorted slugs).
        sets: list[list[str]] = [[slug[assemblies[c]]] for c in codes.tolist()]
        for m, c in zip(twice.tolist(), second.tolist(), strict=True):
            sets[m] = sorted([*sets[m], slug[assemblies[c]]])
        stored: dict[tuple[str, ...], object] = {}
        choices = rng.choice(3, sizes.members, p=[0.48, 0.44, 0.08]).tolist()
        options = ("yes", "no", "abstain")
        insert(
            ReferendumBallot,
            ("id", "referendum", "option", "assemblies"),
            (
                (
                    prep(ReferendumBallot, "id", uuid.UUID(int=(1 << 64) + i)),
                    referendum.pk,
                    options[choice],
                    stored.setdefault(tuple(s), prep(ReferendumBallot, "assemblies", list(s))),
                )
                for i, (s, choice) in enumerate(zip(sets, choices, strict=True))
            ),
        )
        # Ballots written around the service that casts them: their tally is made as a bulk
        # import's would be.
        rebuild_tally(referendum)
    return top, referendum


def timed(work: Callable[[], object], runs: int) -> list[float]:
    """Return the wall-clock seconds of `runs` runs of `work`."""
    seconds = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        seconds.append(time.perf_counter() - start)
    return seconds


def main(argv: Sequence[str] | None = None) -> int:
    """Build the federation in the database, time the reads, and judge the targets."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="small sizes; targets not judged")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    sizes = QUICK_SIZES if args.quick else FULL_SIZES
    setup_django()
    from django.db import connection

    from frombelow.core.federation import weigh
    from frombelow.core.referendum import decide_referendum
    from frombelow.core.representation import seat_delegations
    from frombelow.services.queries.bodies import roll_at
    from frombelow.services.queries.referendums import referendum_roll_up
    from frombelow.services.weights import statutes_at, subtree_at

    started = time.perf_counter()
    top, referendum = build(sizes)
    print(
        f"{connection.vendor}: {sizes.members:,} members, {sizes.members:,} ballots, "
        f"ready in {time.perf_counter() - started:.0f} s"
    )
    federation, rollup = referendum_roll_up(referendum)
    assemblies = federation.assemblies_under(top.slug)
    councils = [b for b in federation.order if federation.bodies[b].kind == "council"]
    statutes = statutes_at(councils, OPENED)
    roll = roll_at(OPENED, assemblies)

    def weigh_and_apportion() -> None:
        snapshot = weigh(federation, roll, statutes)
        for council in councils:
            seat_delegations(federation, council, snapshot, statutes[council], seed=1)

    steps: list[tuple[str, Callable[[], object], float | None]] = [
        ("read + roll up the referendum", lambda: referendum_roll_up(referendum), READ_TARGET_S),
        ("  of which: read the graph", lambda: subtree_at(top, OPENED), None),
        ("  of which: read the roll", lambda: roll_at(OPENED, assemblies), None),
        (
            f"weigh + apportion {len(federation.order):,} bodies",
            weigh_and_apportion,
            WEIGH_TARGET_S,
        ),
    ]
    failed = False
    for name, work, target in steps:
        seconds = timed(work, args.runs)
        verdict = ""
        if target is not None and not args.quick:
            verdict = "PASS" if statistics.median(seconds) <= target else "FAIL"
            verdict += f" (target {target:g} s)"
            failed |= verdict.startswith("FAIL")
        print(
            f"{name:40} median {statistics.median(seconds):7.3f} s  "
            f"best {min(seconds):7.3f} s  {verdict}"
        )
    outcome = decide_referendum(federation, rollup, statutes[top.slug])
    print(
        f"result: {dict(rollup.total)} ({rollup.voters(top.slug):,} ballots, each once), "
        f"{outcome.outcome}"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
