"""Tendencies: named currents that members form and join by their own act, publishing statements
to the bodies their members belong to. No service bans a tendency or deletes a statement; a body
may hide a statement addressed to it only by its decision on a charge after the author's reply,
and the statement stays listed with the decision that hid it.
"""

from __future__ import annotations

import re

from django.db import IntegrityError, transaction
from django.utils.text import slugify

from frombelow.core.errors import FederationError, StandingError
from frombelow.db.models import Adherence, Body, Decision, Hiding, Motion, Statement, Tendency
from frombelow.services import clock
from frombelow.services.charges import check_charge, reply_of
from frombelow.services.motion_kinds import MotionKind, declare
from frombelow.services.record import Actor, append_entry
from frombelow.services.standing import as_member, is_eligible

NAME_LENGTH = 200
TITLE_LENGTH = 300
TEXT_LENGTH = 20_000
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@transaction.atomic(durable=True)
def found_tendency(*, actor: Actor, name: str, slug: str = "") -> Tendency:
    """Found a tendency; its founder is its first adherent. Its slug comes from its name if
    not given."""
    member = as_member(actor, "founding a tendency")
    name = name.strip()
    if not name:
        raise StandingError("a tendency has a name")
    if len(name) > NAME_LENGTH:
        raise StandingError("a tendency's name is at most %(most)s characters", most=NAME_LENGTH)
    slug = slug.strip() or slugify(name)[:100].strip("-")
    if not SLUG.fullmatch(slug) or len(slug) > 100:
        raise StandingError(
            "%(slug)r cannot name a tendency in an address: use small letters, digits and hyphens",
            slug=slug,
        )
    try:
        with transaction.atomic():
            tendency = Tendency.objects.create(name=name, slug=slug, founded_at=clock.now())
    except IntegrityError:
        raise FederationError("there is already a tendency %(slug)r", slug=slug) from None
    Adherence.objects.create(tendency=tendency, member=member, joined_at=clock.now())
    append_entry(
        actor=actor,
        action="tendency.founded",
        subject=f"tendency:{slug}",
        data={"name": name},
    )
    return tendency


@transaction.atomic(durable=True)
def adhere(*, actor: Actor, tendency: Tendency) -> Adherence:
    """Join a tendency, by one's own act."""
    member = as_member(actor, "joining a tendency")
    try:
        with transaction.atomic():
            adherence = Adherence.objects.create(
                tendency=tendency, member=member, joined_at=clock.now()
            )
    except IntegrityError:
        raise StandingError(
            "%(member)s already adheres to %(tendency)s", member=member.name, tendency=tendency.name
        ) from None
    append_entry(
        actor=actor, action="tendency.joined", subject=f"tendency:{tendency.slug}", data={}
    )
    return adherence


@transaction.atomic(durable=True)
def leave_tendency(*, actor: Actor, tendency: Tendency) -> Adherence:
    """Leave a tendency, by one's own act, always; its statements stay as published."""
    member = as_member(actor, "leaving a tendency")
    adherence = (
        Adherence.objects.select_for_update()
        .filter(tendency=tendency, member=member, left_at__isnull=True)
        .first()
    )
    if adherence is None:
        raise StandingError(
            "%(member)s does not adhere to %(tendency)s", member=member.name, tendency=tendency.name
        )
    adherence.left_at = clock.now()
    adherence.save(update_fields=["left_at"])
    append_entry(actor=actor, action="tendency.left", subject=f"tendency:{tendency.slug}", data={})
    return adherence


@transaction.atomic(durable=True)
def publish_statement(
    *, actor: Actor, tendency: Tendency, body: Body, title: str, text: str
) -> Statement:
    """Publish a tendency's statement to a body the author belongs to (or sits below)."""
    member = as_member(actor, "publishing a statement")
    now = clock.now()
    if not tendency.adherences.filter(member=member, left_at__isnull=True).exists():
        raise StandingError(
            "%(member)s does not adhere to %(tendency)s", member=member.name, tendency=tendency.name
        )
    if not is_eligible(member, body, now):
        raise StandingError(
            "%(member)s is not a member of %(body)r or of a body below it",
            member=member.name,
            body=body.slug,
        )
    title = title.strip()
    if not title:
        raise StandingError("a statement has a title")
    if len(title) > TITLE_LENGTH or len(text) > TEXT_LENGTH:
        raise StandingError(
            "a statement's title is at most %(title)s characters and its text %(text)s",
            title=TITLE_LENGTH,
            text=TEXT_LENGTH,
        )
    statement = Statement.objects.create(
        tendency=tendency, body=body, author=member, title=title, text=text, published_at=now
    )
    append_entry(
        actor=actor,
        action="statement.published",
        subject=f"statement:{statement.pk}",
        body=body,
        data={"tendency": tendency.slug, "title": title, "text": text},
    )
    return statement


def hide_statement(decision: Decision) -> None:
    """Hide a statement by the carried decision of the body it was addressed to (the effect)."""
    motion = decision.motion
    assert motion is not None
    assert motion.statement is not None
    assert motion.charge is not None
    Hiding.objects.create(statement=motion.statement, decision=decision, hidden_at=clock.now())
    append_entry(
        actor="system",
        action="statement.hidden",
        subject=f"statement:{motion.statement.pk}",
        body=decision.body,
        data={
            "decision": decision.pk,
            "charge": motion.charge.pk,
            # None: the accused let the time to reply pass without a word (`charges`).
            "reply": reply.pk if (reply := reply_of(motion.charge)) else None,
        },
    )


def _check_hiding(motion: Motion) -> None:
    statement = motion.statement
    assert isinstance(statement, Statement)
    if statement.body_id != motion.body_id:
        raise StandingError(
            "only %(body)r, which it was addressed to, may hide it", body=statement.body.slug
        )
    check_charge(motion.charge, motion.body, statement=statement)


declare(
    MotionKind(
        Motion.Kind.HIDE_STATEMENT,
        targets=frozenset({"statement", "charge"}),
        check=_check_hiding,
        effect=hide_statement,
    )
)
