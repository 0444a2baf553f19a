"""Reads about a body's record: its entries, to be paged through."""

from __future__ import annotations

from django.db.models import QuerySet

from frombelow.db.models import Body, RecordEntry


def entries_of(body: Body, *, newest_first: bool = False) -> QuerySet[RecordEntry]:
    """Return the body's record entries in their order (or newest first), to count and slice."""
    # A query set, not a list: a page of a long record reads its count and its slice alone.
    return RecordEntry.objects.filter(body=body).order_by("-seq" if newest_first else "seq")
