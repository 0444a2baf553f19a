"""Reads about motions: one by its id, a body's motions, those still to be decided, their
supporters and amendments."""

from __future__ import annotations

from frombelow.db.models import Amendment, Body, Member, Motion
from frombelow.services.queries.lookup import one


def motion_with_id(pk: int) -> Motion:
    """Return the motion with this id, with its body and proposer."""
    return one(Motion.objects.select_related("body", "proposer"), pk)


def motions_of(body: Body) -> list[Motion]:
    """Return the motions put to the body."""
    return list(Motion.objects.filter(body=body).select_related("body"))


def undecided_motions(body: Body, limit: int) -> list[Motion]:
    """Return the body's latest motions neither decided nor withdrawn, newest first."""
    return list(
        Motion.objects.filter(body=body)
        .exclude(status__in=[Motion.Status.DECIDED, Motion.Status.WITHDRAWN])
        .order_by("-pk")[:limit]
    )


def amendment_with_id(pk: int) -> Amendment:
    """Return the amendment with this id, with its motion, the motion's body and its proposer."""
    return one(Amendment.objects.select_related("motion__body", "proposer"), pk)


def amendments_of(motion: Motion) -> list[Amendment]:
    """Return the amendments proposed to the motion, oldest first, with their proposers."""
    return list(motion.amendments.select_related("proposer").order_by("pk"))


def supporters_of(motion: Motion) -> list[Member]:
    """Return the members who support the motion's text as it stands, in the order they signed."""
    supports = (
        motion.supports.filter(edition=motion.edition)
        .select_related("member")
        .order_by("supported_at", "pk")
    )
    return [support.member for support in supports]
