"""Reads about sessions: one by its id, its delegations, a body's latest sessions."""

from __future__ import annotations

from frombelow.db.models import Body, Delegation, Session
from frombelow.services.queries.lookup import one


def session_with_id(pk: int) -> Session:
    """Return the session with this id, with its body."""
    return one(Session.objects.select_related("body"), pk)


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
