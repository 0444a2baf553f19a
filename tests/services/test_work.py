"""What needs a member now: each kind of work offered to whom may do it, and to no one else; the
read asks as many queries for a member of a large body as of a small one."""

from __future__ import annotations

from datetime import datetime, timedelta
from fractions import Fraction

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from frombelow.core.statutes import PetitionThreshold, Statute
from frombelow.db.mapping import statute_json
from frombelow.db.models import Member, Motion, Petition, Term, Vote
from frombelow.services import elections, joining, petitions, sessions, votes
from frombelow.services.queries.bodies import statute_of
from frombelow.services.standing import MEMBERSHIP_OFFICER
from frombelow.services.work import entries, work_of
from tests.services.world import (
    Clock,
    Federation,
    admit_by_decision,
    all_yes,
    council_motion,
    council_session,
    decide,
    elect_one,
    elect_secretary,
    federation,
    mandate,
    person,
    propose,
)

pytestmark = pytest.mark.django_db


def open_now(motion: Motion, closes_at: datetime | None, mode: str = Vote.Mode.ONLINE) -> Vote:
    """Open an assembly's vote on a submitted motion at once, as the system."""
    with transaction.atomic():
        locked = Motion.objects.select_for_update().get(pk=motion.pk)
        return votes.put_to_vote(
            actor="system",
            motion=locked,
            amendment=None,
            ballot_kind=Vote.BallotKind.OPEN,
            mode=mode,
            closes_at=closes_at,
        )


def test_an_open_vote_is_offered_to_those_on_its_roll_who_have_not_voted(clock: Clock) -> None:
    fed = federation(clock)
    docks, rail = fed.members["docks"], fed.members["rail"]
    vote = open_now(
        propose(fed.assemblies["docks"], docks[0], "Canteen"), clock.now + timedelta(days=30)
    )
    newcomer = person("Nuria Vega")
    admit_by_decision(clock, fed, "docks", newcomer)  # admitted after the vote opened
    assert work_of(docks[1], clock.now).open_votes == [vote]
    assert work_of(newcomer, clock.now).open_votes == []  # not on its roll
    assert work_of(rail[0], clock.now).open_votes == []
    votes.cast_ballot(actor=docks[1], vote=vote, ranking=[["yes"]])
    assert work_of(docks[1], clock.now).open_votes == []
    assert vote.closes_at is not None
    clock.now = vote.closes_at
    assert work_of(docks[2], clock.now).open_votes == []  # closed: nothing to cast


def test_an_election_taking_candidacies_is_offered_to_those_who_may_stand(clock: Clock) -> None:
    fed = federation(clock)
    docks, rail = fed.members["docks"], fed.members["rail"]
    own = elections.call_election(actor=docks[0], body=fed.assemblies["docks"], office="treasurer")
    above = elections.call_election(
        actor=fed.delegates["rail"], body=fed.council, office="treasurer"
    )
    assert work_of(docks[1], clock.now).candidacies == [own, above]
    assert work_of(rail[1], clock.now).candidacies == [above]  # not the docks' own
    elections.stand(actor=docks[1], election=own)
    assert work_of(docks[1], clock.now).candidacies == [above]
    elections.withdraw_candidacy(actor=docks[1], election=own)
    assert work_of(docks[1], clock.now).candidacies == [above]  # a withdrawal is final
    (entry,) = [e for e in entries(work_of(rail[1], clock.now)) if e.what == "candidacy"]
    assert (entry.role, entry.title, entry.body) == ("member", "treasurer", "Federation")
    assert entry.page == f"/elections/{above.pk}/#stand-h"


def test_a_petition_is_offered_to_those_entitled_who_have_not_signed(clock: Clock) -> None:
    fed = federation(clock, Statute(referendum_petition_members=PetitionThreshold(Fraction(1, 2))))
    docks, rail = fed.members["docks"], fed.members["rail"]
    asked = petitions.open_petition(
        actor=docks[0], kind=Petition.Kind.REFERENDUM, body=fed.council, question="Strike?"
    )
    newcomer = person("Nuria Vega")
    admit_by_decision(clock, fed, "docks", newcomer)  # not entitled: admitted after it opened
    assert work_of(rail[2], clock.now).petitions == [asked]
    assert work_of(docks[1], clock.now).petitions == [asked]
    assert work_of(docks[0], clock.now).petitions == []  # its opener signed it
    assert work_of(newcomer, clock.now).petitions == []
    petitions.sign_petition(actor=rail[2], petition=asked)
    assert work_of(rail[2], clock.now).petitions == []


