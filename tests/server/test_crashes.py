"""SIGKILL the server at random moments during a storm of casts: nothing acknowledged is lost.

Client threads cast every voter's ballot on every vote, each under its own idempotency key, and
send the same request again under the same key whenever the server is gone; now and then they
send an acknowledged cast once more, as a client that lost the answer would. A killer, seeded,
kills the whole server (master and workers) after a random number of acknowledged casts plus a
random few milliseconds, so that kills land in every part of a request, and restarts it.
Afterwards every cast the clients got a 201 for is in the database, every voter has exactly one
ballot on every vote, each ballot has its record entry, and the exported record verifies. No retry
is ever told "already voted": the ballot and the answer kept for its key commit together
(`services/idempotency.py`), so a retry gets either the first answer or a fresh cast.
"""

from __future__ import annotations

import http.client
import random
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

import psycopg

from tests.server.conftest import ON_POSTGRESQL, ServerDatabase
from tests.support.congress import Reply, build, cast
from tests.support.scratch import environment
from tests.support.server import ProductionServer

pytestmark = ON_POSTGRESQL

SEED = 20261204
VOTERS = 1000
VOTES = 2  # 2,000 ballots: as many kills as 5,000 gave, in less than half the time
KILLS = 20
CLIENTS = 16
ACKS_BETWEEN_KILLS = (50, 100)  # at most 100 of 2,000 between kills: 20 kills at least
RESEND = 0.05  # the share of acknowledged casts sent again


@dataclass(frozen=True)
class Cast:
    """One ballot to cast: the vote, the voter, their token, and the request's key."""

    vote: int
    member: int
    token: str

    @property
    def key(self) -> str:
        return f"cast-{self.vote}-{self.member}"


