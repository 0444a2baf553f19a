"""Notices by e-mail: sent after the act commits, to the members who want them, each once, in each
one's language; the clock-driven senders remind those who have not voted a day before a vote
closes, and tell of what waits for a member: an agenda's mandates, an election's candidacies, a
ratification, a decision past its date."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.core import mail
from django.db import transaction

from frombelow.core.errors import DomainError
from frombelow.core.statutes import Statute
from frombelow.db.models import (
    Member,
    Motion,
    NoticeKind,
    NoticeSent,
    Petition,
    Referendum,
    Term,
    Vote,
)
from frombelow.services import (
    charges,
    deciding,
    elections,
    notices,
    petitions,
    referendums,
    votes,
)
from frombelow.services.queries.charges import reply_due
from tests.services.world import (
    Clock,
    Federation,
    all_yes,
    council_decides,
    council_motion,
    council_session,
    decide,
    elect_one,
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


def open_now(motion: Motion, closes_at: datetime) -> Vote:
    """Open an assembly's vote on a submitted motion at once, as the system: the notices of a
    vote opening are the same whoever opens it (its secretary, or the statute's deadline)."""
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


def test_a_vote_opening_tells_its_electors_after_commit(
    fed: Federation, clock: Clock, django_capture_on_commit_callbacks: Capture
) -> None:
    docks = fed.members["docks"]
    motion = propose(fed.assemblies["docks"], docks[0], "Canteen")
    with django_capture_on_commit_callbacks(execute=True):
        vote = open_now(motion, clock.now + timedelta(days=3))
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
        open_now(motion, clock.now - timedelta(days=1))
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
        open_now(motion, clock.now + timedelta(days=3))
    assert addressed(docks[1]) not in [m.to for m in mail.outbox]
    assert len(mail.outbox) == 2
    with pytest.raises(DomainError, match="no such kind of notice: gossip"):
        notices.choose_notices(member=docks[1], wanted=["gossip"])


def test_the_clock_driven_sender_reminds_those_who_have_not_voted_once(
    fed: Federation, clock: Clock
) -> None:
    docks = fed.members["docks"]
    motion = propose(fed.assemblies["docks"], docks[0], "Canteen")
    vote = open_now(motion, clock.now + timedelta(days=3))
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
    decided = [m for m in mail.outbox if "Mandate decided" in str(m.subject)]
    assert sorted(m.to for m in decided) == sorted(addressed(m) for m in docks)
    assert "Docks decided its mandate on Federal strike: Bound" in str(decided[0].body)


def test_a_recall_petition_tells_the_members_who_elected_the_delegate(
    fed: Federation, django_capture_on_commit_callbacks: Capture
) -> None:
    docks = fed.members["docks"]
    term = Term.objects.get(holder=fed.delegates["docks"], office="delegate")
    with django_capture_on_commit_callbacks(execute=True):
        petitions.open_petition(
            actor=docks[2],
            kind=Petition.Kind.RECALL,
            body=term.body,
            question="Recall",
            term=term,
            text="Absent",
        )
    # Every docker but the one who opened it; no one of rail. (Its opener's signature reached
    # the threshold of three and opened the recall vote, which is told of apart.)
    told = [m for m in mail.outbox if str(m.subject).startswith("Petition to recall")]
    assert sorted(m.to for m in told) == sorted(addressed(m) for m in docks[:2])
    assert f"A petition to recall {term.holder.name}" in str(told[0].body)


def test_a_referendum_tells_every_member_under_the_council_and_reminds_who_has_not_voted(
    fed: Federation, clock: Clock, django_capture_on_commit_callbacks: Capture
) -> None:
    everyone = fed.members["docks"] + fed.members["rail"]
    with django_capture_on_commit_callbacks(execute=True):
        # Its opener's signature reaches 10% of six.
        asked = petitions.open_petition(
            actor=everyone[0], kind=Petition.Kind.REFERENDUM, body=fed.council, question="Strike?"
        )
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
        open_now(motion, clock.now + timedelta(days=3))
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


def test_a_mandate_vote_is_told_as_such_to_those_who_want_it(
    fed: Federation, clock: Clock, django_capture_on_commit_callbacks: Capture
) -> None:
    session, (item,) = council_session(
        clock, fed.council, fed.delegates["docks"], [council_motion(fed, "Federal strike")]
    )
    docks = fed.members["docks"]
    notices.choose_notices(
        member=docks[2], wanted=[k for k in NoticeKind.values if k != NoticeKind.MANDATE_VOTE]
    )
    notices.choose_language(member=docks[1], language="es")
    motion = propose(
        fed.assemblies["docks"],
        docks[0],
        "Our mandate on the strike",
        kind=Motion.Kind.DECIDE_MANDATE,
        details={"mandate": "bound"},
        council_item=item,
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        vote = open_now(motion, clock.now + timedelta(days=3))
    told = {m.to[0]: m for m in mail.outbox}
    assert sorted(told) == sorted(addressed(docks[0]) + addressed(docks[1]))
    english, spanish = told[addressed(docks[0])[0]], told[addressed(docks[1])[0]]
    assert english.subject == "Mandate vote open in Docks"
    assert f"Docks votes its mandate on Federal strike, item 1 of {session.title}" in str(
        english.body
    )
    assert f"the session opens at {session.starts_at:%Y-%m-%d %H:%M} UTC" in str(english.body)
    assert spanish.subject == "Votación de mandato abierta en Docks"
    # Told as a mandate vote, not twice as a vote opened too.
    assert not NoticeSent.objects.filter(kind=NoticeKind.VOTE_OPENED).exists()
    assert notices.vote_opened(vote.pk) == 0


def test_an_agenda_sent_down_tells_each_member_bodys_members_once(
    fed: Federation, clock: Clock
) -> None:
    session, _ = council_session(
        clock, fed.council, fed.delegates["docks"], [council_motion(fed, "Federal strike")]
    )
    rail = fed.members["rail"]
    notices.choose_notices(
        member=rail[2], wanted=[k for k in NoticeKind.values if k != NoticeKind.AGENDA_SENT]
    )
    notices.choose_language(member=rail[1], language="es")
    mail.outbox.clear()
    assert notices.send_due_notices() == 5
    told = {m.to[0]: m for m in mail.outbox}
    everyone = fed.members["docks"] + rail[:2]
    assert sorted(told) == sorted(addressed(m)[0] for m in everyone)
    to_docks = told[addressed(fed.members["docks"][0])[0]]
    assert to_docks.subject == "Agenda of Federation: mandates for Docks to decide"
    assert (
        f"Docks decides its mandate on each item before the session opens at "
        f"{session.starts_at:%Y-%m-%d %H:%M} UTC:\n\n1. Federal strike" in str(to_docks.body)
    )
    assert f"/sessions/{session.pk}/" in str(to_docks.body)
    assert told[addressed(rail[1])[0]].subject == (
        "Orden del día de Federation: mandatos que Rail debe decidir"
    )
    mail.outbox.clear()
    assert notices.send_due_notices() == 0  # each remembered
    assert mail.outbox == []


def test_an_election_taking_candidacies_tells_those_who_may_stand(
    fed: Federation, clock: Clock
) -> None:
    docks = fed.members["docks"]
    election = elections.call_election(
        actor=docks[1], body=fed.assemblies["docks"], office="secretary"
    )
    elections.stand(actor=docks[1], election=election)
    mail.outbox.clear()
    assert notices.send_due_notices() == 2
    # The dockers who do not stand already; no one of rail, who cannot stand in docks.
    assert sorted(m.to for m in mail.outbox) == sorted(addressed(m) for m in (docks[0], docks[2]))
    assert mail.outbox[0].subject == "Election in Docks: candidacies open"
    assert "Docks elects its secretary and takes candidacies" in str(mail.outbox[0].body)
    assert f"/elections/{election.pk}/" in str(mail.outbox[0].body)
    assert notices.send_due_notices() == 0


def test_a_provisional_decision_tells_the_member_bodies_that_have_not_answered(
    clock: Clock,
) -> None:
    world = federation(clock, Statute(ratification_days=30))
    for members in world.members.values():
        for m in members:
            Member.objects.filter(pk=m.pk).update(email=f"m{m.pk}@example.org")
    motion = council_motion(world, "Buy a building", matter="property")  # not a competence
    yes = {s: ("bound", all_yes(m)) for s, m in world.members.items()}
    decision = council_decides(clock, world, motion, yes)
    assert decision.provisional
    docks, rail = world.members["docks"], world.members["rail"]
    # Docks answers at once; rail has not.
    decide(
        clock,
        world.assemblies["docks"],
        docks[0],
        all_yes(docks),
        kind=Motion.Kind.RATIFY,
        decision=decision,
    )
    mail.outbox.clear()
    sent = notices.send_due_notices()
    told = [m for m in mail.outbox if "ratification" in str(m.subject)]
    assert sent >= len(told) == 3
    assert sorted(m.to for m in told) == sorted(addressed(m) for m in rail)
    assert told[0].subject == "A decision of Federation awaits ratification by Rail"
    assert "Federation decided Buy a building provisionally, and Rail has not answered" in str(
        told[0].body
    )
    assert f"by {decision.ratify_by:%Y-%m-%d %H:%M} UTC" in str(told[0].body)
    mail.outbox.clear()
    notices.send_due_notices()
    assert not [m for m in mail.outbox if "ratification" in str(m.subject)]


def test_the_acts_that_wait_on_members_tell_them_at_commit_not_a_minute_later(
    clock: Clock, django_capture_on_commit_callbacks: Capture
) -> None:
    """An agenda sent down, an election called and a provisional decision each tell the members
    concerned as their act commits; the clock's next run finds every one of them told."""
    world = federation(clock, Statute(ratification_days=30))
    for members in world.members.values():
        for m in members:
            Member.objects.filter(pk=m.pk).update(email=f"m{m.pk}@example.org")
    everyone = sorted(addressed(m)[0] for ms in world.members.values() for m in ms)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        session, _ = council_session(
            clock, world.council, world.delegates["docks"], [council_motion(world, "Strike")]
        )
    assert sorted(m.to[0] for m in mail.outbox) == everyone
    assert {m.subject for m in mail.outbox} == {
        "Agenda of Federation: mandates for Docks to decide",
        "Agenda of Federation: mandates for Rail to decide",
    }
    assert f"/sessions/{session.pk}/" in str(mail.outbox[0].body)

    mail.outbox.clear()
    docks = world.members["docks"]
    with django_capture_on_commit_callbacks(execute=True):
        election = elections.call_election(
            actor=docks[1], body=world.assemblies["docks"], office="secretary"
        )
    assert sorted(m.to for m in mail.outbox) == sorted(addressed(m) for m in docks)
    assert f"/elections/{election.pk}/" in str(mail.outbox[0].body)

    motion = council_motion(world, "Buy a building", matter="property")  # not a competence
    yes = {s: ("bound", all_yes(m)) for s, m in world.members.items()}
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        decision = council_decides(clock, world, motion, yes)
    assert decision.provisional
    told = [m for m in mail.outbox if "ratification" in str(m.subject)]
    assert sorted(m.to[0] for m in told) == everyone
    mail.outbox.clear()
    notices.send_due_notices()
    assert not [m for m in mail.outbox if "ratification" in str(m.subject)]
    assert not [m for m in mail.outbox if "Agenda" in str(m.subject)]
    assert not [m for m in mail.outbox if "candidacies" in str(m.subject)]


def test_a_decision_past_its_date_tells_its_implementers_and_the_secretary(
    fed: Federation, clock: Clock
) -> None:
    docks = fed.members["docks"]
    secretary = elect_one(clock, fed.assemblies["docks"], "secretary", docks[2], docks).holder
    decision = decide(
        clock,
        fed.assemblies["docks"],
        docks[0],
        all_yes(docks),
        title="Paint the hall",
        implementers=[docks[1]],
        implement_by=clock.now.date() + timedelta(days=10),
    )
    mail.outbox.clear()
    assert notices.send_due_notices() == 0  # not yet past its date
    clock.advance(days=11)
    assert notices.send_due_notices() == 2
    assert sorted(m.to for m in mail.outbox) == sorted(addressed(m) for m in (docks[1], secretary))
    assert mail.outbox[0].subject == "Past its date: Paint the hall"
    assert "to be carried out by" in str(mail.outbox[0].body)
    assert f"/motions/{decision.motion_id}/" in str(mail.outbox[0].body)
    assert notices.send_due_notices() == 0


def test_a_decision_long_past_its_date_is_left_to_the_home_page(
    fed: Federation, clock: Clock
) -> None:
    docks = fed.members["docks"]
    decide(
        clock,
        fed.assemblies["docks"],
        docks[0],
        all_yes(docks),
        title="Paint the hall",
        implementers=[docks[1]],
        implement_by=clock.now.date() + timedelta(days=10),
    )
    mail.outbox.clear()
    # No sender ran while it was freshly overdue (the server was down, say): a month on, the
    # sender that runs every minute no longer looks for it; the implementer's home still shows it.
    clock.advance(days=10 + 31)
    assert notices.send_due_notices() == 0
    assert mail.outbox == []
    clock.now -= timedelta(days=30)
    assert notices.send_due_notices() == 1


def test_the_clock_driven_notices_speak_each_ones_language_and_respect_their_choice(
    fed: Federation, clock: Clock
) -> None:
    docks = fed.members["docks"]
    notices.choose_language(member=docks[0], language="es")
    off = (NoticeKind.CANDIDACIES, NoticeKind.OVERDUE)
    notices.choose_notices(member=docks[2], wanted=[k for k in NoticeKind.values if k not in off])
    election = elections.call_election(
        actor=docks[1], body=fed.assemblies["docks"], office="treasurer"
    )
    elections.stand(actor=docks[1], election=election)
    mail.outbox.clear()
    assert notices.send_due_notices() == 1
    (told,) = mail.outbox
    assert told.to == addressed(docks[0])
    assert told.subject == "Elección en Docks: candidaturas abiertas"
    # An office the body named itself is told as it named it.
    assert "Docks elige su treasurer y admite candidaturas" in str(told.body)
    decide(
        clock,
        fed.assemblies["docks"],
        docks[1],
        all_yes(docks),
        title="Paint the hall",
        implementers=[docks[0], docks[2]],
        implement_by=clock.now.date() + timedelta(days=10),
    )
    clock.advance(days=11)
    mail.outbox.clear()
    assert notices.send_due_notices() == 1
    (told,) = mail.outbox
    assert (told.to, told.subject) == (addressed(docks[0]), "Plazo vencido: Paint the hall")


def test_the_accused_is_told_of_a_charge_and_when_to_reply_whatever_they_chose(
    fed: Federation, django_capture_on_commit_callbacks: Capture
) -> None:
    docks = fed.members["docks"]
    # A member cannot turn off being told of a charge: it is not among the kinds to choose,
    # and choosing none leaves it on.
    assert NoticeKind.CHARGE not in notices.choices_of(docks[2])
    assert NoticeKind.CHARGE not in notices.choose_notices(member=docks[2], wanted=[])
    with django_capture_on_commit_callbacks(execute=True):
        charge = charges.file_charge(
            actor=docks[0], body=fed.assemblies["docks"], accused_member=docks[2], text="Scabbed"
        )
    (told,) = mail.outbox
    assert told.to == addressed(docks[2])
    assert told.subject == "A charge before Docks: your reply"
    due = reply_due(charge)
    assert "Scabbed" in str(told.body)
    assert f"until {due:%Y-%m-%d %H:%M} UTC" in str(told.body)
    assert f"/charges/{charge.pk}/" in str(told.body)
