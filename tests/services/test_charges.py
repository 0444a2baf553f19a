"""Due process: a charge states one accused and what they did; the accused replies once, within
the statute's days counted from the filing; the charge is heard after the reply, or after that
deadline without one, never before."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction

from frombelow.core.errors import DueProcessError, StandingError, StatuteError
from frombelow.core.statutes import Statute
from frombelow.db.mapping import statute_json
from frombelow.db.models import Charge, Motion, RecordEntry, Reply, Vote
from frombelow.services import charges, votes
from frombelow.services import clock as services_clock
from frombelow.services.queries.charges import reply_due
from tests.services.world import Clock, all_yes, assembly, decide, people, propose

pytestmark = pytest.mark.django_db


def put_at_once(motion: Motion) -> Vote:
    """Put a submitted motion to an online vote as the system does when its deadline comes."""
    with transaction.atomic():
        locked = Motion.objects.select_for_update().get(pk=motion.pk)
        return votes.put_to_vote(
            actor="system",
            motion=locked,
            amendment=None,
            ballot_kind=Vote.BallotKind.OPEN,
            mode=Vote.Mode.ONLINE,
            closes_at=services_clock.now() + timedelta(days=7),
        )


def _stored() -> tuple[int, int, int, int]:
    return (
        RecordEntry.objects.count(),
        Charge.objects.count(),
        Reply.objects.count(),
        Vote.objects.count(),
    )


def test_a_charge_names_one_accused_and_what_they_did(clock: Clock) -> None:
    m = people("Docker", 3)
    docks = assembly("docks", m)
    before = _stored()
    with pytest.raises(DueProcessError, match="one member body, one member or one statement"):
        charges.file_charge(actor=m[0], body=docks, text="Scabbed")
    with pytest.raises(DueProcessError, match="states what the accused did"):
        charges.file_charge(actor=m[0], body=docks, accused_member=m[2], text="  ")
    assert _stored() == before
    charge = charges.file_charge(actor=m[0], body=docks, accused_member=m[2], text="Scabbed")
    filed = RecordEntry.objects.get(action="charge.filed")
    assert filed.data["accused_member"] == m[2].pk
    # Fourteen days to reply unless the statute says otherwise, written in the record.
    assert reply_due(charge) == charge.filed_at + timedelta(days=14)
    assert filed.data["reply_due"] == reply_due(charge).isoformat()


def test_the_accused_replies_once_and_no_one_else_for_them(clock: Clock) -> None:
    m = people("Docker", 3)
    docks = assembly("docks", m)
    charge = charges.file_charge(actor=m[0], body=docks, accused_member=m[2], text="Scabbed")
    with pytest.raises(StandingError, match="the accused replies"):
        charges.reply_to_charge(actor=m[1], charge=charge, text="She did not")
    with pytest.raises(DueProcessError, match="says something"):
        charges.reply_to_charge(actor=m[2], charge=charge, text=" ")
    assert charges.reply_of(charge) is None
    reply = charges.reply_to_charge(actor=m[2], charge=charge, text="I was on sick leave")
    assert charges.reply_of(charge) == reply
    before = _stored()
    with pytest.raises(DueProcessError, match="answered already"):
        charges.reply_to_charge(actor=m[2], charge=charge, text="And another thing")
    assert _stored() == before


def test_the_time_to_reply_is_the_statutes_when_the_charge_was_filed(clock: Clock) -> None:
    m = people("Docker", 3)
    docks = assembly("docks", m, Statute(reply_days=21))
    charge = charges.file_charge(actor=m[0], body=docks, accused_member=m[2], text="Scabbed")
    due = charge.filed_at + timedelta(days=21)
    clock.advance(days=1)
    # Shortening it afterwards cannot hurry the hearing of a charge already filed.
    decide(
        clock,
        docks,
        m[0],
        all_yes(m),
        kind=Motion.Kind.AMEND_STATUTE,
        details={"statute": statute_json(Statute(reply_days=7))},
    )
    assert reply_due(charge) == due
    later = charges.file_charge(actor=m[0], body=docks, accused_member=m[1], text="Scabbed too")
    assert reply_due(later) == later.filed_at + timedelta(days=7)


def test_a_charge_is_heard_after_the_reply_or_after_its_deadline_never_before(
    clock: Clock,
) -> None:
    m = people("Docker", 4)
    docks = assembly("docks", m, Statute(reply_days=10))
    expel = {"kind": Motion.Kind.SANCTION_MEMBER, "details": {"sanction": "expulsion"}}
    answered = charges.file_charge(actor=m[0], body=docks, accused_member=m[3], text="Scabbed")
    silent = charges.file_charge(actor=m[0], body=docks, accused_member=m[2], text="Scabbed")
    on_answered = propose(docks, m[0], "Expel", member=m[3], charge=answered, **expel)
    on_silent = propose(docks, m[0], "Expel", member=m[2], charge=silent, **expel)
    before = _stored()
    for motion in (on_answered, on_silent):
        with pytest.raises(DueProcessError, match="who may reply until"):
            put_at_once(motion)
    assert _stored() == before
    charges.reply_to_charge(actor=m[3], charge=answered, text="I was on sick leave")
    put_at_once(on_answered)  # heard once replied, well before the deadline
    clock.advance(days=9, hours=23)
    with pytest.raises(DueProcessError, match="no written reply"):
        put_at_once(on_silent)
    clock.advance(hours=1)
    put_at_once(on_silent)  # silence does not stop the hearing for ever


def test_the_time_to_reply_is_at_least_a_day() -> None:
    for days in (0, -3, True, 2.5):
        with pytest.raises(StatuteError, match="time to reply to a charge"):
            Statute(reply_days=days)  # type: ignore[arg-type]  # the wrong types on purpose
    assert Statute().reply_days == 14
