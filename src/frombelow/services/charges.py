"""Due process: a charge stated before the body, and the accused's written reply.

The accused has the statute's `reply_days` to reply, counted from the filing under the statute in
force then, so that no later amendment moves the deadline. A body hears the charge (puts its
motion to the vote) once the reply is in the record, or once that deadline has passed without
one: the accused has a known time to answer, and cannot, by never answering, keep the body from
ever deciding (no one holds a permanent veto, MODEL 4).
"""

from __future__ import annotations

from functools import partial

from django.db import IntegrityError, transaction

from frombelow.core.errors import DueProcessError, StandingError
from frombelow.db.models import Body, Charge, Member, Reply, Statement
from frombelow.services import clock, notices
from frombelow.services.queries.charges import reply_due
from frombelow.services.record import Actor, append_entry
from frombelow.services.standing import (
    SECRETARY,
    delegations_of,
    holds_office,
    require_participant,
)
from frombelow.services.two_factor_rule import require_second_factor


def check_charge(
    charge: Charge | None,
    body: Body,
    *,
    accused_body: Body | None = None,
    accused_member: Member | None = None,
    statement: Statement | None = None,
) -> None:
    """Refuse a motion of due process without its stated charge before this body."""
    if charge is None:
        raise DueProcessError("a stated charge comes first")
    if (
        charge.body_id != body.pk
        or charge.accused_body_id != (accused_body.pk if accused_body else None)
        or charge.accused_member_id != (accused_member.pk if accused_member else None)
        or charge.statement_id != (statement.pk if statement else None)
    ):
        raise DueProcessError(
            "charge %(charge)s is not a charge before %(body)r about this",
            charge=charge.pk,
            body=body.slug,
        )


def reply_of(charge: Charge) -> Reply | None:
    """Return the accused's reply to the charge, if they have replied."""
    return Reply.objects.filter(charge=charge).first()


def check_heard(charge: Charge) -> None:
    """Refuse to put a charge to the vote before the accused's reply or the end of their time."""
    if reply_of(charge) is not None:
        return
    due = reply_due(charge)
    if clock.now() < due:
        raise DueProcessError(
            "charge %(charge)s has no written reply from the accused in the record, who may "
            "reply until %(due)s: the vote comes after the reply, or after that deadline",
            charge=charge.pk,
            due=due,
        )


@transaction.atomic(durable=True)
def file_charge(
    *,
    actor: Actor,
    body: Body,
    text: str,
    accused_body: Body | None = None,
    accused_member: Member | None = None,
    statement: Statement | None = None,
) -> Charge:
    """State a charge before a body one takes part in, against one accused; disagreement is none."""
    member = require_participant(actor, body, clock.now(), "filing a charge")
    if sum(x is not None for x in (accused_body, accused_member, statement)) != 1:
        raise DueProcessError("a charge accuses one member body, one member or one statement")
    if not text.strip():
        raise DueProcessError("a charge states what the accused did")
    charge = Charge.objects.create(
        body=body,
        accused_body=accused_body,
        accused_member=accused_member,
        statement=statement,
        text=text,
        filed_by=member,
        filed_at=clock.now(),
    )
    due = reply_due(charge)
    append_entry(
        actor=actor,
        action="charge.filed",
        subject=f"charge:{charge.pk}",
        body=body,
        data={
            "text": text,
            "accused_body": accused_body.slug if accused_body else None,
            "accused_member": accused_member.pk if accused_member else None,
            "statement": statement.pk if statement else None,
            "reply_due": due.isoformat(),
        },
    )
    notices.after_commit(partial(notices.charge_filed, charge.pk))
    return charge


def is_accused(member: Member, charge: Charge) -> bool:
    """Tell whether the member is the accused, or the author of the statement charged."""
    if charge.accused_member_id is not None:
        return member.pk == charge.accused_member_id
    return charge.statement is not None and member.pk == charge.statement.author_id


def may_reply(member: Member, charge: Charge) -> bool:
    """Tell whether the member answers for the accused: themself, the author, or the body."""
    now = clock.now()
    if charge.accused_member_id is not None:
        return member.pk == charge.accused_member_id
    if charge.statement is not None:
        return member.pk == charge.statement.author_id
    body = charge.accused_body
    assert body is not None
    # A body replies through its elected secretary, or a delegate it sent to the council.
    return (
        holds_office(member, body, SECRETARY, now)
        or delegations_of(member, charge.body, now).filter(pk=body.pk).exists()
    )


@transaction.atomic(durable=True)
def reply_to_charge(*, actor: Actor, charge: Charge, text: str) -> Reply:
    """Enter the accused's written reply to a charge, once."""
    if not isinstance(actor, Member) or not may_reply(actor, charge):
        raise StandingError(
            "%(actor)s cannot reply to charge %(charge)s: the accused replies (a body through its "
            "secretary or its delegate)",
            actor=actor,
            charge=charge.pk,
        )
    if charge.accused_body is not None:
        # A body replies through an officer or a delegate: an act in that role.
        require_second_factor(actor, [charge.accused_body], "replying for a body")
    if not text.strip():
        raise DueProcessError("a reply says something")
    try:
        with transaction.atomic():
            reply = Reply.objects.create(
                charge=charge, author=actor, text=text, replied_at=clock.now()
            )
    except IntegrityError:
        raise DueProcessError(
            "charge %(charge)s has been answered already", charge=charge.pk
        ) from None
    append_entry(
        actor=actor,
        action="charge.answered",
        subject=f"charge:{charge.pk}",
        body=charge.body,
        data={"text": text},
    )
    return reply
