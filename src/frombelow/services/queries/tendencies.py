"""Reads about tendencies: every one with how many adhere now, one's statements and candidates.

Who adheres is shown as a number only: a member's current of opinion is theirs to tell.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, Q

from frombelow.db.models import Adherence, Body, Candidacy, Member, Statement, Tendency
from frombelow.services.queries.lookup import NotFoundError, one


def tendencies_by_name() -> list[tuple[Tendency, int]]:
    """Return every tendency by name, each with how many adhere to it now."""
    rows = Tendency.objects.annotate(
        adherents=Count("adherences", filter=Q(adherences__left_at__isnull=True))
    ).order_by("name", "pk")
    return [(t, t.adherents) for t in rows]


def tendency_with_slug(slug: str) -> Tendency:
    """Return the tendency with this slug, or say that there is none."""
    found = Tendency.objects.filter(slug=slug).first()
    if found is None:
        raise NotFoundError(f"there is no tendency {slug!r}")
    return found


def adherents_of(tendency: Tendency) -> int:
    """Return how many members adhere to the tendency now."""
    return Adherence.objects.filter(tendency=tendency, left_at__isnull=True).count()


def adheres(member: Member, tendency: Tendency) -> bool:
    """Tell whether the member adheres to the tendency now."""
    return Adherence.objects.filter(tendency=tendency, member=member, left_at__isnull=True).exists()


def statements_of(tendency: Tendency, bodies: Iterable[Body]) -> list[Statement]:
    """Return the tendency's statements to these bodies (those a reader may read), newest first,
    hidden ones too with their hiding."""
    return list(
        Statement.objects.filter(tendency=tendency, body__in=list(bodies))
        .select_related("body", "author", "hiding")
        .order_by("-published_at", "-pk")
    )


def candidacies_for(tendency: Tendency, bodies: Iterable[Body]) -> list[Candidacy]:
    """Return the candidacies the tendency proposes in these bodies' elections, newest first."""
    return list(
        Candidacy.objects.filter(tendency=tendency, election__body__in=list(bodies))
        .select_related("member", "election__body", "election__council")
        .order_by("-stood_at", "-pk")
    )


def statement_with_id(pk: int) -> Statement:
    """Return the statement with this id, with its tendency, body and author."""
    return one(Statement.objects.select_related("tendency", "body", "author"), pk)
