"""The tamper test: 1,000 random alterations of a congress's database, each found by the verifier.

Each alteration is made with the append-only triggers dropped, in a transaction rolled back
afterwards, so that each starts from the same untouched database. After each, the record is
exported as `frombelow record export` does and checked as `frombelow record verify` does (the same
functions, in this process; `test_record_export` runs the command itself in a clean process), and
the problem found must name the entry that records what was altered.

The congress is held once for the class (Django's `setUpTestData`, in a transaction rolled back
after the class), and the alterations are made in four runs of 250, which `pytest -n 2` shares
between its workers. The test runs on SQLite only (see `ON_SQLITE`).
"""

from __future__ import annotations

import json
import math
import os
import random
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.test import TestCase

from frombelow.core.record.entry import entry_from_bytes
from frombelow.core.record.merkle import leaf_hash
from frombelow.core.record.verify import verify_export
from frombelow.db.append_only import allow_changes
from frombelow.db.models import (
    Ballot,
    BodyWeight,
    Checkpoint,
    Decision,
    DelegateCast,
    DelegationVote,
    Mandate,
    Membership,
    RecordEntry,
    SecretBallot,
    Tally,
    Vote,
    WeightSnapshot,
)
from frombelow.services import clock as services_clock
from frombelow.services.export import export_record
from frombelow.services.queries.ballots import last_secret_ballots
from tests.scenarios.record_world import hold_congress, signing_each_entry
from tests.services.world import Clock

# Once per `make test`, on its SQLite run. What is tested is the export and the verifier, which read
# the rows alike on both databases; `test_record_export` exports and verifies on PostgreSQL too, and
# tests/db/test_append_only.py holds the triggers there. SQLite is where every test runs, and the
# quicker of the two for a thousand exports.
ON_SQLITE = pytest.mark.skipif(
    "postgresql" in settings.DATABASES["default"]["ENGINE"],
    reason="the tamper test runs once, on SQLite: export and verifier read both databases alike",
)

# FROMBELOW_TAMPER_ALTERATIONS runs fewer while working on the test; the test is of 1,000.
ALTERATIONS = int(os.environ.get("FROMBELOW_TAMPER_ALTERATIONS", "1000"))
RUNS = 4  # of ALTERATIONS / RUNS each, so that two workers can share them
SEED = 20261125
# Every table an alteration touches; their triggers are dropped inside the rolled-back transaction.
TABLES = [
    f"frombelow_{name}"
    for name in (
        "recordentry",
        "ballot",
        "secretballot",
        "tally",
        "decision",
        "bodyweight",
        "delegationvote",
        "delegatecast",
        "checkpoint",
        "decision",
    )
]


class _Editor:
    """Just enough of a schema editor for `allow_changes`: the connection and `execute`."""

    connection = connection

    def execute(self, sql: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql)


def _seq(action: str, **data: Any) -> int:
    """Return the sequence of the one entry of `action` whose data holds `data`."""
    found = [
        e.seq
        for e in RecordEntry.objects.filter(action=action)
        if all(e.data.get(k) == v for k, v in data.items())
    ]
    assert len(found) == 1, (action, data, found)
    return found[0]


def _other(options: list[str], ranking: list[list[str]], rng: random.Random) -> list[list[str]]:
    choices = [[[o]] for o in options if [[o]] != ranking]
    return rng.choice(choices)


Alteration = Callable[[random.Random], tuple[str, int]]


def _open_ballot(rng: random.Random) -> tuple[str, int]:
    ballot = rng.choice(
        [b for b in Ballot.objects.select_related("vote").order_by("pk") if len(b.vote.options) > 1]
    )
    expected = RecordEntry.objects.get(
        action="vote.cast", actor=f"member:{ballot.voter_id}", subject=f"vote:{ballot.vote_id}"
    ).seq
    if rng.random() < 0.2:
        Ballot.objects.filter(pk=ballot.pk).delete()
        return "an open ballot deleted", expected
    changed = _other(ballot.vote.options, ballot.ranking, rng)
    Ballot.objects.filter(pk=ballot.pk).update(ranking=changed)
    return "an open ballot's choice", expected


def _secret_ballot(rng: random.Random) -> tuple[str, int]:
    secret = Vote.objects.filter(ballot_kind=Vote.BallotKind.SECRET, decision__isnull=False)
    vote = rng.choice([v for v in secret.order_by("pk") if len(v.options) > 1])
    ballot = rng.choice(last_secret_ballots(vote))
    expected = _seq("decision.taken", vote=vote.pk)
    if rng.random() < 0.2:
        SecretBallot.objects.filter(pk=ballot.pk).delete()
        return "a secret ballot deleted", expected
    changed = _other(vote.options, ballot.ranking, rng)
    SecretBallot.objects.filter(pk=ballot.pk).update(ranking=changed)
    return "a secret ballot's choice", expected


