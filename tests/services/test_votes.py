"""Votes in an assembly: the roll fixed at opening, one ballot per voter, open or secret, online or
entered by the elected secretary from a meeting, and counted by the statute in force at opening."""

from __future__ import annotations

from datetime import timedelta
from fractions import Fraction

import pytest
from django.db import IntegrityError, transaction

from frombelow.core.counting.rule import Threshold
from frombelow.core.errors import DecisionError, StandingError
from frombelow.core.statutes import Statute
from frombelow.db.models import (
    Ballot,
    Body,
    Decision,
    Member,
    Motion,
    Participation,
    RecordEntry,
    SecretBallot,
    Term,
    Vote,
)
from frombelow.services import bodies, deciding, decisions, motions, votes
from frombelow.services.standing import SECRETARY
from tests.services.world import (
    Clock,
    all_yes,
    assembly,
    decide,
    elect_one,
    open_at_once,
    people,
    person,
    propose,
    vote_in,
)

pytestmark = pytest.mark.django_db


def _open(clock: Clock, motion: Motion, ballot_kind: str = Vote.BallotKind.OPEN) -> Vote:
    """Open a vote for three days at once: these tests are about what follows its opening."""
    return open_at_once(motion, closes_at=clock.now + timedelta(days=3), ballot_kind=ballot_kind)


def _secretary_of(clock: Clock, body_members: list[Member], body: Body) -> Member:
    """Elect the first member the body's secretary, who puts its motions to the vote."""
    return elect_one(clock, body, SECRETARY, body_members[0], body_members).holder


def test_a_simple_majority_carries_and_a_tie_is_lost(clock: Clock) -> None:
    m = people("Nurse", 4)
    body = assembly("ward", m)
    carried = decide(clock, body, m[0], {m[0]: "yes", m[1]: "yes", m[2]: "no", m[3]: "abstain"})
    assert (carried.outcome, carried.winners, carried.turnout) == ("carried", ["yes"], 4)
    tie = decide(clock, body, m[0], {m[0]: "yes", m[1]: "no"})
    assert tie.outcome == "lost"
    assert "a tie is lost" in tie.count["rounds"][0]["note"]


def test_the_quorum_and_threshold_are_the_statutes_at_opening(clock: Clock) -> None:
    m = people("Nurse", 6)
    statute = Statute(quorum=Fraction(1, 2), threshold=Threshold(Fraction(2, 3), "cast", False))
    body = assembly("ward", m, statute)
    inquorate = decide(clock, body, m[0], {m[0]: "yes", m[1]: "yes"})
    assert inquorate.outcome == "inquorate"
    assert inquorate.winners == []
    short = decide(clock, body, m[0], {m[0]: "yes", m[1]: "yes", m[2]: "no", m[3]: "no"})
    assert short.outcome == "lost"
    two_thirds = decide(clock, body, m[0], {m[0]: "yes", m[1]: "yes", m[2]: "no"})
    assert two_thirds.outcome == "carried"


def test_the_electorate_is_the_roll_when_the_vote_opened(clock: Clock) -> None:
    m = people("Nurse", 2)
    body = assembly("ward", m)
    motion = propose(body, m[0])
    vote = _open(clock, motion)
    latecomer = person("Latecomer")
    decide(clock, body, m[0], all_yes(m), kind=Motion.Kind.ADMIT_MEMBER, member=latecomer)
    assert vote.electorate == 2
    with pytest.raises(DecisionError, match="closed"):
        votes.cast_ballot(actor=latecomer, vote=vote, ranking=[["yes"]])
    clock.now = vote.opened_at  # while it is open, the latecomer is still not on its roll
    with pytest.raises(StandingError, match="not on the roll"):
        votes.cast_ballot(actor=latecomer, vote=vote, ranking=[["yes"]])


