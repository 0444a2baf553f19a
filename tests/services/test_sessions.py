"""Sessions and mandates: the agenda sent down in time, each member body's mandate by its own
vote, delegation votes derived from mandates, delegates casting only where the mandate leaves it
to them, and provisional decisions ratified or lapsed by the member bodies."""

from __future__ import annotations

from datetime import timedelta

import pytest

from frombelow.core.errors import DecisionError, MandateError, StandingError
from frombelow.core.statutes import ApportionedSeats, Statute
from frombelow.db.models import DelegationVote, Mandate, Motion, RecordEntry, Session, Vote
from frombelow.services import deciding, elections, sessions
from frombelow.services.queries.decisions import delegation_votes, standing_of
from tests.services.world import (
    Clock,
    all_yes,
    council_decides,
    council_motion,
    council_session,
    decide,
    elect_secretary,
    ensure_secretary,
    federation,
    mandate,
)

pytestmark = pytest.mark.django_db


def test_the_agenda_must_reach_member_bodies_before_the_mandate_deadline(clock: Clock) -> None:
    fed = federation(clock, Statute(mandate_deadline_days=14))
    chair = fed.delegates["docks"]
    ensure_secretary(clock, fed.council, chair)
    motion = council_motion(fed, "Strike fund")
    session = sessions.schedule_session(
        actor=chair, council=fed.council, title="Soon", starts_at=clock.now + timedelta(days=10)
    )
    sessions.add_item(actor=chair, session=session, motion=motion)
    before = RecordEntry.objects.count()
    deadline = session.starts_at - timedelta(days=14)
    with pytest.raises(DecisionError, match="14 days before the session") as refused:
        sessions.send_agenda(actor=chair, session=session)
    assert refused.value.params["deadline"] == deadline  # the date is named
    assert RecordEntry.objects.count() == before
    session.refresh_from_db()
    assert session.agenda_sent_at is None


def test_only_the_councils_secretary_schedules_and_sends_the_agenda(clock: Clock) -> None:
    fed = federation(clock)
    secretary = fed.members["docks"][1]  # a docker, not a delegate
    elect_secretary(clock, fed.council, secretary)
    delegate, member = fed.delegates["rail"], fed.members["rail"][1]
    before = (RecordEntry.objects.count(), Session.objects.count())
    for actor in (delegate, member):
        with pytest.raises(StandingError, match="only the secretary that 'federation' elected"):
            sessions.schedule_session(
                actor=actor, council=fed.council, title="x", starts_at=clock.now
            )
    assert (RecordEntry.objects.count(), Session.objects.count()) == before
    session = sessions.schedule_session(
        actor=secretary,
        council=fed.council,
        title="Summer",
        starts_at=clock.now + timedelta(days=30),
    )
    motion = council_motion(fed, "Strike fund")
    with pytest.raises(StandingError, match="adding an item: only the secretary"):
        sessions.add_item(actor=delegate, session=session, motion=motion)
    sessions.add_item(actor=secretary, session=session, motion=motion)
    before = (RecordEntry.objects.count(), Session.objects.count())
    with pytest.raises(StandingError, match="sending an agenda: only the secretary"):
        sessions.send_agenda(actor=delegate, session=session)
    assert (RecordEntry.objects.count(), Session.objects.count()) == before
    session.refresh_from_db()
    assert session.agenda_sent_at is None
    assert sessions.send_agenda(actor=secretary, session=session).agenda_sent_at == clock.now
    clock.now = session.starts_at
    with pytest.raises(StandingError, match="opening a session: only the secretary"):
        sessions.open_session(actor=delegate, session=session)
    sessions.open_session(actor=secretary, session=session)
    (vote,) = Vote.objects.filter(session=session)
    clock.advance(days=1)  # its closing time: nobody cast
    with pytest.raises(StandingError, match="only the secretary"):
        deciding.close_session_vote(actor=delegate, vote=vote)
    deciding.close_session_vote(actor=secretary, vote=vote)
    with pytest.raises(StandingError, match="closing a session: only the secretary"):
        sessions.close_session(actor=delegate, session=session)
    assert sessions.close_session(actor=secretary, session=session).closed_at == clock.now


