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
    """Return the latest statements published to the body, newest first: a hidden one too, so
    that the fact of its hiding stays on view (its page shows the hiding, not the text)."""
    return list(
        Statement.objects.filter(body=body)
        .select_related("tendency", "author", "hiding")
        .order_by("-published_at", "-pk")[:limit]
    )


def shown_statements_to(body: Body) -> list[Statement]:
    """Return the statements to the body not hidden, newest first (a charge may name one)."""
    return list(
        Statement.objects.filter(body=body, hiding__isnull=True)
        .select_related("tendency")
        .order_by("-published_at", "-pk")
    )
