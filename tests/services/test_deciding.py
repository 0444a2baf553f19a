"""What the clock decides and what the secretary may close: a motion no one put to the vote opens
by itself at the statute's deadline (`deciding.open_due_motions`, which `frombelow notify` runs),
and an online vote closes before its end only by the secretary, where the statute allows, once
every member on its roll has voted."""

from __future__ import annotations

from datetime import timedelta

import pytest

from frombelow.core.errors import DecisionError, StandingError
from frombelow.core.statutes import Statute
from frombelow.db.models import Amendment, Decision, Member, Motion, RecordEntry, Vote
from frombelow.services import deciding, motions, votes
from frombelow.services.standing import SECRETARY
from tests.services.world import Clock, assembly, elect_one, open_at_once, people, propose

pytestmark = pytest.mark.django_db


def test_a_motion_no_one_puts_opens_by_itself_at_the_deadline_for_the_shortest_period(
    clock: Clock,
) -> None:
    m = people("Nurse", 3)
    body = assembly("ward", m)
    motion = propose(body, m[0], "Night shifts")
    deadline = clock.now + timedelta(days=14)
    clock.now = deadline - timedelta(minutes=1)
    assert deciding.open_due_motions(clock.now) == 0
    with pytest.raises(DecisionError, match="opens by itself at"):
        votes.open_when_due(motion=motion)
    clock.now = deadline
    assert deciding.open_due_motions(clock.now) == 1
    vote = Vote.objects.get(motion=motion)
    assert (vote.mode, vote.ballot_kind, vote.electorate) == ("online", "open", 3)
    # The minimum voting period, and a minute that the opening's second reading of the clock
    # takes off on a clock that runs (see the next test).
    assert vote.closes_at == deadline + timedelta(hours=72, minutes=1)
    entry = RecordEntry.objects.get(action="vote.opened", subject=f"vote:{vote.pk}")
    assert entry.actor == "system"
    assert deciding.open_due_motions(clock.now) == 0  # once


def test_a_motion_due_opens_on_a_clock_that_runs_between_its_readings(
    clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    # On a server the clock moves between the deadline's check and the voting period's: the
    # opening must not be refused as a few milliseconds short of the minimum.
    m = people("Nurse", 2)
    body = assembly("ward", m, Statute(motion_deadline_days=0, min_notice_hours=0))
    motion = propose(body, m[0])

    def running() -> object:
        return clock.advance(milliseconds=5)

    monkeypatch.setattr("frombelow.services.clock.now", running)
    assert deciding.open_due_motions(clock.now) == 1
    motion.refresh_from_db()
    assert motion.status == Motion.Status.VOTING


def test_with_no_deadline_a_motion_opens_as_soon_as_its_notice_has_passed(clock: Clock) -> None:
    m = people("Nurse", 2)
    body = assembly("ward", m, Statute(motion_deadline_days=0, min_notice_hours=24))
    motion = propose(body, m[0])
    clock.advance(hours=23)
    assert deciding.open_due_motions(clock.now) == 0
    clock.advance(hours=1)
    assert deciding.open_due_motions(clock.now) == 1
    motion.refresh_from_db()
    assert motion.status == Motion.Status.VOTING


def test_the_clock_puts_the_amendments_first_and_the_motion_once_they_are_decided(
    clock: Clock,
) -> None:
    m = people("Nurse", 3)
    body = assembly("ward", m)
    motion = propose(body, m[0], "Hours", text="40 hours")
    clock.advance(days=14, hours=-1)
    late = motions.propose_amendment(actor=m[1], motion=motion, text="32 hours")
    withdrawn = motions.propose_amendment(actor=m[2], motion=motion, text="36 hours")
    motions.withdraw_amendment(actor=m[2], amendment=withdrawn)
    # At the deadline the amendment's own notice has not passed: nothing opens yet.
    assert deciding.open_due_motions(clock.now) == 0
    clock.advance(hours=48)
    assert deciding.open_due_motions(clock.now) == 1
    on_amendment = Vote.objects.get(amendment=late)
    assert not Vote.objects.filter(motion=motion).exists()
    for voter in m:
        votes.cast_ballot(actor=voter, vote=on_amendment, ranking=[["yes"]])
    assert on_amendment.closes_at is not None
    clock.now = on_amendment.closes_at
    assert deciding.open_due_motions(clock.now) == 0  # its amendment is still to be counted
    deciding.close_due_votes(clock.now)
    assert deciding.open_due_motions(clock.now) == 1
    motion.refresh_from_db()
    assert (motion.status, motion.text) == (Motion.Status.VOTING, "32 hours")
    assert Amendment.objects.get(pk=late.pk).status == Amendment.Status.CARRIED


def test_a_motion_its_secretary_put_does_not_open_again(clock: Clock) -> None:
    m = people("Nurse", 2)
    body = assembly("ward", m)
    secretary = elect_one(clock, body, SECRETARY, m[0], m).holder
    motion = propose(body, m[1])
    clock.advance(hours=48)
    votes.open_vote(actor=secretary, motion=motion, mode=Vote.Mode.MEETING)
    clock.advance(days=30)
    assert deciding.open_due_motions(clock.now) == 0
    assert Vote.objects.filter(motion=motion).count() == 1


def _all_voted(clock: Clock, statute: Statute) -> tuple[list[Member], Member, Vote]:
    m = people("Nurse", 3)
    body = assembly("ward", m, statute)
    secretary = elect_one(clock, body, SECRETARY, m[0], m).holder
    vote = open_at_once(propose(body, m[1]), closes_at=clock.now + timedelta(days=3))
    return m, secretary, vote


def test_the_secretary_closes_a_vote_early_once_everyone_has_voted(clock: Clock) -> None:
    m, secretary, vote = _all_voted(clock, Statute(secretary_closes_early=True))
    votes.cast_ballot(actor=m[0], vote=vote, ranking=[["yes"]])
    votes.cast_ballot(actor=m[1], vote=vote, ranking=[["yes"]])
    entries = RecordEntry.objects.count()
    with pytest.raises(DecisionError, match="some members on its roll have not voted"):
        deciding.close_vote_early(actor=secretary, vote=vote)
    votes.cast_ballot(actor=m[2], vote=vote, ranking=[["no"]])
    with pytest.raises(StandingError, match="closing a vote early: only the secretary"):
        deciding.close_vote_early(actor=m[1], vote=vote)
    assert RecordEntry.objects.count() == entries + 1  # the last ballot only
    decision = deciding.close_vote_early(actor=secretary, vote=vote)
    assert (decision.outcome, decision.turnout) == ("carried", 3)
    entry = RecordEntry.objects.get(action="decision.taken", subject=f"decision:{decision.pk}")
    assert entry.actor == entry.data["by"] == f"member:{secretary.pk}"


def test_without_the_statutes_leave_no_one_closes_a_vote_early(clock: Clock) -> None:
    m, secretary, vote = _all_voted(clock, Statute())
    for voter in m:
        votes.cast_ballot(actor=voter, vote=vote, ranking=[["yes"]])
    with pytest.raises(DecisionError, match="does not let its secretary close a vote before"):
        deciding.close_vote_early(actor=secretary, vote=vote)
    assert not Decision.objects.filter(vote=vote).exists()