def test_a_delegate_sees_their_sessions_mandates_and_the_casts_due_from_them(
    clock: Clock,
) -> None:
    fed = federation(clock)
    chair = fed.delegates["docks"]
    session, (item,) = council_session(
        clock, fed.council, chair, [council_motion(fed, "Federal strike")]
    )
    docks, rail = fed.members["docks"], fed.members["rail"]
    # Before the session: each assembly's mandate awaits its members.
    assert [(a.body.slug, a.item) for a in work_of(docks[1], clock.now).mandates_awaited] == [
        ("docks", item)
    ]
    mandate(clock, fed.assemblies["docks"], docks[0], item, "free", all_yes(docks))
    mandate(clock, fed.assemblies["rail"], rail[0], item, "bound", all_yes(rail))
    assert work_of(docks[1], clock.now).mandates_awaited == []
    free, bound = work_of(chair, clock.now), work_of(fed.delegates["rail"], clock.now)
    assert free.sessions == bound.sessions == [session]
    assert [m.kind for m in free.mandates] == ["free"]
    assert [m.kind for m in bound.mandates] == ["bound"]
    assert work_of(docks[1], clock.now).sessions == []  # no delegate
    clock.now = session.starts_at
    sessions.open_session(actor=chair, session=session)
    vote = Vote.objects.get(item=item)
    # Free: the docks' delegate casts; bound: the rail's delegation votes as mandated.
    assert [(c.vote, c.body.slug) for c in work_of(chair, clock.now).casts] == [(vote, "docks")]
    assert work_of(fed.delegates["rail"], clock.now).casts == []
    assert work_of(docks[1], clock.now).casts == []
    sessions.cast_for_delegation(actor=chair, vote=vote, ranking=[["yes"]])
    assert work_of(chair, clock.now).casts == []


def test_a_secretary_sees_the_motions_votes_and_elections_that_wait_for_them(
    clock: Clock,
) -> None:
    fed = federation(clock)
    docks = fed.members["docks"]
    secretary = elect_one(clock, fed.assemblies["docks"], "secretary", docks[2], docks).holder
    motion = propose(fed.assemblies["docks"], docks[0], "Canteen")
    meeting = open_now(
        propose(fed.assemblies["docks"], docks[0], "Rota"), None, mode=Vote.Mode.MEETING
    )
    # Members have the statute's notice of a motion before it is put to the vote.
    assert work_of(secretary, clock.now).motions_to_put == []
    clock.advance(hours=statute_of(fed.assemblies["docks"]).min_notice_hours)
    work = work_of(secretary, clock.now)
    assert work.motions_to_put == [motion]
    assert work.votes_to_close == [meeting]
    assert work.elections_due == []
    for other in (docks[0], fed.members["rail"][0]):
        theirs = work_of(other, clock.now)
        assert (theirs.motions_to_put, theirs.votes_to_close) == ([], [])
    # Within the statute's notice before the terms end, the docks' elections are due.
    clock.advance(days=340)
    due = [(d.body.slug, d.office.office) for d in work_of(secretary, clock.now).elections_due]
    assert sorted(due) == [("docks", "delegate"), ("docks", "secretary")]
    assert work_of(docks[0], clock.now).elections_due == []
    elections.call_election(actor=docks[0], body=fed.assemblies["docks"], office="secretary")
    due = [(d.body.slug, d.office.office) for d in work_of(secretary, clock.now).elections_due]
    assert due == [("docks", "delegate")]


def test_a_councils_secretary_sees_the_agendas_to_send_down_in_time(clock: Clock) -> None:
    fed = federation(clock, Statute(mandate_deadline_days=14))
    secretary = fed.members["docks"][1]
    elect_secretary(clock, fed.council, secretary)
    late = sessions.schedule_session(
        actor=secretary, council=fed.council, title="Soon", starts_at=clock.now + timedelta(days=10)
    )
    ahead = sessions.schedule_session(
        actor=secretary,
        council=fed.council,
        title="Autumn",
        starts_at=clock.now + timedelta(days=30),
    )
    sessions.add_item(actor=secretary, session=ahead, motion=council_motion(fed, "Strike fund"))
    (agenda,) = work_of(secretary, clock.now).agendas  # not `late`: it can no longer go down
    assert (agenda.session, agenda.items) == (ahead, 1)
    assert agenda.send_by == ahead.starts_at - timedelta(days=14)
    assert late != ahead
    assert work_of(fed.delegates["docks"], clock.now).agendas == []
    sessions.send_agenda(actor=secretary, session=ahead)
    assert work_of(secretary, clock.now).agendas == []


