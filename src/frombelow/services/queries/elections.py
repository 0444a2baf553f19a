"""Reads about elections: one by its id."""

from __future__ import annotations

from frombelow.db.models import Election
from frombelow.services.queries.lookup import one


def election_with_id(pk: int) -> Election:
    """Return the election with this id, with its body, council and vote."""
    return one(Election.objects.select_related("body", "council", "vote"), pk)