@dataclass
class Storm:
    """What the clients saw, shared between their threads, and the killer's signals."""

    acknowledged: set[tuple[int, int]] = field(default_factory=set)  # (vote, member)
    statuses: Counter[int] = field(default_factory=Counter)
    dropped: int = 0  # requests the server never answered: killed under them, or down
    resent: int = 0  # acknowledged casts sent again, each answered as the first time
    # Keyed requests answered "already voted": the ballot committed without the answer kept for
    # its key. The regression `services/idempotency.py` exists to prevent; there must be none.
    refused_retries: list[tuple[str, bool, int, bytes]] = field(default_factory=list)
    unexpected: list[tuple[str, int, bytes]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    acks: threading.Semaphore = field(default_factory=lambda: threading.Semaphore(0))
    up: threading.Event = field(default_factory=threading.Event)

    def send(self, server: ProductionServer, ballot: Cast) -> tuple[Reply, bool]:
        """Send the cast until the server answers; return the answer and whether it was resent."""
        retried = False
        while True:
            self.up.wait()
            try:
                return cast(server.address, ballot.vote, ballot.token, "yes", ballot.key), retried
            except (OSError, http.client.HTTPException):
                with self.lock:
                    self.dropped += 1
                retried = True
                time.sleep(0.02)

    def client(self, server: ProductionServer, work: list[Cast], seed: int) -> None:
        """Cast each ballot of `work` until it is answered."""
        rng = random.Random(seed)
        for ballot in work:
            reply, retried = self.send(server, ballot)
            resend = reply.status == 201 and rng.random() < RESEND
            again = self.send(server, ballot)[0] if resend else None
            with self.lock:
                self.statuses[reply.status] += 1
                if reply.status == 201:
                    self.acknowledged.add((ballot.vote, ballot.member))
                elif b"already voted" in reply.body:
                    self.refused_retries.append(
                        (ballot.key, retried, reply.status, reply.body[:200])
                    )
                else:
                    self.unexpected.append((ballot.key, reply.status, reply.body[:200]))
                if again is not None:
                    self.resent += 1
                    self.statuses[again.status] += 1
                    if b"already voted" in again.body:
                        self.refused_retries.append(
                            (ballot.key, True, again.status, again.body[:200])
                        )
                    elif (again.status, again.body) != (201, reply.body):
                        self.unexpected.append((ballot.key, again.status, again.body[:200]))
            if reply.status == 201:
                self.acks.release()


def kill_and_restart(
    server: ProductionServer, storm: Storm, clients: list[threading.Thread]
) -> int:
    """Kill the server after a random number of acknowledged casts, until the clients finish;
    return how many times it was killed."""
    rng = random.Random(SEED)
    kills = 0
    while any(c.is_alive() for c in clients):
        wanted = rng.randint(*ACKS_BETWEEN_KILLS)
        while wanted and any(c.is_alive() for c in clients):
            wanted -= storm.acks.acquire(timeout=0.5)
        if not any(c.is_alive() for c in clients):
            break
        time.sleep(rng.uniform(0, 0.05))
        storm.up.clear()
        server.kill()
        kills += 1
        server.start()
        storm.up.set()
    return kills


def test_casts_acknowledged_survive_twenty_kills_and_the_record_verifies(
    server_database: ServerDatabase,
) -> None:
    db = server_database
    congress = build(db.url, db.data_dir, db.data_dir / "congress.json", voters=VOTERS, votes=VOTES)
    ballots = [
        Cast(vote, member, token)
        for vote in congress.votes
        for member, token in zip(congress.members, congress.tokens, strict=True)
    ]
    random.Random(SEED).shuffle(ballots)
    storm = Storm()
    server = ProductionServer(db.url, db.data_dir, workers=2, preload=True)
    server.start()
    storm.up.set()
    try:
        clients = [
            threading.Thread(target=storm.client, args=(server, ballots[i::CLIENTS], SEED + i))
            for i in range(CLIENTS)
        ]
        for thread in clients:
            thread.start()
        kills = kill_and_restart(server, storm, clients)
        for thread in clients:
            thread.join()
    finally:
        server.stop()

    sent = sum(storm.statuses.values()) + storm.dropped
    print(  # the figures, for `pytest -s`
        f"{sent} cast requests, {kills} kills, {storm.dropped} dropped by a kill, "
        f"{storm.resent} acknowledged casts resent, answers {dict(storm.statuses)}, "
        f"{len(storm.refused_retries)} keyed requests refused as already voted"
    )
    # (key, whether it was a retry after a drop, status, body) of each; none is allowed.
    assert storm.refused_retries == [], (
        len(storm.refused_retries),
        storm.refused_retries[:5],
        server.errors(),
    )
    assert not storm.unexpected, (storm.unexpected[:3], server.errors())
    assert kills >= KILLS
    assert sent >= len(ballots) >= VOTERS * VOTES
    with psycopg.connect(db.url) as connection:
        stored = connection.execute("SELECT vote_id, voter_id FROM frombelow_ballot").fetchall()
        entries = connection.execute(
            "SELECT count(*) FROM frombelow_recordentry WHERE action = 'vote.cast'"
        ).fetchone()
    assert storm.acknowledged <= set(stored)  # nothing acknowledged was lost
    assert len(stored) == len(set(stored)) == len(ballots)  # each voter once on each vote
    assert entries == (len(ballots),)  # each ballot's record entry, and no other

    export = db.data_dir / "export"
    frombelow = [sys.executable, "-m", "frombelow.cli.main", "record"]
    env = environment(db.url, db.data_dir)
    exported = subprocess.run(
        [*frombelow, "export", str(export)], env=env, capture_output=True, text=True, check=False
    )
    assert exported.returncode == 0, exported.stderr[-2000:]
    verified = subprocess.run(
        [*frombelow, "verify", str(export)], env=env, capture_output=True, text=True, check=False
    )
    assert verified.returncode == 0, verified.stdout[-2000:] + verified.stderr[-2000:]
    assert "the record holds" in verified.stdout
