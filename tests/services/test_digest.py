"""The daily digest: to those who chose it, once a day from its hour, listing what needs them (the
same work as their home page), in their language; never to those who did not choose it."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.db import transaction

from frombelow.db.models import Member, Motion, NoticeKind, NoticeSent, Vote
from frombelow.services import digest, notices, votes
from tests.services.world import Clock, Federation, federation, propose

pytestmark = pytest.mark.django_db


@pytest.fixture
def fed(clock: Clock) -> Federation:
    """The federation at ten in the morning (UTC), every member with an address."""
    clock.now = clock.now.replace(hour=10, minute=0)
    world = federation(clock)
    for members in world.members.values():
        for m in members:
            Member.objects.filter(pk=m.pk).update(email=f"m{m.pk}@example.org")
            m.refresh_from_db()
    mail.outbox.clear()
    return world


def open_now(motion: Motion, closes_at: datetime) -> Vote:
    """Open an assembly's vote on a submitted motion at once, as the system."""
    with transaction.atomic():
        locked = Motion.objects.select_for_update().get(pk=motion.pk)
        return votes.put_to_vote(
            actor="system",
            motion=locked,
            amendment=None,
            ballot_kind=Vote.BallotKind.OPEN,
            mode=Vote.Mode.ONLINE,
            closes_at=closes_at,
        )


def choose_digest(member: Member, *, only: bool = False) -> None:
    """Choose the digest: besides every single notice, or instead of them (`only`)."""
    kinds = [NoticeKind.DIGEST] if only else list(NoticeKind.values)
    notices.choose_notices(member=member, wanted=kinds)


def test_the_digest_goes_once_a_day_to_those_who_chose_it(fed: Federation, clock: Clock) -> None:
    docks = fed.members["docks"]
    choose_digest(docks[1], only=True)
    choose_digest(docks[2])
    vote = open_now(
        propose(fed.assemblies["docks"], docks[0], "Canteen"), clock.now + timedelta(days=5)
    )
    mail.outbox.clear()
    assert digest.send_digests() == 2
    assert sorted(m.to for m in mail.outbox) == [[docks[1].email], [docks[2].email]]
    told = mail.outbox[0]
    assert told.subject == "What needs you today (1)"
    body = str(told.body)
    assert f"What needs you in frombelow on {clock.now:%Y-%m-%d}:" in body
    assert "Open for my vote\n- Canteen · Docks · closes" in body
    assert f"http://127.0.0.1:8000/motions/{vote.motion_id}/" in body
    assert "Choose which notices you get" in body
    # Once a day, however often `notify` runs.
    clock.advance(hours=6)
    assert digest.send_digests() == 0
    # The next day, again, with what needs them then.
    votes.cast_ballot(actor=docks[2], vote=vote, ranking=[["yes"]])
    mail.outbox.clear()
    clock.advance(hours=18)
    assert digest.send_digests() == 1
    assert [m.to for m in mail.outbox] == [[docks[1].email]]  # docks[2] has nothing left to do


def test_the_digest_waits_for_its_hour_and_is_in_the_members_language(
    fed: Federation, clock: Clock
) -> None:
    docks = fed.members["docks"]
    choose_digest(docks[1])
    notices.choose_language(member=docks[1], language="es")
    open_now(propose(fed.assemblies["docks"], docks[0], "Canteen"), clock.now + timedelta(days=5))
    mail.outbox.clear()
    clock.now = (clock.now + timedelta(days=1)).replace(hour=digest.DIGEST_HOUR - 1)
    assert digest.send_digests() == 0
    clock.now = clock.now.replace(hour=digest.DIGEST_HOUR)
    assert digest.send_digests() == 1
    (told,) = mail.outbox
    assert told.subject == "Lo que te necesita hoy (1)"
    assert "Canteen · Docks · cierra el" in str(told.body)


def test_a_member_with_nothing_to_do_gets_no_digest_and_is_read_once_a_day(
    fed: Federation, clock: Clock
) -> None:
    rail = fed.members["rail"]
    choose_digest(rail[1])
    assert digest.send_digests() == 0
    assert mail.outbox == []
    # The day is remembered, so that no later run reads the member's work again today.
    assert NoticeSent.objects.filter(
        member=rail[1], kind=NoticeKind.DIGEST, subject=f"digest:{clock.now:%Y-%m-%d}"
    ).exists()
