"""Reads about ballots: the published ballot list of a secret vote, and a voter's own ballot."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from frombelow.db.models import SecretBallot, Vote


def tracker_hash(tracker: str) -> str:
    """Return the hex SHA-256 of a tracker: what the published ballot list shows."""
    return hashlib.sha256(tracker.encode("utf-8")).hexdigest()


def last_secret_ballots(vote: Vote) -> list[SecretBallot]:
    """Return the ballots that count in a secret vote: each tracker's last, by tracker hash."""
    last: dict[str, SecretBallot] = {}
    for ballot in vote.secret_ballots.order_by("tracker_hash", "version"):
        last[ballot.tracker_hash] = ballot
    return list(last.values())


@dataclass(frozen=True)
class PublishedBallot:
    """One line of a secret vote's published ballot list: a tracker's hash and what counts."""

    tracker_hash: str  # hex SHA-256 of the tracker the voter holds
    ranking: list[list[str]]  # the last ballot cast under that tracker


def published_ballots(vote: Vote) -> list[PublishedBallot]:
    """Return the ballots that count in a secret vote, sorted by tracker hash."""
    if vote.ballot_kind != Vote.BallotKind.SECRET:
        raise ValueError(f"the vote {vote.question!r} is not secret: its ballots name their voters")
    # Sorted by a hash of random bits, the list keeps no trace of the order of casting.
    return [PublishedBallot(b.tracker_hash, b.ranking) for b in last_secret_ballots(vote)]


def find_ballot(vote: Vote, tracker: str) -> PublishedBallot | None:
    """Return the ballot of the published list that a voter's tracker finds, if any."""
    wanted = tracker_hash(tracker)
    return next((b for b in published_ballots(vote) if b.tracker_hash == wanted), None)