def test_a_council_with_no_secretary_meets_only_to_elect_one(clock: Clock) -> None:
    fed = federation(clock)
    delegate = fed.delegates["docks"]
    assert sessions.secretary_of(fed.council, clock.now) is None
    # Its delegates may call it to a session and open it, so that it can elect its secretary.
    session = sessions.schedule_session(
        actor=delegate, council=fed.council, title="First", starts_at=clock.now
    )
    before = RecordEntry.objects.count()
    with pytest.raises(StandingError, match="'federation' has no secretary in office"):
        sessions.add_item(actor=delegate, session=session, motion=council_motion(fed, "Fund"))
    with pytest.raises(StandingError, match="no delegate"):
        sessions.open_session(actor=fed.members["docks"][1], session=session)
    assert RecordEntry.objects.count() == before + 2  # the motion proposed and submitted only
    sessions.open_session(actor=delegate, session=session)
    election = elections.call_election(actor=delegate, body=fed.council, office="secretary")
    secretary = fed.members["rail"][2]
    elections.stand(actor=secretary, election=election)
    vote = elections.open_election(
        actor=delegate, election=election, session=session, closes_at=clock.now + timedelta(days=1)
    )
    for slug in fed.assemblies:
        sessions.cast_for_delegation(
            actor=fed.delegates[slug],
            vote=vote,
            ranking=[[elections.candidate_label(secretary)]],
        )
    deciding.close_session_vote(actor=delegate, vote=vote)
    assert sessions.secretary_of(fed.council, clock.now) == secretary
    # Now elected, the secretary closes the session; the delegates no longer may.
    with pytest.raises(StandingError, match="only the secretary"):
        sessions.close_session(actor=delegate, session=session)
    sessions.close_session(actor=secretary, session=session)


def test_a_secretary_whose_term_ended_is_refused(clock: Clock) -> None:
    fed = federation(clock, Statute(max_term_days=200))
    secretary = fed.members["docks"][1]
    term = elect_secretary(clock, fed.council, secretary)
    session = sessions.schedule_session(
        actor=secretary,
        council=fed.council,
        title="Autumn",
        starts_at=term.ends_at + timedelta(days=30),
    )
    sessions.add_item(actor=secretary, session=session, motion=council_motion(fed, "Fund"))
    clock.now = term.ends_at + timedelta(minutes=1)
    before = RecordEntry.objects.count()
    with pytest.raises(StandingError, match="term as secretary of 'federation' ended at") as ended:
        sessions.send_agenda(actor=secretary, session=session)
    assert ended.value.params["ended"] == term.ends_at
    with pytest.raises(StandingError, match="term as secretary of 'federation' ended"):
        sessions.schedule_session(
            actor=secretary, council=fed.council, title="x", starts_at=clock.now
        )
    assert RecordEntry.objects.count() == before
    session.refresh_from_db()
    assert session.agenda_sent_at is None
    # Nor may a delegate send it: with no secretary in office, the agenda waits for one.
    with pytest.raises(StandingError, match="has no secretary in office"):
        sessions.send_agenda(actor=fed.delegates["docks"], session=session)


def test_bound_and_proportional_mandates_decide_the_delegations_votes(clock: Clock) -> None:
    fed = federation(clock, sizes={"docks": 5, "rail": 3, "port": 2})
    motion = council_motion(fed, "Strike fund", matter="funds")
    d, r = fed.members["docks"], fed.members["rail"]
    decision = council_decides(
        clock,
        fed,
        motion,
        {
            "docks": (
                "proportional",
                {d[0]: "yes", d[1]: "yes", d[2]: "yes", d[3]: "no", d[4]: "no"},
            ),
            "rail": ("bound", {r[0]: "no", r[1]: "no", r[2]: "yes"}),
            # The port decides nothing: absent, never consent.
        },
    )
    by_body = {v.member_body.slug: v for v in delegation_votes(decision)}
    assert by_body["docks"].votes == {"yes": 3, "no": 2, "abstain": 0}
    assert by_body["docks"].derivation.startswith("proportional")
    assert by_body["rail"].votes == {"no": 3}
    assert "port" not in by_body
    assert decision.turnout == 8
    assert decision.vote.electorate == 10
    assert decision.outcome == "lost"  # 3 yes to 5 no
    assert decision.provisional is False  # a lost decision binds no one to anything


