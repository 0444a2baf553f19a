"""Reads about sessions: one by its id, its items, its delegations, a body's latest sessions, and
what a member may bring to one: the council's motions waiting for an agenda, the member bodies
whose mandate they may propose."""

from __future__ import annotations

from datetime import datetime

from frombelow.db.models import Body, Delegation, Item, Member, Motion, Session
from frombelow.services.queries.bodies import member_bodies_at
from frombelow.services.queries.lookup import one
from frombelow.services.standing import takes_part


def session_with_id(pk: int) -> Session:
    """Return the session with this id, with its body."""
    return one(Session.objects.select_related("body"), pk)


def item_with_id(pk: int) -> Item:
    """Return the agenda item with this id, with its motion and its session's council."""
    return one(Item.objects.select_related("motion", "session__body"), pk)


def delegations_in(session: Session) -> list[Delegation]:
    """Return the delegations seated in the session, by their member body's name."""
    return list(
        Delegation.objects.filter(session=session)
        .select_related("member_body")
        .order_by("member_body__name")
    )


def latest_sessions(body: Body, limit: int) -> list[Session]:
    """Return the body's latest sessions, the latest starting first."""
    return list(Session.objects.filter(body=body).order_by("-starts_at")[:limit])


def motions_for_agenda(council: Body) -> list[Motion]:
    """Return the council's submitted motions on no agenda yet, oldest first."""
    return list(
        Motion.objects.filter(body=council, status=Motion.Status.SUBMITTED, item__isnull=True)
        .select_related("body")
        .order_by("pk")
    )


def bodies_mandating(member: Member, council: Body, at: datetime) -> list[Body]:
    """Return the council's member bodies in which the member takes part at `at`, by name."""
    return [
        body
        for body in member_bodies_at(council, at).order_by("name")
        if takes_part(member, body, at)
    ]


def sits_in(member: Member, council: Body, at: datetime) -> bool:
    """Tell whether the member sits in the council as a delegate at `at`."""
    return council.kind == Body.Kind.COUNCIL and takes_part(member, council, at)
