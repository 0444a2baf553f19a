"""Reads for a member's own view: their bodies, what awaits their vote, their delegates."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from frombelow.db.models import (
    Body,
    DelegateCast,
    DelegationVote,
    Member,
    Membership,
    Referendum,
    Session,
    Term,
    Vote,
)
from frombelow.services.queries.bodies import current
from frombelow.services.queries.lookup import one
from frombelow.services.queries.terms import Office, election_statuses
from frombelow.services.queries.work import open_votes_of, referendums_of, votes_past_close_of
from frombelow.services.standing import DELEGATE, councils_above, terms_held


@dataclass(frozen=True)
class DelegateRecord:
    """A delegate of one of the member's assemblies: the term, and how the delegation voted."""

    term: Term
    votes: list[DelegationVote]  # the delegation's votes in the council, latest first
    casts: list[DelegateCast]  # what the delegate cast themself, latest first


@dataclass(frozen=True)
class DueElection:
    """An office of one of the member's bodies whose election is due or overdue."""

    body: Body
    office: Office


@dataclass(frozen=True)
class Home:
    """What a member sees first: their bodies, what is open to them, their delegates."""

    assemblies: list[Body]
    councils: list[Body]
    open_votes: list[Vote]  # open, on the member's roll, not yet voted by them
    votes_to_count: list[Vote]  # past their close, not yet counted: anyone may ask for the count
    referendums: list[Referendum]  # open, under one of the member's councils, not yet voted
    sessions: list[Session]  # sessions of the member's councils, not yet closed
    delegates: list[DelegateRecord]
    elections: list[DueElection]


def member_with_id(pk: int) -> Member:
    """Return the member with this id."""
    return one(Member.objects.all(), pk)


def members_with_ids(pks: Iterable[int]) -> list[Member]:
    """Return the members with these ids that exist, by name; the caller tells which are not."""
    return list(Member.objects.filter(pk__in=list(pks)).order_by("name", "pk"))


def member_of_user(user_id: int) -> Member | None:
    """Return the member whose account this user is, if the account belongs to one."""
    return Member.objects.filter(user_id=user_id).first()


def language_of_user(user_id: int) -> str:
    """Return the language the member with this account chose, or "" (none, or no member)."""
    return Member.objects.filter(user_id=user_id).values_list("language", flat=True).first() or ""


def bodies_of(member: Member, at: datetime) -> tuple[list[Body], list[Body]]:
    """Return the member's assemblies and every council above any of them, at `at`."""
    assemblies = list(
        Body.objects.filter(
            pk__in=Membership.objects.filter(current(at), member=member).values("assembly")
        ).order_by("name")
    )
    above: set[int] = set()
    for assembly in assemblies:
        above |= councils_above(assembly, at)
    return assemblies, list(Body.objects.filter(pk__in=above).order_by("name"))


def home_of(member: Member, at: datetime, recent: int = 5) -> Home:
    """Gather a member's home at `at`."""
    assemblies, councils = bodies_of(member, at)
    # The same reads as the member's work (`services.work`): one truth for the page and the API.
    open_votes = open_votes_of(member, at)
    to_count = votes_past_close_of(member, at)
    referendums = referendums_of(member, councils, at)
    sessions = list(
        Session.objects.filter(body__in=councils, closed_at__isnull=True).select_related("body")
    )
    delegates = []
    for term in (
        Term.objects.filter(terms_held(at), office=DELEGATE, body__in=assemblies)
        .select_related("holder", "body", "council")
        .order_by("body__name", "started_at")
    ):
        votes = DelegationVote.objects.filter(
            member_body=term.body, vote__body=term.council
        ).select_related("vote", "vote__decision", "mandate")
        casts = DelegateCast.objects.filter(delegate=term.holder, member_body=term.body)
        delegates.append(
            DelegateRecord(
                term,
                list(votes.order_by("-vote__opened_at", "-pk")[:recent]),
                list(casts.select_related("vote").order_by("-cast_at", "-pk")[:recent]),
            )
        )
    elections = [
        DueElection(body, office)
        for body in assemblies
        for office in election_statuses(body, at)
        if office.status.status in ("due", "overdue")
    ]
    return Home(
        assemblies,
        councils,
        open_votes,
        to_count,
        referendums,
        sessions,
        delegates,
        elections,
    )