def test_a_delegate_cannot_cast_against_a_bound_mandate(clock: Clock) -> None:
    fed = federation(clock)
    motion = council_motion(fed, "Strike fund")
    chair = fed.delegates["docks"]
    session, (item,) = council_session(clock, fed.council, chair, [motion])
    mandate(
        clock,
        fed.assemblies["docks"],
        fed.members["docks"][0],
        item,
        "bound",
        all_yes(fed.members["docks"]),
    )
    mandate(
        clock,
        fed.assemblies["rail"],
        fed.members["rail"][0],
        item,
        "free",
        all_yes(fed.members["rail"]),
    )
    clock.now = session.starts_at
    sessions.open_session(actor=chair, session=session)
    vote = Vote.objects.get(item=item)
    before = RecordEntry.objects.count()
    with pytest.raises(MandateError, match=r"cannot cast 'no'.*bound mandate is 'yes'"):
        sessions.cast_for_delegation(actor=chair, vote=vote, ranking=[["no"]])
    with pytest.raises(MandateError, match="bound mandate"):
        sessions.cast_for_delegation(actor=chair, vote=vote, ranking=[["yes"]])
    assert RecordEntry.objects.count() == before
    # The rail left it free: its delegate casts, once.
    sessions.cast_for_delegation(actor=fed.delegates["rail"], vote=vote, ranking=[["no"]])
    with pytest.raises(MandateError, match="every seat"):
        sessions.cast_for_delegation(actor=fed.delegates["rail"], vote=vote, ranking=[["yes"]])
    decision = deciding.close_session_vote(actor=chair, vote=vote)  # all voted: no need to wait
    by_body = {v.member_body.slug: v for v in delegation_votes(decision)}
    assert by_body["rail"].derivation.startswith("free: cast by its delegates")
    assert by_body["docks"].mandate is not None


def test_a_body_that_gave_no_mandate_in_time_is_absent(clock: Clock) -> None:
    fed = federation(clock)
    motion = council_motion(fed, "Strike fund")
    chair = fed.delegates["docks"]
    session, (item,) = council_session(clock, fed.council, chair, [motion])
    clock.now = session.starts_at
    sessions.open_session(actor=chair, session=session)
    vote = Vote.objects.get(item=item)
    with pytest.raises(MandateError, match="no mandate in time"):
        sessions.cast_for_delegation(actor=chair, vote=vote, ranking=[["yes"]])
    # And a mandate decided after the session opened is refused when proposed.
    with pytest.raises(DecisionError, match="has opened"):
        mandate(clock, fed.assemblies["docks"], fed.members["docks"][0], item, "bound", {})


def test_a_new_matter_is_provisional_until_the_member_bodies_ratify_it(clock: Clock) -> None:
    fed = federation(clock, Statute(competences=frozenset({"strikes"}), ratification_days=30))
    chair = fed.delegates["docks"]
    session, _ = council_session(clock, fed.council, chair, [council_motion(fed, "Agenda")])
    clock.now = session.starts_at
    sessions.open_session(actor=chair, session=session)
    raised = council_motion(fed, "Call a general strike", matter="strikes")
    item = sessions.add_item(actor=chair, session=session, motion=raised)
    assert item.new_matter
    vote = Vote.objects.get(item=item)
    for slug in fed.assemblies:
        sessions.cast_for_delegation(actor=fed.delegates[slug], vote=vote, ranking=[["yes"]])
    decision = deciding.close_session_vote(actor=chair, vote=vote)
    assert decision.outcome == "carried"
    assert decision.provisional
    assert "no mandate covered it" in decision.provisional_because
    assert standing_of(decision, clock.now) == "pending"
    for slug, members in fed.members.items():
        decide(
            clock,
            fed.assemblies[slug],
            members[0],
            all_yes(members),
            kind=Motion.Kind.RATIFY,
            decision=decision,
        )
    assert standing_of(decision, clock.now) == "ratified"
    assert RecordEntry.objects.filter(action="decision.ratified").count() == 1


