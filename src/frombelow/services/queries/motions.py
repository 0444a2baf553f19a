"""Reads about motions: one by its id, a body's motions, those still to be decided."""

from __future__ import annotations

from frombelow.db.models import Body, Motion
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
