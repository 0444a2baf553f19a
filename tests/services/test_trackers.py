"""Secret ballots with trackers: found by the voter, changed until the close, linked to no one."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from django.db import OperationalError, connection, models

from frombelow.cli.main import main
from frombelow.core.errors import DecisionError
from frombelow.core.statutes import Statute
from frombelow.db.models import (
    Member,
    Participation,
    RecordEntry,
    Referendum,
    ReferendumBallot,
    SecretBallot,
    Vote,
)
from frombelow.services import deciding, petitions, referendums, votes
from frombelow.services.queries.ballots import find_ballot, published_ballots
from tests.services.world import Clock, assembly, federation, open_at_once, people, propose

pytestmark = pytest.mark.django_db


def _secret_vote(clock: Clock, n: int, statute: Statute | None = None) -> tuple[Vote, list[Member]]:
    m = people("Nurse", n)
    body = assembly("ward", m, statute)
    vote = open_at_once(
        propose(body, m[0]),
        ballot_kind=Vote.BallotKind.SECRET,
        closes_at=clock.now + timedelta(days=7),
    )
    return vote, m


def test_a_voter_finds_their_ballot_with_their_tracker(clock: Clock) -> None:
    vote, m = _secret_vote(clock, 5)
    choices = ["yes", "no", "yes", "abstain", "no"]
    trackers = [
        votes.cast_ballot(actor=voter, vote=vote, ranking=[[choice]])
        for voter, choice in zip(m, choices, strict=True)
    ]
    for tracker, choice in zip(trackers, choices, strict=True):
        assert tracker is not None
        found = find_ballot(vote, tracker)
        assert found is not None
        assert found.ranking == [[choice]]
        assert found.tracker_hash == hashlib.sha256(tracker.encode()).hexdigest()
    assert find_ballot(vote, "0" * 64) is None
    # The list shows hashes only, sorted by them: never a tracker, never the order of casting.
    listed = published_ballots(vote)
    assert [b.tracker_hash for b in listed] == sorted(b.tracker_hash for b in listed)
    assert not {b.tracker_hash for b in listed} & set(trackers)


def test_an_open_ballot_has_no_tracker(clock: Clock) -> None:
    m = people("Nurse", 2)
    body = assembly("ward", m)
    vote = open_at_once(propose(body, m[0]), closes_at=clock.now + timedelta(days=3))
    assert votes.cast_ballot(actor=m[1], vote=vote, ranking=[["yes"]]) is None


def test_a_changed_ballot_counts_only_in_its_last_version(clock: Clock) -> None:
    vote, m = _secret_vote(clock, 3)
    tracker = votes.cast_ballot(actor=m[0], vote=vote, ranking=[["yes"]])
    votes.cast_ballot(actor=m[1], vote=vote, ranking=[["no"]])
    votes.cast_ballot(actor=m[2], vote=vote, ranking=[["yes"]])
    assert tracker is not None
    votes.change_ballot(vote=vote, tracker=tracker, ranking=[["abstain"]])
    votes.change_ballot(vote=vote, tracker=tracker, ranking=[["no"]])
    found = find_ballot(vote, tracker)
    assert found is not None
    assert found.ranking == [["no"]]
    assert SecretBallot.objects.filter(vote=vote).count() == 5  # nothing is overwritten
    assert len(published_ballots(vote)) == 3
    clock.advance(days=7)
    decision = deciding.close_vote(actor="system", vote=vote)
    assert decision.outcome == "lost"  # one yes against two no: the change counted
    assert decision.turnout == 3
    changes = RecordEntry.objects.filter(action="ballot.changed")
    assert [(e.actor, e.data) for e in changes] == [(votes.TRACKER_HOLDER, {"vote": vote.pk})] * 2


def test_a_ballot_is_not_changed_where_the_statute_forbids_or_after_the_close(
    clock: Clock,
) -> None:
    vote, m = _secret_vote(clock, 2, Statute(ballots_changeable_until_close=False))
    tracker = votes.cast_ballot(actor=m[0], vote=vote, ranking=[["yes"]])
    assert tracker is not None
    with pytest.raises(DecisionError, match="does not let ballots be changed"):
        votes.change_ballot(vote=vote, tracker=tracker, ranking=[["no"]])
    other, n = _secret_vote_in_new_body(clock)
    tracker = votes.cast_ballot(actor=n[0], vote=other, ranking=[["yes"]])
    assert tracker is not None
    with pytest.raises(DecisionError, match=r"no ballot .* has this tracker"):
        votes.change_ballot(vote=other, tracker=tracker[::-1], ranking=[["no"]])
    clock.advance(days=7)
    with pytest.raises(DecisionError, match="closed"):
        votes.change_ballot(vote=other, tracker=tracker, ranking=[["no"]])
    assert SecretBallot.objects.count() == 2


def _secret_vote_in_new_body(clock: Clock) -> tuple[Vote, list[Member]]:
    m = people("Porter", 2)
    body = assembly("dock", m)
    vote = open_at_once(
        propose(body, m[0]),
        ballot_kind=Vote.BallotKind.SECRET,
        closes_at=clock.now + timedelta(days=7),
    )
    return vote, m


def test_the_database_holds_no_link_between_a_member_and_a_secret_ballot(clock: Clock) -> None:
    vote, m = _secret_vote(clock, 6)
    for voter in m:
        votes.cast_ballot(actor=voter, vote=vote, ranking=[["yes"]])
    # No column of a secret ballot points at a member or a participation, or holds a time.
    for field in SecretBallot._meta.get_fields():
        related = getattr(field, "related_model", None)
        assert related in (None, Vote), field.name
        assert not isinstance(field, models.DateField | models.DateTimeField | models.TimeField)
    # Nothing points at a secret ballot either.
    assert not [f for f in SecretBallot._meta.get_fields() if f.is_relation and f.auto_created]
    # Keys are random, and every reading order the models give sorts by tracker hash, which is
    # random: neither follows the order of casting, which Participation's keys keep.
    rows = list(SecretBallot.objects.filter(vote=vote))
    assert [r.tracker_hash for r in rows] == sorted(r.tracker_hash for r in rows)
    assert all(r.id.version == 4 for r in rows)  # random UUIDs
    assert Participation.objects.filter(vote=vote).count() == 6
    # The record's entry of a secret cast names the voter and the vote, and nothing of the ballot.
    for entry in RecordEntry.objects.filter(action="vote.cast", data__vote=vote.pk):
        assert entry.data == {"vote": vote.pk}


def _storage_order(vote: Vote) -> list[str]:
    """Return the vote's ballot keys in the order the database stores them."""
    table = SecretBallot._meta.db_table
    # SQLite: a full scan of the table's own B-tree, bypassing any index; PostgreSQL: the heap's
    # physical order.
    sql = (
        f"SELECT id FROM {table} NOT INDEXED WHERE vote_id = %s"
        if connection.vendor == "sqlite"
        else f"SELECT id FROM {table} WHERE vote_id = %s ORDER BY ctid"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [vote.pk])
        return [str(row[0]).replace("-", "") for row in cursor.fetchall()]