def test_a_provisional_decision_lapses_without_ratification(clock: Clock) -> None:
    fed = federation(clock, Statute(ratification_days=30))
    motion = council_motion(fed, "Buy a building", matter="property")  # not a competence
    yes = {s: ("bound", all_yes(m)) for s, m in fed.members.items()}
    decision = council_decides(clock, fed, motion, yes)
    assert decision.provisional
    assert "outside the competences" in decision.provisional_because
    assert standing_of(decision, clock.now) == "pending"
    clock.advance(days=31)
    assert standing_of(decision, clock.now) == "lapsed"  # no one had to act
    with pytest.raises(DecisionError, match="period to ratify"):
        decide(
            clock,
            fed.assemblies["docks"],
            fed.members["docks"][0],
            all_yes(fed.members["docks"]),
            kind=Motion.Kind.RATIFY,
            decision=decision,
        )


def test_a_decision_within_competences_binds_at_once(clock: Clock) -> None:
    fed = federation(clock, Statute(competences=frozenset({"strikes"})))
    motion = council_motion(fed, "Strike", matter="strikes")
    yes = {s: ("bound", all_yes(m)) for s, m in fed.members.items()}
    decision = council_decides(clock, fed, motion, yes)
    assert (decision.outcome, decision.provisional) == ("carried", False)
    assert standing_of(decision, clock.now) == "binding"


def test_apportioned_seats_cast_one_vote_each(clock: Clock) -> None:
    statute = Statute(seat_scheme=ApportionedSeats(seats=5), competences=frozenset({"x"}))
    fed = federation(clock, statute, sizes={"docks": 6, "rail": 2})
    motion = council_motion(fed, "X", matter="x")
    decision = council_decides(
        clock,
        fed,
        motion,
        {
            "docks": ("bound", all_yes(fed.members["docks"])),
            "rail": ("free", all_yes(fed.members["rail"])),
        },
        {"rail": "no"},
    )
    by_body = {v.member_body.slug: v.votes for v in delegation_votes(decision)}
    assert by_body == {"docks": {"yes": 4}, "rail": {"yes": 0, "no": 1, "abstain": 0}}
    assert decision.vote.electorate == 5


def test_weights_are_snapshotted_when_the_session_opens(clock: Clock) -> None:
    fed = federation(clock, sizes={"docks": 3, "rail": 2})
    chair = fed.delegates["docks"]
    session, _ = council_session(clock, fed.council, chair, [council_motion(fed, "X")])
    clock.now = session.starts_at
    sessions.open_session(actor=chair, session=session)
    session.refresh_from_db()
    assert session.weights is not None
    weights = {w.body.slug: w.weight for w in session.weights.weights.select_related("body")}
    assert weights == {"docks": 3, "rail": 2, "federation": 5}
    entry = RecordEntry.objects.get(action="session.opened", subject=f"session:{session.pk}")
    assert entry.data["delegations"]["docks"] == {"weight": 3, "seats": 1, "votes_per_seat": 3}


