"""Notices by e-mail: sent after the act commits, to the members who want them, each once; the
clock-driven sender reminds those who have not voted a day before a vote closes."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail

from frombelow.core.errors import DomainError
from frombelow.db.models import Member, NoticeKind, NoticeSent, Petition, Referendum, Term
from frombelow.services import deciding, notices, petitions, referendums, votes
from tests.services.world import (
    Clock,
    Federation,
    council_motion,
    council_session,
    federation,
    mandate,
    propose,
)

pytestmark = pytest.mark.django_db

Capture = Callable[..., AbstractContextManager[Any]]


@pytest.fixture
def fed(clock: Clock) -> Federation:
    """The federation, every member with an address, and no mail sent yet."""
    world = federation(clock)
    for members in world.members.values():
        for m in members:
            Member.objects.filter(pk=m.pk).update(email=f"m{m.pk}@example.org")
    mail.outbox.clear()
    return world


def addressed(member: Member) -> list[str]:
    return [f"m{member.pk}@example.org"]


def test_a_vote_opening_tells_its_electors_after_commit(
    fed: Federation, clock: Clock, django_capture_on_commit_callbacks: Capture
) -> None:
    docks = fed.members["docks"]
    motion = propose(fed.assemblies["docks"], docks[0], "Canteen")
    with django_capture_on_commit_callbacks(execute=True):
        vote = votes.open_vote(
            actor=docks[0], motion=motion, closes_at=clock.now + timedelta(days=3)
        )
    assert sorted(m.to for m in mail.outbox) == sorted(addressed(m) for m in docks)
    assert "A vote opened in Docks: Canteen" in str(mail.outbox[0].body)
    assert f"/motions/{motion.pk}/" in str(mail.outbox[0].body)
    # Sent once: a second sender finds each notice remembered.
    assert notices.vote_opened(vote.pk) == 0


def test_a_vote_that_fails_to_open_tells_no_one(
    fed: Federation, clock: Clock, django_capture_on_commit_callbacks: Capture
) -> None:
    docks = fed.members["docks"]
    motion = propose(fed.assemblies["docks"], docks[0], "Canteen")
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(DomainError):
        votes.open_vote(actor=docks[0], motion=motion, closes_at=clock.now - timedelta(days=1))
    assert mail.outbox == []


def test_a_member_who_chose_not_to_hear_is_not_told(
    fed: Federation, clock: Clock, django_capture_on_commit_callbacks: Capture
) -> None:
    docks = fed.members["docks"]
    notices.choose_notices(member=docks[1], wanted=[NoticeKind.MANDATE_DECIDED])
    assert notices.choices_of(docks[1])[NoticeKind.VOTE_OPENED] is False
    assert notices.choices_of(docks[2])[NoticeKind.VOTE_OPENED] is True  # on by default
    motion = propose(fed.assemblies["docks"], docks[0], "Canteen")
    with django_capture_on_commit_callbacks(execute=True):
        votes.open_vote(actor=docks[0], motion=motion, closes_at=clock.now + timedelta(days=3))
    assert addressed(docks[1]) not in [m.to for m in mail.outbox]
    assert len(mail.outbox) == 2
    with pytest.raises(DomainError, match="no such kind of notice: gossip"):
        notices.choose_notices(member=docks[1], wanted=["gossip"])


def test_the_clock_driven_sender_reminds_those_who_have_not_voted_once(
    fed: Federation, clock: Clock
) -> None:
    docks = fed.members["docks"]
    motion = propose(fed.assemblies["docks"], docks[0], "Canteen")
    vote = votes.open_vote(actor=docks[0], motion=motion, closes_at=clock.now + timedelta(days=3))
    votes.cast_ballot(actor=docks[0], vote=vote, ranking=[["yes"]])
    mail.outbox.clear()
    assert notices.send_closing_notices() == 0  # three days out: too early
    clock.advance(days=2, hours=1)
    assert notices.send_closing_notices() == 2
    assert sorted(m.to for m in mail.outbox) == sorted(addressed(m) for m in docks[1:])
    assert "closes at" in str(mail.outbox[0].body)
    assert notices.send_closing_notices() == 0  # idempotent: it remembers what it sent
    assert NoticeSent.objects.filter(kind=NoticeKind.VOTE_CLOSING).count() == 2
    clock.advance(days=1)
    deciding.close_vote(actor="system", vote=vote)
    assert notices.send_closing_notices() == 0


def test_a_mandate_decided_tells_the_bodys_members(
    fed: Federation, clock: Clock, django_capture_on_commit_callbacks: Capture
) -> None:
    _, (item,) = council_session(
        clock, fed.council, fed.delegates["docks"], [council_motion(fed, "Federal strike")]
    )
    docks = fed.members["docks"]
    ballots = dict.fromkeys(docks, "yes")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        mandate(clock, fed.assemblies["docks"], docks[0], item, "bound", ballots)
    decided = [m for m in mail.outbox if "mandate" in str(m.subject).lower()]
    assert sorted(m.to for m in decided) == sorted(addressed(m) for m in docks)
    assert "Docks decided its mandate on Federal strike: Bound" in str(decided[0].body)


def test_a_recall_petition_tells_the_members_who_elected_the_delegate(
    fed: Federation, django_capture_on_commit_callbacks: Capture
) -> None:
    docks = fed.members["docks"]
    term = Term.objects.get(holder=fed.delegates["docks"], office="delegate")
    with django_capture_on_commit_callbacks(execute=True):
        petitions.open_petition(
            actor=docks[2], kind=Petition.Kind.RECALL, body=term.body, question="Recall", term=term
        )
    # Every docker but the one who opened it; no one of rail.
    assert sorted(m.to for m in mail.outbox) == sorted(addressed(m) for m in docks[:2])
    assert f"A petition to recall {term.holder.name}" in str(mail.outbox[0].body)


def test_a_referendum_tells_every_member_under_the_council_and_reminds_who_has_not_voted(
    fed: Federation, clock: Clock, django_capture_on_commit_callbacks: Capture
) -> None:
    everyone = fed.members["docks"] + fed.members["rail"]
    asked = petitions.open_petition(
        actor=everyone[0], kind=Petition.Kind.REFERENDUM, body=fed.council, question="Strike?"
    )
    with django_capture_on_commit_callbacks(execute=True):
        petitions.sign_petition(actor=everyone[1], petition=asked)  # reaches 10% of six
    referendum = Referendum.objects.get(petition=asked)
    opened = [m for m in mail.outbox if "Referendum in" in str(m.subject)]
    assert sorted(m.to for m in opened) == sorted(addressed(m) for m in everyone)
    referendums.cast_referendum_ballot(actor=everyone[2], referendum=referendum, option="yes")
    mail.outbox.clear()
    clock.now = referendum.closes_at - timedelta(hours=12)
    assert notices.send_closing_notices() == 5
    assert addressed(everyone[2]) not in [m.to for m in mail.outbox]
    assert notices.send_closing_notices() == 0


def test_each_member_is_told_in_their_own_language_in_one_sending(
    fed: Federation, clock: Clock, django_capture_on_commit_callbacks: Capture
) -> None:
    docks = fed.members["docks"]
    notices.choose_language(member=docks[1], language="es")
    notices.choose_language(member=docks[2], language="en")
    motion = propose(fed.assemblies["docks"], docks[0], "Canteen")
    with django_capture_on_commit_callbacks(execute=True):
        votes.open_vote(actor=docks[0], motion=motion, closes_at=clock.now + timedelta(days=3))
    told = {m.to[0]: m for m in mail.outbox}
    spanish, english = told[addressed(docks[1])[0]], told[addressed(docks[2])[0]]
    assert spanish.subject == "Votación abierta en Docks"
    assert english.subject == "Vote open in Docks"
    assert "A vote opened in Docks: Canteen" in str(english.body)
    # No choice: the installation's language.
    assert told[addressed(docks[0])[0]].subject == "Vote open in Docks"


def test_a_language_the_site_does_not_offer_is_refused(fed: Federation) -> None:
    member = fed.members["docks"][0]
    with pytest.raises(DomainError, match="no such language: 'fr'; the site offers en, es"):
        notices.choose_language(member=member, language="fr")
    member.refresh_from_db()
    assert member.language == ""