def test_an_open_ballot_shows_who_voted_how(clock: Clock) -> None:
    m = people("Nurse", 2)
    body = assembly("ward", m)
    vote_in(clock, propose(body, m[0]), {m[0]: "yes", m[1]: "no"})
    assert Ballot.objects.get(voter=m[1]).ranking == [["no"]]
    cast = RecordEntry.objects.filter(action="vote.cast").order_by("seq")
    assert [e.data["ranking"] for e in cast] == [[["yes"]], [["no"]]]


def test_a_secret_ballot_is_kept_apart_from_who_voted(clock: Clock) -> None:
    m = people("Nurse", 3)
    body = assembly("ward", m)
    decision = vote_in(
        clock,
        propose(body, m[0]),
        {m[0]: "yes", m[1]: "no", m[2]: "yes"},
        ballot_kind=Vote.BallotKind.SECRET,
    )
    assert decision.outcome == "carried"
    assert set(Participation.objects.values_list("member_id", flat=True)) == {x.pk for x in m}
    assert sorted(SecretBallot.objects.values_list("ranking", flat=True)) == [
        [["no"]],
        [["yes"]],
        [["yes"]],
    ]
    # Nothing in a secret ballot names a voter or a moment that would order it beside them.
    fields = {f.name for f in SecretBallot._meta.get_fields()}
    assert fields == {"id", "vote", "ranking", "tracker_hash", "version"}
    assert not Ballot.objects.exists()
    for entry in RecordEntry.objects.filter(action="vote.cast"):
        assert entry.data == {"vote": decision.vote_id}


@pytest.mark.parametrize("ballot_kind", [Vote.BallotKind.OPEN, Vote.BallotKind.SECRET])
def test_a_member_votes_once_and_a_second_ballot_changes_nothing(
    clock: Clock, ballot_kind: str
) -> None:
    m = people("Nurse", 2)
    body = assembly("ward", m)
    vote = _open(clock, propose(body, m[0]), ballot_kind=ballot_kind)
    votes.cast_ballot(actor=m[0], vote=vote, ranking=[["yes"]])
    before = (
        RecordEntry.objects.count(),
        Ballot.objects.count(),
        SecretBallot.objects.count(),
        Participation.objects.count(),
    )
    with pytest.raises(DecisionError, match="already voted"):
        votes.cast_ballot(actor=m[0], vote=vote, ranking=[["no"]])
    after = (
        RecordEntry.objects.count(),
        Ballot.objects.count(),
        SecretBallot.objects.count(),
        Participation.objects.count(),
    )
    assert after == before


def test_the_database_itself_refuses_a_second_ballot(clock: Clock) -> None:
    m = people("Nurse", 1)
    body = assembly("ward", m)
    vote = _open(clock, propose(body, m[0]))
    votes.cast_ballot(actor=m[0], vote=vote, ranking=[["yes"]])
    with pytest.raises(IntegrityError), transaction.atomic():
        Ballot.objects.create(vote=vote, voter=m[0], ranking=[["no"]], cast_at=clock.now)
    Participation.objects.create(vote=vote, member=m[0])
    with pytest.raises(IntegrityError), transaction.atomic():
        Participation.objects.create(vote=vote, member=m[0])


def test_a_vote_after_closing_is_refused_and_changes_nothing(clock: Clock) -> None:
    m = people("Nurse", 2)
    body = assembly("ward", m)
    vote = _open(clock, propose(body, m[0]))
    clock.advance(days=3)
    before = RecordEntry.objects.count()
    with pytest.raises(DecisionError, match="closed at"):
        votes.cast_ballot(actor=m[1], vote=vote, ranking=[["yes"]])
    deciding.close_vote(actor="system", vote=vote)
    with pytest.raises(DecisionError, match="closed and been counted"):
        votes.cast_ballot(actor=m[1], vote=vote, ranking=[["yes"]])
    with pytest.raises(DecisionError, match="counted already"):
        deciding.close_vote(actor="system", vote=vote)
    assert RecordEntry.objects.count() == before + 1  # only the decision
    assert not Ballot.objects.exists()


