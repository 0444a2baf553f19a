"""Reads about elections: one by its id, a body's elections, the candidates and their tendencies."""

from __future__ import annotations

from datetime import datetime

from frombelow.db.models import Body, Candidacy, Election, Member, Tendency
from frombelow.services.queries.lookup import NotFoundError, one


def election_with_id(pk: int) -> Election:
    """Return the election with this id, with its body, council and vote."""
    return one(Election.objects.select_related("body", "council", "vote"), pk)


def candidacies_in(election: Election) -> list[Candidacy]:
    """Return the candidacies not withdrawn, in the order they were made, with member and
    tendency."""
    return list(
        election.candidacies.filter(withdrawal__isnull=True)
        .select_related("member", "tendency")
        .order_by("pk")
    )


def stands_in(election: Election, member: Member) -> bool:
    """Tell whether the member stands in the election and has not withdrawn."""
    return election.candidacies.filter(member=member, withdrawal__isnull=True).exists()


def has_stood_in(election: Election, member: Member) -> bool:
    """Tell whether the member ever stood in the election, withdrawn or not."""
    return election.candidacies.filter(member=member).exists()


def elections_of(body: Body, limit: int) -> list[Election]:
    """Return the body's latest elections, newest first, with council, vote and decision."""
    return list(
        Election.objects.filter(body=body)
        .select_related("council", "vote", "vote__decision")
        .order_by("-called_at", "-pk")[:limit]
    )


def tendencies_of(member: Member, at: datetime) -> list[Tendency]:
    """Return the tendencies the member adheres to at `at`, which may propose them."""
    return list(
        Tendency.objects.filter(
            adherences__member=member,
            adherences__joined_at__lte=at,
            adherences__left_at__isnull=True,
        )
        .distinct()
        .order_by("name")
    )


def tendency_named(slug: str) -> Tendency:
    """Return the tendency with this slug, or say that there is none."""
    found = Tendency.objects.filter(slug=slug).first()
    if found is None:
        raise NotFoundError(f"there is no tendency {slug!r}")
    return found
