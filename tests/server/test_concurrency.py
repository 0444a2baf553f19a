"""Hundreds of casts at once at a real server on PostgreSQL: one ballot per voter, none lost.

Each voter sends three requests at the same moment: the same cast twice under one idempotency key
(a client retrying before its first answer came), and a third under another key (a second device).
The server is gunicorn with threaded workers, so that many of them are in the database together.
"""

from __future__ import annotations

import json
import threading
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor

import psycopg
import pytest

from tests.server.conftest import ON_POSTGRESQL, ServerDatabase
from tests.support.congress import Reply, build, cast
from tests.support.server import ProductionServer

pytestmark = ON_POSTGRESQL

VOTERS = 120  # three requests each: 360 at once


def test_concurrent_casts_leave_exactly_one_ballot_per_voter(
    server_database: ServerDatabase,
) -> None:
    db = server_database
    congress = build(db.url, db.data_dir, db.data_dir / "congress.json", voters=VOTERS, votes=1)
    vote = congress.votes[0]
    requests = []
    for i, token in enumerate(congress.tokens):
        choice = ("yes", "no", "abstain")[i % 3]
        requests += [(i, token, choice, f"first-{i}"), (i, token, choice, f"first-{i}")]
        requests.append((i, token, "yes", f"second-{i}"))
    start = threading.Barrier(len(requests))

    with ProductionServer(db.url, db.data_dir, workers=3, threads=8) as server:

        def send(request: tuple[int, str, str, str]) -> Reply:
            _, token, choice, key = request
            start.wait()  # every request leaves at the same moment
            return cast(server.address, vote, token, choice, key)

        with ThreadPoolExecutor(max_workers=len(requests)) as pool:
            answers = list(zip(requests, pool.map(send, requests), strict=True))

        statuses = Counter(reply.status for _, reply in answers)
        # No server error, nothing refused wrongly.
        assert set(statuses) <= {201, 409}, (statuses, server.errors())
        by_voter: dict[int, list[int]] = defaultdict(list)
        for (voter, *_), reply in answers:
            by_voter[voter].append(reply.status)
        assert all(201 in got for got in by_voter.values()), "a voter got no acknowledgement"
        refusals = [json.loads(reply.body) for _, reply in answers if reply.status == 409]
        assert all("already voted" in r["detail"] for r in refusals), refusals[:3]
        # A retry under a key that was answered 201 gets the same answer again and casts nothing.
        for (_, token, choice, key), reply in answers:
            if reply.status == 201:
                again = cast(server.address, vote, token, choice, key)
                assert (again.status, again.body) == (201, reply.body)
    assert statuses[201] >= VOTERS

    with psycopg.connect(db.url) as connection:
        ballots = connection.execute(
            "SELECT voter_id, count(*) FROM frombelow_ballot WHERE vote_id = %s GROUP BY voter_id",
            (vote,),
        ).fetchall()
        casts = connection.execute(
            "SELECT count(*) FROM frombelow_recordentry WHERE action = 'vote.cast'"
        ).fetchone()
    assert sorted(voter for voter, _ in ballots) == sorted(congress.members)
    assert {count for _, count in ballots} == {1}
    assert casts == (VOTERS,)  # one record entry per ballot, none for a refused twin


def test_the_database_refuses_a_second_ballot_itself(server_database: ServerDatabase) -> None:
    """The one-ballot rule is PostgreSQL's unique constraint: a plain SQL insert is refused."""
    db = server_database
    congress = build(db.url, db.data_dir, db.data_dir / "congress.json", voters=2, votes=1)
    with ProductionServer(db.url, db.data_dir, workers=1) as server:
        first = cast(server.address, congress.votes[0], congress.tokens[0], "yes", None)
    assert first.status == 201
    with psycopg.connect(db.url) as connection:
        definition = connection.execute(
            "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = %s",
            ("one_ballot_per_voter",),
        ).fetchone()
        assert definition == ("UNIQUE (vote_id, voter_id)",)
        with pytest.raises(psycopg.errors.UniqueViolation, match="one_ballot_per_voter"):
            connection.execute(
                "INSERT INTO frombelow_ballot (vote_id, voter_id, ranking, cast_at) "
                "SELECT vote_id, voter_id, ranking, now() FROM frombelow_ballot"
            )