def test_a_vote_closes_only_at_its_time(clock: Clock) -> None:
    m = people("Nurse", 1)
    body = assembly("ward", m)
    vote = _open(clock, propose(body, m[0]))
    with pytest.raises(DecisionError, match="open until"):
        deciding.close_vote(actor="system", vote=vote)


@pytest.mark.parametrize(
    ("ranking", "message"),
    [
        ([["maybe"]], "'maybe' is not an option"),
        ([["yes", "no"]], "exactly one of yes, no or abstain"),
        ([["yes"], ["no"]], "exactly one of yes, no or abstain"),
        ([[]], "non-empty groups"),
    ],
)
def test_a_malformed_ballot_is_refused(
    clock: Clock, ranking: list[list[str]], message: str
) -> None:
    m = people("Nurse", 1)
    body = assembly("ward", m)
    vote = _open(clock, propose(body, m[0]))
    with pytest.raises(DecisionError, match=message):
        votes.cast_ballot(actor=m[0], vote=vote, ranking=ranking)
    assert not Ballot.objects.exists()


def test_options_chosen_by_approval_and_by_schulze(clock: Clock) -> None:
    m = people("Nurse", 5)
    body = assembly("ward", m)
    options = ["march", "strike", "petition"]
    approval = propose(body, m[0], details={"method": "approval", "options": options})
    vote = _open(clock, approval)
    for voter, approved in zip(
        m,
        [["march", "strike"], ["strike"], ["strike", "petition"], ["march"], ["petition"]],
        strict=True,
    ):
        votes.cast_ballot(actor=voter, vote=vote, ranking=[approved])
    clock.advance(days=3)
    chosen = deciding.close_vote(actor="system", vote=vote)
    assert (chosen.outcome, chosen.winners) == ("chosen", ["strike"])

    schulze = propose(body, m[0], details={"method": "schulze", "options": options})
    vote = _open(clock, schulze)
    order = [
        [["march"], ["strike"], ["petition"]],
        [["march"], ["petition"], ["strike"]],
        [["strike"], ["march", "petition"]],
        [["petition"], ["march"], ["strike"]],
        [["march"]],
    ]
    for voter, ranking in zip(m, order, strict=True):
        votes.cast_ballot(actor=voter, vote=vote, ranking=ranking)
    clock.advance(days=3)
    chosen = deciding.close_vote(actor="system", vote=vote)
    assert chosen.winners == ["march"]
    assert chosen.count["method"] == "schulze"


def test_the_elected_secretary_enters_a_meetings_tally_and_attendance(clock: Clock) -> None:
    m = people("Nurse", 6)
    body = assembly("ward", m, Statute(quorum=Fraction(1, 2)))
    elect_one(clock, body, SECRETARY, m[0], m)
    motion = propose(body, m[1])
    clock.advance(hours=48)  # the statute's notice
    with pytest.raises(StandingError, match="only the secretary"):
        votes.open_vote(actor=m[1], motion=motion, mode=Vote.Mode.MEETING)
    vote = votes.open_vote(actor=m[0], motion=motion, mode=Vote.Mode.MEETING)
    with pytest.raises(DecisionError, match="taken in a meeting"):
        votes.cast_ballot(actor=m[1], vote=vote, ranking=[["yes"]])
    with pytest.raises(StandingError, match="only the secretary"):
        deciding.enter_tally(actor=m[1], vote=vote, counts=[([["yes"]], 3)], attendance=m[:4])
    with pytest.raises(DecisionError, match="4 ballots counted, but only 3 members attended"):
        deciding.enter_tally(actor=m[0], vote=vote, counts=[([["yes"]], 4)], attendance=m[:3])
    # Four present, two hands for, one against: the one who did not raise a hand abstained.
    decision = deciding.enter_tally(
        actor=m[0], vote=vote, counts=[([["yes"]], 2), ([["no"]], 1)], attendance=m[:4]
    )
    assert (decision.outcome, decision.turnout) == ("carried", 4)
    assert decision.count["rounds"][0]["votes"] == {"yes": "2", "no": "1", "abstain": "1"}
    entry = RecordEntry.objects.get(action="tally.entered")
    assert entry.data["attendance"] == sorted(x.pk for x in m[:4])


