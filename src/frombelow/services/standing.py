"""Who may act in a body: its members in an assembly, its delegates in a council, its officers."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_noop

from frombelow.core.errors import StandingError, Words
from frombelow.db import mapping
from frombelow.db.models import Body, Member, Sanction, Term
from frombelow.services.queries.bodies import councils_at, is_member, members_at, roll_at
from frombelow.services.record import Actor
from frombelow.services.two_factor_rule import require_second_factor
from frombelow.services.weights import subtree_at

SECRETARY = "secretary"
MEMBERSHIP_OFFICER = "membership-officer"
DELEGATE = mapping.DELEGATE  # one office per council, as the core's terms count it
# The offices the rules name, in words a page or a refusal can translate; an office a body
# elects under a name of its own is shown as it was named.
OFFICE_WORDS = {
    SECRETARY: gettext_noop("secretary"),
    MEMBERSHIP_OFFICER: gettext_noop("membership officer"),
    DELEGATE: gettext_noop("delegate"),
}


def office_words(office: str) -> Words:
    """Return the office in words: the rules' own offices by their name, others as named."""
    return Words(OFFICE_WORDS.get(office, office))


def terms_held(at: datetime) -> Q:
    """Match terms held at `at`: begun, not yet at their end, not cut short."""
    return (
        Q(started_at__lte=at)
        & Q(ends_at__gt=at)
        & (Q(cut_short__isnull=True) | Q(cut_short__ended_at__gt=at))
    )


def held_terms(body: Body, office: str, at: datetime) -> QuerySet[Term]:
    """Return the body's terms in `office` held at `at`."""
    return Term.objects.filter(terms_held(at), body=body, office=office)


def holds_office(member: Member, body: Body, office: str, at: datetime) -> bool:
    """Tell whether the member holds the office in the body at `at`."""
    return held_terms(body, office, at).filter(holder=member).exists()


def delegations_of(member: Member, council: Body, at: datetime) -> QuerySet[Body]:
    """Return the member bodies the member sits for as a delegate in the council at `at`."""
    terms = Term.objects.filter(terms_held(at), office=DELEGATE, council=council, holder=member)
    return Body.objects.filter(pk__in=terms.values("body"))


def suspensions_at(assembly: Body, at: datetime) -> QuerySet[Sanction]:
    """Return the assembly's suspensions in force at `at` (those no council lifted)."""
    return Sanction.objects.filter(
        Q(ends_at__isnull=True) | Q(ends_at__gt=at),
        assembly=assembly,
        kind=Sanction.Kind.SUSPENSION,
        starts_at__lte=at,
        lifting__isnull=True,
    )


def is_suspended(member: Member, assembly: Body, at: datetime) -> bool:
    """Tell whether the assembly suspended the member at `at` (and no council lifted it)."""
    return suspensions_at(assembly, at).filter(member=member).exists()


def electors_at(assembly: Body, at: datetime) -> list[Member]:
    """Return who votes in the assembly at `at`: its members but the suspended, in one query."""
    suspended = suspensions_at(assembly, at).values("member")
    return list(members_at(assembly, at).exclude(pk__in=suspended))


def as_member(actor: Actor, what: str) -> Member:
    """Return the member who acts, refusing the system or an operator for a member's act."""
    if not isinstance(actor, Member):
        raise StandingError(
            "%(what)s is a member's act; %(actor)r is not a member", what=Words(what), actor=actor
        )
    return actor


def takes_part(member: Member, body: Body, at: datetime) -> bool:
    """Tell whether the member takes part in the body: a member not suspended, or a delegate."""
    if body.kind == Body.Kind.ASSEMBLY:
        return is_member(member, body, at) and not is_suspended(member, body, at)
    return delegations_of(member, body, at).exists()


def require_participant(actor: Actor, body: Body, at: datetime, what: str) -> Member:
    """Return the acting member if they take part in the body: a member, or a delegate to it."""
    member = as_member(actor, what)
    if not takes_part(member, body, at):
        if body.kind == Body.Kind.COUNCIL:
            raise StandingError(
                "%(what)s: %(member)s is no delegate to the council %(body)r",
                what=Words(what),
                member=member.name,
                body=body.slug,
            )
        if is_member(member, body, at):
            raise StandingError(
                "%(what)s: %(member)s is suspended in %(body)r",
                what=Words(what),
                member=member.name,
                body=body.slug,
            )
        raise StandingError(
            "%(what)s: %(member)s is not a member of %(body)r",
            what=Words(what),
            member=member.name,
            body=body.slug,
        )
    if body.kind == Body.Kind.COUNCIL:
        # A delegate acts in their seat: the council's statute and their electors' govern it.
        electors = list(delegations_of(member, body, at))
        require_second_factor(member, [body, *electors], what)
    return member


def require_officer(actor: Actor, body: Body, office: str, at: datetime, what: str) -> Member:
    """Return the acting member if the body elected them to `office` and they hold it now."""
    member = as_member(actor, what)
    if not holds_office(member, body, office, at):
        raise StandingError(
            "%(what)s: only the %(office)s that %(body)r elected may do this, and %(member)s "
            "holds no such term",
            what=Words(what),
            office=office_words(office),
            body=body.slug,
            member=member.name,
        )
    require_second_factor(member, [body], what)
    return member


def councils_above(body: Body, at: datetime) -> set[int]:
    """Return the ids of every council above the body, through any path, at `at`."""
    seen: set[int] = set()
    frontier = [body]
    while frontier:
        nxt = []
        for b in frontier:
            for council in councils_at(b, at):
                if council.pk not in seen:
                    seen.add(council.pk)
                    nxt.append(council)
        frontier = nxt
    return seen


def is_eligible(member: Member, body: Body, at: datetime) -> bool:
    """Tell whether the member may stand in the body: a member of it, or of an assembly below."""
    if body.kind == Body.Kind.ASSEMBLY:
        return is_member(member, body, at)
    below = subtree_at(body, at).assemblies_under(body.slug)
    return member.memberships.filter(
        assembly__slug__in=below, joined_at__lte=at, left_at__isnull=True
    ).exists()


def members_under(body: Body, at: datetime) -> set[int]:
    """Return the ids of the members of the body (an assembly) or of every assembly below it."""
    if body.kind == Body.Kind.ASSEMBLY:
        return set(members_at(body, at).values_list("pk", flat=True))
    assemblies = subtree_at(body, at).assemblies_under(body.slug)
    return set(roll_at(at, assemblies).people.tolist())
