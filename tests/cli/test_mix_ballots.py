"""`frombelow record mix-ballots`: the secret ballots' table rewritten in the order of its keys."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection

from frombelow.cli.main import main
from frombelow.db.models import SecretBallot, Vote
from frombelow.services import clock, votes
from tests.services.world import assembly, people, propose

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite stores the table in key order already; its VACUUM cannot run inside the "
        "test's transaction",
    ),
]


def test_mixing_puts_the_heap_in_key_order_and_counts_nothing_differently(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 11, 25, 10, 0, tzinfo=UTC))
    m = people("Nurse", 7)
    body = assembly("ward", m)
    vote = votes.open_vote(
        actor=m[0],
        motion=propose(body, m[0]),
        ballot_kind=Vote.BallotKind.SECRET,
        closes_at=clock.now() + timedelta(days=7),
    )
    for voter, choice in zip(m, ["yes", "no"] * 4, strict=False):
        votes.cast_ballot(actor=voter, vote=vote, ranking=[[choice]])
    before = sorted((b.id, b.tracker_hash, str(b.ranking)) for b in SecretBallot.objects.all())
    assert main(["record", "mix-ballots"]) == 0
    assert "rewritten in the order of its random keys (CLUSTER)" in capsys.readouterr().out
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM {SecretBallot._meta.db_table} ORDER BY ctid")
        stored = [row[0] for row in cursor.fetchall()]
    assert stored == sorted(stored)
    after = sorted((b.id, b.tracker_hash, str(b.ranking)) for b in SecretBallot.objects.all())
    assert after == before