def test_a_councils_secretary_sees_the_sessions_whose_time_has_come_until_closed(
    clock: Clock,
) -> None:
    fed = federation(clock)
    secretary = fed.members["docks"][1]
    elect_secretary(clock, fed.council, secretary)
    session = sessions.schedule_session(
        actor=secretary,
        council=fed.council,
        title="Spring",
        starts_at=clock.now + timedelta(days=2),
    )
    assert work_of(secretary, clock.now).sessions_to_run == []  # not yet its time
    clock.advance(days=2)
    assert work_of(secretary, clock.now).sessions_to_run == [session]
    assert work_of(fed.delegates["docks"], clock.now).sessions_to_run == []  # only the secretary
    sessions.open_session(actor=secretary, session=session)
    (entry,) = [e for e in entries(work_of(secretary, clock.now)) if e.what == "session-to-run"]
    assert (entry.role, entry.id, entry.page) == ("officer", session.pk, f"/sessions/{session.pk}/")
    sessions.close_session(actor=secretary, session=session)
    assert work_of(secretary, clock.now).sessions_to_run == []


def test_a_decision_past_its_date_needs_its_implementers_and_its_bodys_secretary(
    clock: Clock,
) -> None:
    fed = federation(clock)
    docks = fed.members["docks"]
    secretary = elect_one(clock, fed.assemblies["docks"], "secretary", docks[2], docks).holder
    decide(
        clock,
        fed.assemblies["docks"],
        docks[0],
        all_yes(docks),
        title="Paint the hall",
        implementers=[docks[1]],
        implement_by=clock.now.date() + timedelta(days=10),
    )
    assert work_of(docks[1], clock.now).overdue == []
    clock.advance(days=11)
    (carried,) = work_of(docks[1], clock.now).overdue
    assert work_of(secretary, clock.now).overdue_in_bodies == [carried]
    assert work_of(docks[0], clock.now).overdue == []
    (entry,) = [e for e in entries(work_of(secretary, clock.now)) if e.what == "overdue"]
    assert (entry.role, entry.title) == ("officer", "Paint the hall")


def _busy(clock: Clock, fed: Federation) -> Member:
    """Give the federation's first assembly an open vote, an election, a petition and a session
    with a mandate awaited; return one of its members."""
    slug, members = next(iter(fed.members.items()))
    body = fed.assemblies[slug]
    open_now(propose(body, members[0], "Canteen"), clock.now + timedelta(days=30))
    elections.call_election(actor=members[0], body=body, office="treasurer")
    council_session(clock, fed.council, fed.delegates[slug], [council_motion(fed, "Strike")])
    return members[-1]


def test_the_work_of_a_member_of_a_large_body_asks_no_more_queries(clock: Clock) -> None:
    small = federation(clock, sizes={"docks": 3, "rail": 3})
    large = federation(clock, sizes={"mines": 30, "port": 3}, council="union")
    counts = []
    for fed in (small, large):
        member = _busy(clock, fed)
        with CaptureQueriesContext(connection) as queries:
            work = work_of(member, clock.now)
        assert work.open_votes
        assert work.candidacies
        assert work.mandates_awaited
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_a_term_held_is_no_work_by_itself(clock: Clock) -> None:
    fed = federation(clock)
    # The delegates of both assemblies hold seats, and nothing is on the council's agenda.
    assert Term.objects.filter(office="delegate").count() == 2
    assert not work_of(fed.delegates["docks"], clock.now)
    assert not work_of(fed.members["rail"][2], clock.now)


def test_the_membership_officer_who_may_admit_sees_who_applied_to_join(clock: Clock) -> None:
    fed = federation(clock)
    docks = fed.members["docks"]
    officer = elect_one(clock, fed.assemblies["docks"], MEMBERSHIP_OFFICER, docks[1], docks)
    applicant = person("Nuria Vega")
    application = joining.apply_to_join(
        actor=applicant, assembly=fed.assemblies["docks"], statement="I work the night shift."
    )
    # The statute leaves admissions to the assembly's vote: its officer has none to make.
    assert work_of(officer.holder, clock.now).applications == []
    decide(
        clock,
        fed.assemblies["docks"],
        docks[0],
        all_yes(docks),
        kind=Motion.Kind.AMEND_STATUTE,
        details={"statute": statute_json(Statute(officer_admits_members=True))},
    )
    work = work_of(officer.holder, clock.now)
    assert work.applications == [application]
    assert work.as_officer
    assert not work.as_secretary
    assert work_of(docks[2], clock.now).applications == []
    (entry,) = [e for e in entries(work) if e.what == "application"]
    assert (entry.role, entry.title, entry.page) == (
        "officer",
        "Nuria Vega",
        "/bodies/docks/#applications-h",
    )