def test_a_meeting_without_its_quorum_decides_nothing(clock: Clock) -> None:
    m = people("Nurse", 6)
    body = assembly("ward", m, Statute(quorum=Fraction(1, 2)))
    elect_one(clock, body, SECRETARY, m[0], m)
    motion = propose(body, m[1])
    clock.advance(hours=48)
    vote = votes.open_vote(actor=m[0], motion=motion, mode=Vote.Mode.MEETING)
    decision = deciding.enter_tally(
        actor=m[0], vote=vote, counts=[([["yes"]], 2)], attendance=m[:2]
    )
    assert decision.outcome == "inquorate"


def test_a_meeting_whose_tally_never_comes_lapses_inquorate_at_the_deadline(
    clock: Clock,
) -> None:
    """No secretary holds a motion at the vote for ever: a meeting's tally not entered within the
    statute's deadline for putting a motion, the scheduler counts it with no one taking part."""
    m = people("Nurse", 6)
    body = assembly("ward", m, Statute(motion_deadline_days=10))
    elect_one(clock, body, SECRETARY, m[0], m)
    motion = propose(body, m[1])
    clock.advance(hours=48)
    vote = votes.open_vote(actor=m[0], motion=motion, mode=Vote.Mode.MEETING)
    assert deciding.tally_due_by(vote) == vote.opened_at + timedelta(days=10)
    clock.advance(days=10, seconds=-1)
    assert deciding.close_due_votes(clock.now) == 0  # the secretary may still enter it
    clock.advance(seconds=1)
    assert deciding.close_due_votes(clock.now) == 1
    decision = Decision.objects.get(vote=vote)
    assert (decision.outcome, decision.turnout, decision.motion) == ("inquorate", 0, motion)
    missing = RecordEntry.objects.get(action="tally.missing")
    assert (missing.actor, missing.subject) == ("system", f"vote:{vote.pk}")
    with pytest.raises(DecisionError):
        deciding.enter_tally(actor=m[0], vote=vote, counts=[([["yes"]], 3)], attendance=m[:3])
    assert deciding.close_due_votes(clock.now) == 0


def test_consent_carries_without_objection_and_an_objection_goes_to_the_majority(
    clock: Clock,
) -> None:
    m = people("Nurse", 4)
    body = assembly("ward", m, Statute(consent_matters=frozenset({"rota"})))
    quiet = decide(clock, body, m[0], dict.fromkeys(m, "abstain"), matter="rota")
    assert quiet.outcome == "carried"  # no one objected
    assert quiet.vote.by_consent
    objected = decide(
        clock, body, m[0], {m[0]: "yes", m[1]: "yes", m[2]: "yes", m[3]: "no"}, matter="rota"
    )
    assert objected.outcome == "carried"  # one objection: no veto, the majority decides
    blocked = decide(clock, body, m[0], {m[0]: "abstain", m[1]: "no"}, matter="rota")
    assert blocked.outcome == "lost"


def test_the_minority_dissents_and_opts_out_and_the_majority_cannot(clock: Clock) -> None:
    m = people("Nurse", 3)
    body = assembly("ward", m)
    decision = decide(
        clock, body, m[0], {m[0]: "yes", m[1]: "yes", m[2]: "no"}, opt_out_allowed=True
    )
    decisions.dissent(actor=m[2], decision=decision, text="This harms the night shift.")
    decisions.opt_out(actor=m[2], decision=decision, reason="conscience")
    with pytest.raises(DecisionError, match="already opted out"):
        decisions.opt_out(actor=m[2], decision=decision)
    with pytest.raises(StandingError, match="voted with the majority"):
        decisions.dissent(actor=m[0], decision=decision, text="I changed my mind")
    with pytest.raises(StandingError, match="had no part"):
        decisions.dissent(actor=person("Outsider"), decision=decision, text="No")
    assert decision.dissents.get().text == "This harms the night shift."
    assert RecordEntry.objects.filter(action="opt_out.declared").count() == 1