def test_a_council_of_councils_takes_its_mandate_from_its_own_session(clock: Clock) -> None:
    lower = federation(clock)
    upper = federation(clock, sizes={"mines": 2, "mills": 2}, council="confederation")
    # The lower federation joins the confederation (both councils decide).
    council_decides(
        clock,
        lower,
        council_motion(lower, "Join", kind=Motion.Kind.JOIN_COUNCIL, other_body=upper.council),
        {s: ("bound", all_yes(m)) for s, m in lower.members.items()},
    )
    council_decides(
        clock,
        upper,
        council_motion(
            upper, "Accept", kind=Motion.Kind.ACCEPT_MEMBER_BODY, other_body=lower.council
        ),
        {s: ("bound", all_yes(m)) for s, m in upper.members.items()},
    )
    # The lower federation elects its delegate to the confederation in its own session.
    chair = lower.delegates["docks"]
    own, _ = council_session(clock, lower.council, chair, [council_motion(lower, "Elections")])
    clock.now = own.starts_at
    sessions.open_session(actor=chair, session=own)
    election = elections.call_election(
        actor=chair, body=lower.council, office="delegate", council=upper.council
    )
    elections.stand(actor=chair, election=election)
    vote = elections.open_election(
        actor=chair, election=election, session=own, closes_at=clock.now + timedelta(days=1)
    )
    for slug in lower.assemblies:
        sessions.cast_for_delegation(
            actor=lower.delegates[slug], vote=vote, ranking=[[elections.candidate_label(chair)]]
        )
    assert deciding.close_session_vote(actor=chair, vote=vote).winners == [
        elections.candidate_label(chair)
    ]
    # The confederation sends down an item; the federation decides its mandate in session.
    top = council_motion(upper, "A confederal strike fund")
    congress, (top_item,) = council_session(clock, upper.council, upper.delegates["mines"], [top])
    ours = council_motion(
        lower,
        "Our mandate on the strike fund",
        kind=Motion.Kind.DECIDE_MANDATE,
        details={"mandate": "proportional"},
        council_item=top_item,
    )
    decision = council_decides(
        clock,
        lower,
        ours,
        {
            "docks": ("bound", all_yes(lower.members["docks"])),
            "rail": ("bound", dict.fromkeys(lower.members["rail"], "no")),
        },
    )
    made = Mandate.objects.get(item=top_item)
    assert (made.member_body, made.kind, made.decision) == (lower.council, "proportional", decision)
    assert made.shares == {"yes": 3, "no": 3, "abstain": 0}
    # At the confederation, the federation's delegation votes 3 and 3, as its session decided.
    clock.now = congress.starts_at
    sessions.open_session(actor=upper.delegates["mines"], session=congress)
    derived = DelegationVote.objects.get(vote__item=top_item, member_body=lower.council)
    assert derived.votes == {"yes": 3, "no": 3, "abstain": 0}


def test_an_item_is_complete_once_every_delegation_that_can_vote_has(clock: Clock) -> None:
    # Issue 11: a delegation with no mandate can never cast, so it must not hold the item open.
    fed = federation(clock, sizes={"docks": 3, "rail": 3, "port": 2})
    chair = fed.delegates["docks"]
    session, (item,) = council_session(clock, fed.council, chair, [council_motion(fed, "Fund")])
    docks, rail = fed.assemblies["docks"], fed.assemblies["rail"]
    mandate(clock, docks, fed.members["docks"][0], item, "bound", all_yes(fed.members["docks"]))
    mandate(clock, rail, fed.members["rail"][0], item, "free", all_yes(fed.members["rail"]))
    clock.now = session.starts_at
    sessions.open_session(actor=chair, session=session)
    vote = Vote.objects.get(item=item)
    # Docks' vote is derived, the port is absent: only the rail's free delegate is awaited.
    assert sessions.casts_awaited(vote) == {rail.pk: 1}
    before = RecordEntry.objects.count()
    with pytest.raises(DecisionError, match="some delegations have not voted"):
        deciding.close_session_vote(actor=chair, vote=vote)
    assert RecordEntry.objects.count() == before
    sessions.cast_for_delegation(actor=fed.delegates["rail"], vote=vote, ranking=[["yes"]])
    assert sessions.casts_awaited(vote) == {}
    decision = deciding.close_session_vote(actor=chair, vote=vote)  # before its closing time
    assert decision.outcome == "carried"
    assert "port" not in {v.member_body.slug for v in delegation_votes(decision)}


def test_an_item_no_delegation_can_cast_on_is_complete_at_once(clock: Clock) -> None:
    fed = federation(clock)
    chair = fed.delegates["docks"]
    session, (item,) = council_session(clock, fed.council, chair, [council_motion(fed, "Fund")])
    mandate(
        clock,
        fed.assemblies["docks"],
        fed.members["docks"][0],
        item,
        "proportional",
        all_yes(fed.members["docks"]),
    )
    clock.now = session.starts_at
    sessions.open_session(actor=chair, session=session)
    vote = Vote.objects.get(item=item)
    assert sessions.is_complete(vote)  # docks derived, rail absent: nobody left to cast
    decision = deciding.close_session_vote(actor=chair, vote=vote)  # before its closing time
    assert [v.member_body.slug for v in delegation_votes(decision)] == ["docks"]
