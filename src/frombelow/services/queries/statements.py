"""Reads about the statements tendencies publish to a body."""

from __future__ import annotations

from frombelow.db.models import Body, Statement


def statements_to(body: Body) -> list[Statement]:
    """Return every statement published to the body, hidden ones too, oldest first."""
    return list(
        Statement.objects.filter(body=body)
        .select_related("tendency", "hiding")
        .order_by("published_at", "pk")
    )


def latest_statements(body: Body, limit: int) -> list[Statement]:
    """Return the latest statements published to the body and not hidden, newest first."""
    return list(
        Statement.objects.filter(body=body, hiding__isnull=True)
        .select_related("tendency", "author")
        .order_by("-published_at")[:limit]
    )
