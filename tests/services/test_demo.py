"""The demo federation: its promised shapes, made through the services, once; and each login's
work, open on the day it is seeded, read as their home page reads it and accepted when done."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection

from frombelow.core.errors import MandateError
from frombelow.core.statutes import Statute
from frombelow.db.models import (
    Body,
    Decision,
    Dissent,
    Election,
    Member,
    RecordEntry,
    Referendum,
    Statement,
    Tendency,
    Vote,
)
from frombelow.services import bodies, clock, deciding, elections, petitions, sessions, votes
from frombelow.services.demo import (
    CONFEDERATION,
    DEMO_PASSWORD,
    LOGINS,
    DemoError,
    _unsynced_commits,
    seed_demo,
)
from frombelow.services.queries.bodies import councils_at, member_bodies_at, statute_of
from frombelow.services.queries.decisions import delegation_votes
from frombelow.services.queries.members import home_of
from frombelow.services.queries.petitions import has_signed
from frombelow.services.queries.terms import election_statuses, holders
from frombelow.services.queries.votes import has_voted, is_elector
from frombelow.services.standing import (
    MEMBERSHIP_OFFICER,
    SECRETARY,
    holds_office,
    is_eligible,
)
from frombelow.services.work import work_of
from tests.services.world import Clock

pytestmark = pytest.mark.django_db

SMALL = 0.05  # 250 members in 8 sections: every shape of the full demo, at a twentieth


def test_the_small_demo_has_every_shape_it_promises_and_is_seeded_once() -> None:
    report = seed_demo(seed=1, scale=SMALL)
    now = clock.now()
    assert report.created
    assert report.members == 250
    confederation = Body.objects.get(slug=CONFEDERATION)
    federations = list(member_bodies_at(confederation, now))
    assert len(federations) == 8
    # A union section belongs to a regional and to an industrial federation.
    section = Body.objects.get(slug="section-01")
    assert sorted(c.slug for c in councils_at(section, now)) == [
        "north-regional-federation",
        "transport-federation",
    ]
    # The first section's secretary election is due, and no other office's anywhere.
    statuses = {
        (body.slug, office.office): office.status.status
        for body in Body.objects.all()
        for office in election_statuses(body, now)
    }
    assert [k for k, state in statuses.items() if state != "not due"] == [
        ("section-01", "secretary")
    ]
    assert statuses[("section-01", "secretary")] == "due"
    assert holders(Body.objects.get(slug="section-02"), "secretary", now)
    # Every council elected its secretary, who holds office now.
    for council in Body.objects.filter(kind=Body.Kind.COUNCIL):
        assert len(holders(council, SECRETARY, now)) == 1, council.slug
    # The referendum the petition opened is open; the congress decided the fund, with a dissent.
    referendum = Referendum.objects.get()
    assert referendum.petition is not None
    assert referendum.called_by is None
    assert referendum.opened_at <= now < referendum.closes_at
    assert not hasattr(referendum, "result")
    assert referendum.participations.count() > 0
    fund = Decision.objects.get(body=confederation, motion__isnull=False)
    assert fund.outcome == Decision.Outcome.CARRIED
    assert Dissent.objects.filter(decision=fund).count() == 1
    assert len(delegation_votes(fund)) == 8  # every federation's vote derived from its mandate
    assert Tendency.objects.count() == 3
    assert Statement.objects.count() == 3
    # The three logins sign in with the documented password, each as their member.
    for username in LOGINS:
        member = Member.objects.select_related("user").get(user__username=username)
        assert member.user is not None
        assert member.user.check_password(DEMO_PASSWORD)
        assert member.name == report.logins[username]
    # Each with the offices and seats they hold, as the command prints them.
    section_01 = "Transport workers North 1"
    assert report.offices == {
        "member": [],
        "delegate": [
            f"delegate of {section_01} to North regional federation",
            "delegate of North regional federation to The Confederation",
        ],
        "officer": [
            f"secretary of {section_01}",
            f"membership officer of {section_01}",
            "secretary of North regional federation",
        ],
    }
    # Every act is in the record, as a real one would be.
    assert RecordEntry.objects.filter(action="member.registered").count() == 250
    assert RecordEntry.objects.filter(action="referendum.opened").count() == 1
    # Seeding again finds the demo there and changes nothing. (One seeding per test: each
    # takes seconds.)
    entries, members = RecordEntry.objects.count(), Member.objects.count()
    again = seed_demo(seed=1, scale=SMALL)
    assert not again.created
    assert (RecordEntry.objects.count(), Member.objects.count()) == (entries, members)
    assert again.logins == report.logins
    assert again.offices == report.offices
    assert list(again.logins) == list(LOGINS)


def login(username: str) -> Member:
    return Member.objects.get(user__username=username)


# Any day: here the last of a February, seeded in the afternoon, tried in the evening.
SEEDED = datetime(2031, 2, 28, 15, 30, tzinfo=UTC)


def test_each_login_has_work_on_the_day_it_is_seeded_and_what_they_do_is_accepted(
    clock: Clock,
) -> None:
    clock.now = SEEDED
    seed_demo(seed=1, scale=SMALL)
    assert clock.now == SEEDED  # the history's clock is given back
    clock.advance(hours=6)
    now = clock.now
    member, delegate, officer = (login(name) for name in LOGINS)
    section = Body.objects.get(slug="section-01")
    region = Body.objects.get(slug="north-regional-federation")

    # The member: an open vote they have not voted in, an election taking candidacies they may
    # stand in, a petition they may sign; and each is accepted when they do it.
    work = work_of(member, now)
    (vote,) = work.open_votes
    assert vote.body == section
    assert vote.closes_at is not None
    assert vote.closes_at > now + timedelta(days=5)
    assert is_elector(vote, member)
    assert not has_voted(vote, member.pk)
    (election,) = work.candidacies
    assert (election.body, election.office) == (section, SECRETARY)
    assert elections.nominations_close(election) > now + timedelta(days=10)
    assert is_eligible(member, section, now)
    assert [c.member for c in election.candidacies.all()] == [section_member(section, 1)]
    (petition,) = work.petitions
    assert petition.body == region
    assert not has_signed(petition, member)
    assert petition.required - petition.signatures.count() >= 2
    votes.cast_ballot(actor=member, vote=vote, ranking=[["yes"]])
    elections.stand(actor=member, election=election, statement="I take the minutes already.")
    petitions.sign_petition(actor=member, petition=petition)
    petition.refresh_from_db()
    assert petition.reached_at is None  # still open for whoever tries the demo next
    after = work_of(member, now)
    assert (after.open_votes, after.candidacies, after.petitions) == ([], [], [])

    # The delegate: an open session of their council, each item's mandate decided by their
    # assembly's own vote, one cast due (the free item), none offered against the bound one.
    work = work_of(delegate, now)
    (session,) = work.sessions
    assert session.body == region
    assert session.opened_at is not None
    assert session.opened_at <= now
    mandates = {m.item.motion.title: m for m in work.mandates if m.member_body == section}
    assert sorted(m.kind for m in mandates.values()) == ["bound", "free"]
    for mandate in mandates.values():
        assert mandate.decision.body == section
        assert mandate.decision.outcome == Decision.Outcome.CARRIED
    (due,) = work.casts
    assert due.body == section
    assert mandates[due.vote.question].kind == "free"
    bound = next(m for m in mandates.values() if m.kind == "bound")
    bound_vote = Vote.objects.get(item=bound.item)
    with pytest.raises(MandateError):
        sessions.cast_for_delegation(actor=delegate, vote=bound_vote, ranking=[["no"]])
    sessions.cast_for_delegation(actor=delegate, vote=due.vote, ranking=[["yes"]])
    assert work_of(delegate, now).casts == []
    assert sessions.is_complete(due.vote)  # every delegation has voted on it now
    # The officer, whom the region's delegations elected its secretary, decides the items.
    assert holds_office(officer, region, SECRETARY, now)
    decided = deciding.close_session_vote(actor=officer, vote=due.vote)
    assert decided.body == region

    # The officer: secretary and membership officer of their section, elected; a motion waiting
    # for them, its notice passed; the election of their successor due; and a member to admit.
    assert holds_office(officer, section, SECRETARY, now)
    assert holds_office(officer, section, MEMBERSHIP_OFFICER, now)
    assert statute_of(section).officer_admits_members
    work = work_of(officer, now)
    assert work.secretary_of == [region, section]
    (waiting,) = work.motions_to_put
    assert waiting.body == section
    due_elections = [
        (d.body, d.office.office, d.office.status.status) for d in home_of(officer, now).elections
    ]
    assert due_elections == [(section, SECRETARY, "due")]
    assert Election.objects.get(body=section, office=SECRETARY, vote__isnull=True)
    put = votes.open_vote(actor=officer, motion=waiting, closes_at=now + timedelta(hours=72))
    assert put.motion == waiting
    newcomer = bodies.register_member(actor="system", name="Nadia Newcomer")
    bodies.admit_member(actor=officer, assembly=section, member=newcomer)
    assert section in home_of(newcomer, now).assemblies


def section_member(section: Body, k: int) -> Member:
    """Return the section's k-th founding member, in the order of their registration."""
    return Member.objects.filter(memberships__assembly=section).order_by("pk")[k]