def _tally(rng: random.Random) -> tuple[str, int]:
    tally = Tally.objects.get()
    counts = json.loads(json.dumps(tally.counts))
    line = rng.choice(counts)
    line["count"] += rng.choice([-1, 1, 2])
    Tally.objects.filter(pk=tally.pk).update(counts=counts)
    return "a meeting's tally", RecordEntry.objects.get(
        action="tally.entered", subject=f"vote:{tally.vote_id}"
    ).seq


def _stored_count(rng: random.Random) -> tuple[str, int]:
    decision = rng.choice(list(Decision.objects.exclude(count={}).order_by("pk")))
    count = json.loads(json.dumps(decision.count))
    round_ = rng.choice(count["rounds"])
    option = rng.choice(sorted(round_["votes"]))
    round_["votes"][option] = str(int(round_["votes"][option].split(".")[0]) + rng.randint(1, 9))
    Decision.objects.filter(pk=decision.pk).update(count=count)
    return "a stored count's total", _seq("decision.taken", vote=decision.vote_id)


def _weight(rng: random.Random) -> tuple[str, int]:
    weight = rng.choice(list(BodyWeight.objects.all()))
    expected = _seq("session.opened", weights=weight.snapshot_id)
    if rng.random() < 0.2:
        BodyWeight.objects.filter(pk=weight.pk).delete()
        return "a weight deleted", expected
    BodyWeight.objects.filter(pk=weight.pk).update(weight=weight.weight + rng.choice([-1, 1, 7]))
    return "a weight", expected


def _delegation_vote(rng: random.Random) -> tuple[str, int]:
    mandated = list(Mandate.objects.filter(kind__in=("bound", "proportional")))
    mandate = rng.choice(mandated)
    row = DelegationVote.objects.get(
        vote__item_id=mandate.item_id, member_body_id=mandate.member_body_id
    )
    votes = dict(row.votes)
    option = rng.choice(sorted(votes))
    votes[option] += rng.choice([-1, 1, 3])
    DelegationVote.objects.filter(pk=row.pk).update(votes=votes)
    return "a mandated delegation vote", _seq("mandate.decided", decision=mandate.decision_id)


def _free_delegation_vote(rng: random.Random) -> tuple[str, int]:
    mandated = Mandate.objects.filter(kind__in=("bound", "proportional")).values_list(
        "item_id", "member_body_id"
    )
    free = [
        row
        for row in DelegationVote.objects.order_by("pk")
        if (row.vote.item_id, row.member_body_id) not in set(mandated)
    ]
    row = rng.choice(free)
    votes = dict(row.votes)
    option = rng.choice(sorted(votes))
    votes[option] += rng.choice([-1, 1, 3])
    DelegationVote.objects.filter(pk=row.pk).update(votes=votes)
    return "a delegates' free vote", _seq("decision.taken", vote=row.vote_id)


def _delegate_cast(rng: random.Random) -> tuple[str, int]:
    cast = rng.choice(list(DelegateCast.objects.select_related("vote").order_by("pk")))
    expected = RecordEntry.objects.get(
        action="delegation.cast", actor=f"member:{cast.delegate_id}", subject=f"vote:{cast.vote_id}"
    ).seq
    kind = "an election's" if cast.vote.item_id is None else "a free item's"
    if rng.random() < 0.2:
        DelegateCast.objects.filter(pk=cast.pk).delete()
        return f"{kind} delegate cast deleted", expected
    changed = _other(cast.vote.options, cast.ranking, rng)
    DelegateCast.objects.filter(pk=cast.pk).update(ranking=changed)
    return f"{kind} delegate cast", expected


def _stored_decision(rng: random.Random) -> tuple[str, int]:
    decision = rng.choice(list(Decision.objects.order_by("pk")))
    others = [o for o in decision.vote.options if o not in decision.winners]
    if decision.winners and others and rng.random() < 0.5:
        Decision.objects.filter(pk=decision.pk).update(winners=[rng.choice(others)])
    else:
        Decision.objects.filter(pk=decision.pk).update(turnout=decision.turnout + 1)
    return "a stored decision", _seq("decision.taken", vote=decision.vote_id)


def _membership(rng: random.Random) -> tuple[str, int]:
    # The first session's weights (the session that elected the congress's secretary): a
    # membership altered under it is the first thing verify finds wrong.
    snapshot = WeightSnapshot.objects.earliest("taken_at", "pk")
    bodies = BodyWeight.objects.filter(snapshot=snapshot).values_list("body_id", flat=True)
    rolled = Membership.objects.filter(
        assembly_id__in=bodies, joined_at__lte=snapshot.taken_at, left_at__isnull=True
    )
    membership = rng.choice(list(rolled.order_by("pk")))
    expected = _seq("session.opened", weights=snapshot.pk)
    if rng.random() < 0.5:
        Membership.objects.filter(pk=membership.pk).delete()
        return "a membership deleted", expected
    later = snapshot.taken_at + timedelta(seconds=1)
    Membership.objects.filter(pk=membership.pk).update(joined_at=later)
    return "a membership's admission moved", expected


def _checkpoint_deleted(rng: random.Random) -> tuple[str, int]:
    last = Checkpoint.objects.order_by("-size").values_list("size", flat=True)[0]
    checkpoint = rng.choice(list(Checkpoint.objects.filter(size__gte=2, size__lt=last)))
    Checkpoint.objects.filter(pk=checkpoint.pk).delete()
    return "a checkpoint deleted", checkpoint.size - 1


