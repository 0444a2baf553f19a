"""Reads about sessions: one by its id, its items, its delegations, a body's latest sessions, and
what a member may bring to one: the council's motions waiting for an agenda, the member bodies
whose mandate they may propose, the elections it holds; and the councils' provisional decisions
a member body has still to ratify or reject."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q

from frombelow.db.models import (
    Body,
    Decision,
    Delegation,
    Election,
    Item,
    Member,
    Motion,
    Session,
)
from frombelow.services.queries.bodies import councils_at, member_bodies_at
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


def elections_in(session: Session) -> list[Election]:
    """Return the elections whose vote the session holds, in the order they were put to it."""
    return list(
        Election.objects.filter(vote__session=session)
        .select_related("vote", "body", "council")
        .order_by("vote__pk")
    )


def elections_to_put(council: Body) -> list[Election]:
    """Return the council's elections taking candidacies, which a session of it may vote on."""
    return list(
        Election.objects.filter(body=council, vote__isnull=True)
        .select_related("council")
        .order_by("pk")
    )


def pending_ratifications(body: Body, at: datetime) -> list[Decision]:
    """Return the provisional decisions of the councils the body sits in that it has not yet
    answered and may still ratify at `at`, the soonest to lapse first."""
    return list(
        Decision.objects.filter(
            Q(ratify_by__isnull=True) | Q(ratify_by__gte=at),
            body__in=councils_at(body, at),
            provisional=True,
            outcome=Decision.Outcome.CARRIED,
            ratified__isnull=True,
        )
        .exclude(ratifications__member_body=body)
        .select_related("body", "vote")
        .order_by("ratify_by", "pk")
    )


def ratify_motions(body: Body, decisions: list[Decision]) -> dict[int, Motion]:
    """Return the body's latest ratify motion on each of these decisions, by decision id (one
    withdrawn leaves the body free to propose another)."""
    found: dict[int, Motion] = {}
    for motion in (
        Motion.objects.filter(body=body, kind=Motion.Kind.RATIFY, decision__in=decisions)
        .exclude(status=Motion.Status.WITHDRAWN)
        .order_by("pk")
    ):
        assert motion.decision_id is not None
        found[motion.decision_id] = motion
    return found