def test_secret_ballots_are_stored_in_the_order_of_their_random_keys(
    clock: Clock, capsys: pytest.CaptureFixture[str]
) -> None:
    vote, m = _secret_vote(clock, 8)
    for voter in m:
        votes.cast_ballot(actor=voter, vote=vote, ranking=[["yes"]])
    keys = sorted(b.id.hex for b in SecretBallot.objects.filter(vote=vote))
    # No autoincrementing key: the primary key is a random UUID, and no column numbers the rows.
    assert isinstance(SecretBallot._meta.pk, models.UUIDField)
    assert not [f for f in SecretBallot._meta.get_fields() if isinstance(f, models.AutoField)]
    table = SecretBallot._meta.db_table
    if connection.vendor == "sqlite":
        # A WITHOUT ROWID table has no hidden insertion number, and is stored in key order.
        with connection.cursor() as cursor:
            cursor.execute("SELECT sql FROM sqlite_master WHERE name = %s", [table])
            assert cursor.fetchone()[0].endswith("WITHOUT ROWID")
        with pytest.raises(OperationalError, match="rowid"), connection.cursor() as cursor:
            cursor.execute(f"SELECT rowid FROM {table}")
    else:
        # PostgreSQL stores rows in insertion order (ctid) until the operator mixes them.
        before = sorted((b.id, b.tracker_hash, str(b.ranking)) for b in SecretBallot.objects.all())
        assert len(set(_transaction_ids(table))) == 8  # each row written by its voter's cast
        assert main(["record", "mix-ballots"]) == 0
        assert "rewritten in the order of their random keys (CLUSTER)" in capsys.readouterr().out
        after = sorted((b.id, b.tracker_hash, str(b.ranking)) for b in SecretBallot.objects.all())
        assert after == before
        # Every row now carries the mixing's transaction id, not its voter's cast's.
        assert len(set(_transaction_ids(table))) == 1
        assert not set(_transaction_ids(table)) & set(_transaction_ids("frombelow_participation"))
    assert _storage_order(vote) == keys


def _transaction_ids(table: str) -> list[str]:
    """Return the id of the transaction that wrote each row of a PostgreSQL table (xmin)."""
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT xmin::text FROM "{table}"')
        return [row[0] for row in cursor.fetchall()]


def test_referendum_ballots_are_stored_in_the_order_of_their_random_keys(
    clock: Clock, capsys: pytest.CaptureFixture[str]
) -> None:
    fed = federation(clock, sizes={"docks": 3, "rail": 3})
    first = fed.members["docks"][0]
    petitions.open_petition(actor=first, kind="referendum", body=fed.council, question="Strike?")
    referendum = Referendum.objects.get()
    for slug in ("docks", "rail"):
        for member in fed.members[slug]:
            referendums.cast_referendum_ballot(actor=member, referendum=referendum, option="yes")
    table = ReferendumBallot._meta.db_table
    keys = sorted(b.id.hex for b in ReferendumBallot.objects.all())
    assert isinstance(ReferendumBallot._meta.pk, models.UUIDField)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT sql FROM sqlite_master WHERE name = %s", [table])
            assert cursor.fetchone()[0].endswith("WITHOUT ROWID")
        order = f"SELECT id FROM {table} NOT INDEXED"
    else:
        assert len(set(_transaction_ids(table))) == 6
        assert main(["record", "mix-ballots"]) == 0
        assert len(set(_transaction_ids(table))) == 1
        assert set(_transaction_ids("frombelow_referendumtally")) == set(_transaction_ids(table))
        order = f"SELECT id FROM {table} ORDER BY ctid"
    with connection.cursor() as cursor:
        cursor.execute(order)
        assert [str(row[0]).replace("-", "") for row in cursor.fetchall()] == keys
    assert ReferendumBallot.objects.filter(option="yes").count() == 6