def _entry_text(rng: random.Random) -> tuple[str, int]:
    entry = rng.choice(list(RecordEntry.objects.all()))
    canonical = bytes(entry.canonical)
    if rng.random() < 0.5:
        # A careless forger: one byte changed, the leaf hash left as it was.
        position = rng.randrange(len(canonical))
        byte = rng.choice([b for b in b"abcdefxyz0129,:{}" if b != canonical[position]])
        changed = canonical[:position] + bytes([byte]) + canonical[position + 1 :]
        RecordEntry.objects.filter(pk=entry.pk).update(canonical=changed)
        return "an entry's bytes", entry.seq
    # A careful one: the entry rewritten in canonical form and its leaf hash recomputed.
    text = entry_from_bytes(canonical)
    fields = json.loads(canonical)
    fields["subject"] = fields["subject"] + rng.choice(["x", "0", " "])
    if rng.random() < 0.5:
        fields["actor"] = "member:999"
    rewritten = json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    forged = rewritten.encode()
    assert entry_from_bytes(forged).sequence == text.sequence  # canonical: it reads back
    RecordEntry.objects.filter(pk=entry.pk).update(canonical=forged, leaf_hash=leaf_hash(forged))
    return "an entry rewritten and rehashed", entry.seq


def _entry_deleted(rng: random.Random) -> tuple[str, int]:
    entry = rng.choice(list(RecordEntry.objects.all()))
    RecordEntry.objects.filter(pk=entry.pk).delete()
    return "an entry deleted", entry.seq


ALTER: list[Alteration] = [
    _open_ballot,
    _secret_ballot,
    _tally,
    _stored_count,
    _weight,
    _delegation_vote,
    _free_delegation_vote,
    _delegate_cast,
    _stored_decision,
    _membership,
    _checkpoint_deleted,
    _entry_text,
    _entry_deleted,
]


class _UndoError(Exception):
    """Raised to roll back one alteration."""


def alter_and_verify(run: int, folder: Path) -> None:
    """Make this run's share of the alterations, each rolled back; each must be found and named."""
    count = math.ceil(ALTERATIONS / RUNS)
    numbers = range(run * count, min((run + 1) * count, ALTERATIONS))
    export_record(folder / "clean")
    assert verify_export(folder / "clean").ok
    rng = random.Random(SEED + run)
    detected: Counter[str] = Counter()
    missed: list[str] = []
    for number in numbers:
        alter = rng.choice(ALTER)
        altered = folder / f"altered-{number}"
        try:
            with transaction.atomic():
                for table in TABLES:
                    allow_changes(_Editor(), table)  # type: ignore[arg-type]  # a stand-in editor
                kind, expected = alter(rng)
                export_record(altered)
                report = verify_export(altered)
                raise _UndoError
        except _UndoError:
            pass
        problem = report.problem
        if problem is not None and problem.entry == expected:
            detected[kind] += 1
        else:
            missed.append(f"{number} {kind} (entry {expected}): {problem}")
    found = sum(detected.values())
    print(f"\ndetected and named {found} of alterations {numbers.start} to {numbers.stop - 1}:")
    for kind, n in sorted(detected.items()):
        print(f"  {n:4} {kind}")
    assert not missed, "\n".join(missed[:20])
    assert found == len(numbers) > 0
    # The database is as it was: every alteration rolled back, the triggers with it.
    export_record(folder / "after")
    assert verify_export(folder / "after").ok
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        RecordEntry.objects.filter(seq=0).delete()


@ON_SQLITE
@pytest.mark.slow  # about a minute in all, a twentieth of a second an alteration
class TestAThousandAlterationsAreEachDetectedAndNamed(TestCase):
    """The congress, held once in the class's transaction (`setUpTestData`), for each run."""

    clock: Clock
    folder: Path

    @classmethod
    def setUpClass(cls) -> None:
        # What the story's fixtures give a test, here for the whole class: the services' clock,
        # and a checkpoint signed at each entry with a key in a folder of the class's own.
        cls.folder = Path(tempfile.mkdtemp(prefix="tamper-"))
        cls.addClassCleanup(shutil.rmtree, cls.folder, ignore_errors=True)
        patches = pytest.MonkeyPatch()
        cls.addClassCleanup(patches.undo)
        cls.clock = Clock()
        patches.setattr(services_clock, "now", cls.clock)
        signing_each_entry(patches, cls.folder)
        super().setUpClass()

    @classmethod
    def setUpTestData(cls) -> None:
        hold_congress(cls.clock)

    def test_first_quarter(self) -> None:
        alter_and_verify(0, self.folder / "run-0")

    def test_second_quarter(self) -> None:
        alter_and_verify(1, self.folder / "run-1")

    def test_third_quarter(self) -> None:
        alter_and_verify(2, self.folder / "run-2")

    def test_fourth_quarter(self) -> None:
        alter_and_verify(3, self.folder / "run-3")
