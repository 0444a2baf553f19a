"""Reads about terms: who holds what now, and which elections are due or overdue (from dates)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q

from frombelow.core import terms as core
from frombelow.db.mapping import DELEGATE, office_key, read_term
from frombelow.db.models import Body, Election, Member, Term
from frombelow.services.queries.bodies import councils_at, statute_of
from frombelow.services.queries.lookup import one
from frombelow.services.standing import terms_held
from frombelow.services.weights import representation_at


def term_with_id(pk: int) -> Term:
    """Return the term with this id, with its holder and body."""
    return one(Term.objects.select_related("holder", "body"), pk)


def terms_held_by(member: Member, at: datetime) -> list[Term]:
    """Return the offices and seats the member holds at `at`."""
    return list(
        Term.objects.filter(terms_held(at), holder=member).select_related(
            "holder", "council", "body"
        )
    )


def terms_held_in(body: Body, at: datetime) -> list[Term]:
    """Return the terms the body's elections gave that are held at `at`: offices and seats."""
    return list(
        Term.objects.filter(terms_held(at), body=body).select_related("holder", "council", "body")
    )


def seats_in(council: Body, at: datetime) -> list[Term]:
    """Return the council's seats held at `at` by the delegates of its member bodies."""
    return list(
        Term.objects.filter(terms_held(at), council=council).select_related(
            "holder", "council", "body"
        )
    )


def office_holders_at(body: Body, at: datetime) -> list[Term]:
    """Return the body's officers and the delegates seated in it at `at`, by office and body."""
    return list(
        Term.objects.filter(terms_held(at))
        .filter(Q(body=body) | Q(council=body, office=DELEGATE))
        .select_related("holder", "body", "council", "substitute_for")
        .order_by("office", "body__name", "started_at")
    )


def holders(body: Body, office: str, at: datetime, council: Body | None = None) -> list[Term]:
    """Return the terms of the body's office held at `at`."""
    return list(
        Term.objects.filter(terms_held(at), body=body, office=office, council=council)
        .select_related("holder")
        .order_by("started_at", "pk")
    )


def history(body: Body, office: str, council: Body | None) -> list[core.Term]:
    """Return every term the body's elections gave in the office, in the core's view."""
    rows = Term.objects.filter(body=body, office=office, council=council).select_related(
        "body", "council", "cut_short"
    )
    return [read_term(t) for t in rows]


@dataclass(frozen=True)
class Office:
    """An office or delegation of a body, its seats, and its election's state at a moment."""

    office: str
    council: Body | None
    seats: int
    status: core.ElectionStatus


def election_statuses(body: Body, at: datetime) -> list[Office]:
    """Derive, for each office the body has elected and each council it sits in, whether an
    election is due or overdue at `at`: what every member of the body sees."""
    statute = statute_of(body)
    offices: dict[tuple[str, int | None], tuple[str, Body | None, int]] = {}
    for election in Election.objects.filter(body=body).select_related("council").order_by("pk"):
        key = (election.office, election.council_id)
        offices[key] = (election.office, election.council, election.seats)
    for member_of in councils_at(body, at):
        seats = representation_at(member_of, at, seed=None).delegation(body.slug).seats
        offices[(DELEGATE, member_of.pk)] = (DELEGATE, member_of, seats)
    out = []
    for office, council, seats in offices.values():
        status = core.election_status(
            statute,
            history(body, office, council),
            office=office_key(office, council),
            body=body.slug,
            seats=seats,
            now=at,
        )
        out.append(Office(office, council, seats, status))
    return out