def test_no_opt_out_where_the_decision_does_not_allow_it(clock: Clock) -> None:
    m = people("Nurse", 2)
    body = assembly("ward", m)
    decision = decide(clock, body, m[0], {m[0]: "yes", m[1]: "no"})
    assert decision.outcome == "lost"
    with pytest.raises(DecisionError, match="does not allow opting out"):
        decisions.opt_out(actor=m[1], decision=decision)


def test_a_decision_names_who_carries_it_out_and_they_report_back(clock: Clock) -> None:
    m = people("Nurse", 3)
    body = assembly("ward", m)
    due = (clock.now + timedelta(days=30)).date()
    motion = motions.propose_motion(
        actor=m[0], body=body, title="Fix the rota", text="", implementers=[m[1]], implement_by=due
    )
    motions.submit_motion(actor=m[0], motion=motion)
    decision = vote_in(clock, motion, all_yes(m))
    implementation = decision.implementation
    assert list(implementation.implementers.all()) == [m[1]]
    assert implementation.due_on == due
    with pytest.raises(StandingError, match="not named"):
        decisions.report_progress(actor=m[2], implementation=implementation, text="done")
    decisions.report_progress(actor=m[1], implementation=implementation, text="Draft ready")
    decisions.report_progress(actor=m[1], implementation=implementation, text="Done", done=True)
    assert [r.done for r in implementation.reports.all()] == [False, True]


def test_a_lost_decision_has_no_implementation(clock: Clock) -> None:
    m = people("Nurse", 2)
    body = assembly("ward", m)
    motion = motions.propose_motion(
        actor=m[0], body=body, title="Fix", text="", implementers=[m[1]]
    )
    motions.submit_motion(actor=m[0], motion=motion)
    decision = vote_in(clock, motion, {m[0]: "no", m[1]: "no"})
    assert not Decision.objects.filter(pk=decision.pk, implementation__isnull=False).exists()


def test_a_suspended_member_is_not_on_the_roll_of_a_new_vote(clock: Clock) -> None:
    # Suspension is a sanction (see test_sanctions); here: leaving takes one off the next roll.
    m = people("Nurse", 3)
    body = assembly("ward", m)
    bodies.leave_assembly(actor=m[2], assembly=body)
    vote = _open(clock, propose(body, m[0]))
    assert vote.electorate == 2


def test_a_vote_shorter_than_the_statutes_minimum_is_refused_and_stores_nothing(
    clock: Clock,
) -> None:
    m = people("Nurse", 2)
    body = assembly("ward", m)
    secretary = _secretary_of(clock, m, body)
    motion = propose(body, m[0])
    clock.advance(hours=48)
    entries = RecordEntry.objects.count()
    earliest = (clock.now + timedelta(hours=72)).strftime("%Y-%m-%d %H:%M")
    with pytest.raises(DecisionError, match=f"at least 72 hours: it may close at {earliest} UTC"):
        votes.open_vote(actor=secretary, motion=motion, closes_at=clock.now + timedelta(hours=71))
    motion.refresh_from_db()
    assert motion.status == Motion.Status.SUBMITTED
    assert not Vote.objects.filter(motion=motion).exists()
    assert RecordEntry.objects.count() == entries
    vote = votes.open_vote(
        actor=secretary, motion=motion, closes_at=clock.now + timedelta(hours=72)
    )
    assert vote.closes_at == clock.now + timedelta(hours=72)


def test_a_statute_may_set_a_shorter_minimum_and_a_meeting_has_none(clock: Clock) -> None:
    m = people("Nurse", 2)
    body = assembly("ward", m, Statute(min_voting_hours=1, min_notice_hours=0))
    secretary = _secretary_of(clock, m, body)
    vote = votes.open_vote(
        actor=secretary, motion=propose(body, m[0]), closes_at=clock.now + timedelta(hours=1)
    )
    assert vote.mode == Vote.Mode.ONLINE


