"""A member's home says what needs them now, as a member, a delegate and a secretary, in English
and Spanish, and offers nothing they cannot do: no vote whose roll they are not on, no election
they may not stand in, no cast their mandate binds."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from fractions import Fraction

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from frombelow.core.statutes import PetitionThreshold, Statute
from frombelow.db.mapping import statute_json
from frombelow.db.models import Member, Motion, Petition, Vote
from frombelow.services import elections, joining, petitions, sessions, votes
from frombelow.services.standing import MEMBERSHIP_OFFICER
from tests.services.world import (
    Clock,
    Federation,
    admit_by_decision,
    all_yes,
    council_motion,
    council_session,
    decide,
    elect_one,
    federation,
    mandate,
    person,
    propose,
)
from tests.web.scene import account

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


def home(member: Member, language: str = "en") -> str:
    client = Client(headers={"accept-language": language})
    user = member.user or account(member, f"user{member.pk}")
    client.force_login(user)
    response = client.get(reverse("web:home"))
    assert response.status_code == 200
    return response.content.decode()


def region(page: str, heading_id: str) -> str:
    """Return the section labelled by the heading with this id ("" if there is none)."""
    found = re.search(
        rf'<section[^>]*aria-labelledby="{heading_id}".*?</section>', page, flags=re.DOTALL
    )
    return found.group(0) if found else ""


@pytest.fixture
def fed(clock: Clock) -> Federation:
    # A referendum petition needs half the members: it stays open past its opener's signature.
    return federation(clock, Statute(referendum_petition_members=PetitionThreshold(Fraction(1, 2))))


def test_a_member_is_offered_their_vote_an_election_and_a_petition(
    fed: Federation, clock: Clock
) -> None:
    docks, rail = fed.members["docks"], fed.members["rail"]
    vote = open_now(
        propose(fed.assemblies["docks"], docks[0], "Canteen"), clock.now + timedelta(days=30)
    )
    election = elections.call_election(
        actor=docks[0], body=fed.assemblies["docks"], office="treasurer"
    )
    asked = petitions.open_petition(
        actor=rail[0], kind=Petition.Kind.REFERENDUM, body=fed.council, question="Strike?"
    )
    newcomer = person("Nuria Vega")
    admit_by_decision(clock, fed, "docks", newcomer)
    page = home(docks[1])
    assert "{#" not in page  # no template comment leaks
    assert f'href="/motions/{vote.motion_id}/">Canteen</a>' in region(page, "open-h")
    stand = region(page, "candidacies-h")
    assert "treasurer" in stand
    assert f'href="/elections/{election.pk}/#stand-h">Stand as a candidate</a>' in stand
    assert f'href="/petitions/{asked.pk}/">Strike?</a>' in region(page, "petitions-h")
    # Nothing a member cannot do: no vote whose roll they are not on, no petition they may not
    # sign, no election in a body they may not stand in; no delegate's or secretary's work.
    late = home(newcomer)
    assert "Canteen" not in late
    assert "Nothing awaits your vote." in late
    assert "Strike?" not in late
    other = home(rail[1])
    assert "Canteen" not in other
    assert region(other, "candidacies-h") == ""
    for page_ in (page, late, other):
        assert region(page_, "delegate-work-h") == ""
        assert region(page_, "officer-work-h") == ""
    spanish = home(docks[1], "es")
    assert "Elecciones que admiten candidaturas" in spanish
    assert "Presentar candidatura</a>" in region(spanish, "candidacies-h")
    assert "Peticiones para firmar" in spanish


def test_a_delegate_sees_their_session_mandate_and_the_cast_due(
    fed: Federation, clock: Clock
) -> None:
    chair = fed.delegates["docks"]
    session, (item,) = council_session(
        clock, fed.council, chair, [council_motion(fed, "Federal strike")]
    )
    docks, rail = fed.members["docks"], fed.members["rail"]
    awaiting = region(home(docks[1]), "mandates-h")
    assert f'href="/sessions/{session.pk}/#item-{item.pk}">Federal strike</a>' in awaiting
    mandate(clock, fed.assemblies["docks"], docks[0], item, "free", all_yes(docks))
    mandate(clock, fed.assemblies["rail"], rail[0], item, "bound", all_yes(rail))
    clock.now = session.starts_at
    sessions.open_session(actor=chair, session=session)
    vote = Vote.objects.get(item=item)
    free = region(home(chair), "delegate-work-h")
    assert "Casts due from me" in free
    assert f'href="/sessions/{session.pk}/">{vote.question}</a>' in free
    assert "Mandates my delegation carries" in free
    assert "Free" in free
    bound = region(home(fed.delegates["rail"]), "delegate-work-h")
    assert session.title in bound
    assert "Bound: yes" in bound
    assert "Casts due from me" not in bound  # the mandate binds: no cast to offer
    assert region(home(docks[1]), "delegate-work-h") == ""
    assert "Como delegado o delegada" in home(chair, "es")


def test_a_secretary_sees_the_motions_votes_and_elections_waiting_for_them(
    fed: Federation, clock: Clock
) -> None:
    docks = fed.members["docks"]
    secretary = elect_one(clock, fed.assemblies["docks"], "secretary", docks[2], docks).holder
    motion = propose(fed.assemblies["docks"], docks[0], "Canteen")
    meeting = open_now(propose(fed.assemblies["docks"], docks[0], "Rota"), None, Vote.Mode.MEETING)
    decide(
        clock,
        fed.assemblies["docks"],
        docks[0],
        all_yes(docks),
        title="Paint the hall",
        implementers=[docks[1]],
        implement_by=clock.now.date() + timedelta(days=10),
    )
    clock.advance(days=340)  # the docks' terms near their end: their elections are due
    work = region(home(secretary), "officer-work-h")
    assert f'href="/motions/{motion.pk}/">Canteen</a>' in work
    assert f'href="/motions/{meeting.motion_id}/">Rota</a>' in work
    assert "taken at a meeting: enter its tally" in work
    assert "Elections to call" in work
    assert 'href="/bodies/docks/#elections-h">secretary</a>' in work
    assert "Paint the hall" in work  # past its date, as the body's secretary
    carrying = home(docks[1])
    assert "Paint the hall" in region(carrying, "overdue-h")
    assert region(carrying, "officer-work-h") == ""
    assert "Como secretaría" in home(secretary, "es")


def test_a_membership_officer_who_may_admit_sees_who_applied(fed: Federation, clock: Clock) -> None:
    docks = fed.members["docks"]
    officer = elect_one(clock, fed.assemblies["docks"], MEMBERSHIP_OFFICER, docks[1], docks)
    decide(
        clock,
        fed.assemblies["docks"],
        docks[0],
        all_yes(docks),
        kind=Motion.Kind.AMEND_STATUTE,
        details={"statute": statute_json(Statute(officer_admits_members=True))},
    )
    joining.apply_to_join(actor=person("Nuria Vega"), assembly=fed.assemblies["docks"])
    roll = region(home(officer.holder), "roll-work-h")
    assert 'href="/bodies/docks/#applications-h">Nuria Vega</a>' in roll
    assert region(home(officer.holder), "officer-work-h") == ""  # no secretary's work
    assert region(home(docks[2]), "roll-work-h") == ""
    assert "Como responsable de afiliación" in home(officer.holder, "es")
