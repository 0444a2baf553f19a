"""A counted secret vote's published ballot list, and its count recomputed from the list alone."""

from __future__ import annotations

from datetime import timedelta

import pytest

from frombelow.core.errors import DecisionError
from frombelow.db.models import SecretBallot, Vote
from frombelow.services import deciding, votes
from frombelow.services.queries.ballots import tracker_hash
from tests.services.world import Clock, assembly, open_at_once, people, propose

pytestmark = pytest.mark.django_db


def _secret_vote(clock: Clock, n: int, ballot_kind: str = Vote.BallotKind.SECRET) -> Vote:
    m = people("Weaver", n)
    vote = open_at_once(
        propose(assembly("mill", m), m[0]),
        ballot_kind=ballot_kind,
        closes_at=clock.now + timedelta(days=7),
    )
    for voter, choice in zip(m, ["yes", "no", "yes", "yes", "abstain"], strict=False):
        votes.cast_ballot(actor=voter, vote=vote, ranking=[[choice]])
    return vote


def test_the_list_is_published_once_counted_and_recounts_as_the_count(clock: Clock) -> None:
    vote = _secret_vote(clock, 5)
    with pytest.raises(DecisionError, match="published once it is counted"):
        votes.published_list(vote)
    clock.advance(days=7)
    decision = deciding.close_vote(actor="system", vote=vote)
    listed = votes.published_list(vote)
    assert [b.tracker_hash for b in listed.ballots] == sorted(
        SecretBallot.objects.filter(vote=vote).values_list("tracker_hash", flat=True)
    )
    assert listed.firsts == {"yes": 3, "no": 1, "abstain": 1}
    assert (listed.outcome, listed.winners) == ("carried", ("yes",))
    assert listed.official == decision
    assert listed.agrees


def test_a_recount_that_differs_from_the_official_count_says_so(clock: Clock) -> None:
    vote = _secret_vote(clock, 5)
    clock.advance(days=7)
    deciding.close_vote(actor="system", vote=vote)
    # Two ballots changed in the table after the close (a new version under their hashes): the
    # list no longer gives the count.
    for ballot in SecretBallot.objects.filter(vote=vote, ranking=[["yes"]])[:2]:
        SecretBallot.objects.create(
            vote=vote, ranking=[["no"]], tracker_hash=ballot.tracker_hash, version=2
        )
    listed = votes.published_list(vote)
    assert listed.firsts == {"yes": 1, "no": 3, "abstain": 1}
    assert (listed.outcome, listed.winners) == ("lost", ())
    assert not listed.agrees
    # Ballots slipped in beyond the electorate cannot even be counted: that is shown too.
    for n in range(4):
        SecretBallot.objects.create(vote=vote, ranking=[["no"]], tracker_hash=tracker_hash(f"{n}"))
    listed = votes.published_list(vote)
    assert listed.outcome is None
    assert listed.problem is not None
    assert "electorate of 5" in listed.problem
    assert len(listed.ballots) == 9
    assert not listed.agrees


def test_an_open_vote_publishes_no_list(clock: Clock) -> None:
    vote = _secret_vote(clock, 2, Vote.BallotKind.OPEN)
    clock.advance(days=7)
    deciding.close_vote(actor="system", vote=vote)
    assert not votes.publishes_ballots(vote)
    with pytest.raises(DecisionError, match="publishes no ballot list"):
        votes.published_list(vote)