def test_the_default_quorum_is_a_tenth_of_the_electorate(clock: Clock) -> None:
    m = people("Nurse", 20)
    body = assembly("ward", m)
    lone = decide(clock, body, m[0], {m[0]: "yes"})
    assert lone.outcome == "inquorate"  # one vote of twenty decides nothing
    two = decide(clock, body, m[0], {m[0]: "yes", m[1]: "yes"})
    assert two.outcome == "carried"


def test_only_the_elected_secretary_puts_a_motion_to_an_online_vote(clock: Clock) -> None:
    m = people("Nurse", 3)
    body = assembly("ward", m)
    motion = propose(body, m[1])
    clock.advance(hours=48)
    closes = clock.now + timedelta(days=3)
    with pytest.raises(StandingError, match="only the secretary that 'ward' elected"):
        votes.open_vote(actor=m[1], motion=motion, closes_at=closes)
    secretary = _secretary_of(clock, m, body)
    term_end = Term.objects.get(holder=secretary, office=SECRETARY).ends_at
    clock.now = term_end  # the term is over: the former secretary is a member like any other
    with pytest.raises(StandingError, match="holds no such term"):
        votes.open_vote(actor=secretary, motion=motion, closes_at=clock.now + timedelta(days=3))
    assert not Vote.objects.filter(motion=motion).exists()


def test_a_vote_before_the_statutes_notice_is_refused_saying_when_it_may_open(
    clock: Clock,
) -> None:
    m = people("Nurse", 3)
    body = assembly("ward", m)
    secretary = _secretary_of(clock, m, body)
    motion = propose(body, m[1], "Night shifts")
    amendment = motions.propose_amendment(actor=m[2], motion=motion, text="Fewer night shifts")
    entries = RecordEntry.objects.count()
    motion_from = (clock.now + timedelta(hours=48)).strftime("%Y-%m-%d %H:%M")
    clock.advance(hours=47)
    with pytest.raises(
        DecisionError,
        match="Night shifts was submitted less than 48 hours ago: members have that notice "
        f"before its vote, which may open from {motion_from} UTC",
    ):
        votes.open_vote(actor=secretary, motion=motion, mode=Vote.Mode.MEETING)
    with pytest.raises(DecisionError, match=f"amendment {amendment.pk} to Night shifts was"):
        votes.open_vote(
            actor=secretary, amendment=amendment, closes_at=clock.now + timedelta(days=3)
        )
    assert RecordEntry.objects.count() == entries
    assert not Vote.objects.filter(motion=motion).exists()
    clock.advance(hours=1)
    vote = votes.open_vote(
        actor=secretary, amendment=amendment, closes_at=clock.now + timedelta(days=3)
    )
    assert vote.amendment == amendment


def test_a_meetings_tally_by_approval_counts_hands_for_each_option(clock: Clock) -> None:
    m = people("Nurse", 5)
    body = assembly("ward", m)
    secretary = _secretary_of(clock, m, body)
    options = ["march", "strike", "petition"]
    motion = propose(body, m[1], details={"method": "approval", "options": options})
    clock.advance(hours=48)
    vote = votes.open_vote(actor=secretary, motion=motion, mode=Vote.Mode.MEETING)
    # Four attend: each raises a hand once for every option they approve.
    with pytest.raises(DecisionError, match="5 hands approved 'strike', but only 4 members"):
        deciding.enter_tally(
            actor=secretary,
            vote=vote,
            counts=[([["strike"]], 3), ([["strike", "march"]], 2)],
            attendance=m[:4],
        )
    with pytest.raises(DecisionError, match="'rest' is not an option"):
        deciding.enter_tally(actor=secretary, vote=vote, counts=[([["rest"]], 1)], attendance=m[:4])
    assert not Decision.objects.filter(vote=vote).exists()
    decision = deciding.enter_tally(
        actor=secretary,
        vote=vote,
        counts=[([["march"]], 2), ([["strike"]], 4), ([["petition"]], 3)],
        attendance=m[:4],
    )
    assert (decision.outcome, decision.winners, decision.turnout) == ("chosen", ["strike"], 4)