def test_a_database_with_other_bodies_is_refused_and_nothing_is_written() -> None:
    founder = bodies.register_member(actor="system", name="Ada Berg")
    bodies.found_assembly(
        actor=founder, name="Dockers", slug="dockers", founders=[founder], statute=Statute()
    )
    entries = RecordEntry.objects.count()
    with pytest.raises(DemoError, match="holds bodies but not the demo"):
        seed_demo(seed=1, scale=SMALL)
    assert RecordEntry.objects.count() == entries
    assert list(Body.objects.values_list("slug", flat=True)) == ["dockers"]


# Outside a test transaction, as the command runs; it writes nothing, so the flush after it can
# leave out the record's tables (whose triggers refuse it).
@pytest.mark.django_db(transaction=True, available_apps=["django.contrib.contenttypes"])
def test_the_seeding_commits_without_waiting_for_the_disk_then_waits_again() -> None:
    def setting() -> str:
        query = {"sqlite": "PRAGMA synchronous", "postgresql": "SHOW synchronous_commit"}
        with connection.cursor() as cursor:
            cursor.execute(query[connection.vendor])
            return str(cursor.fetchone()[0])

    waits = setting()
    assert waits in ("2", "on")  # FULL, on: as the settings have it
    with _unsynced_commits():
        assert setting() in ("1", "off")  # NORMAL, off
    assert setting() == waits
