"""Who may see and do what: the thin query that places a person, over the core's access rules.

The rules are `frombelow.core.access`; this module reads where a member stands at a moment (rolls,
suspensions, terms held) and the federation graph, so that the API and the pages ask one place.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet

from frombelow.core import access as rules
from frombelow.core.access import AccessError, Viewer
from frombelow.core.federation import Federation
from frombelow.db.models import Body, Member, Membership, RecordEntry, Sanction, Term
from frombelow.services.queries.bodies import current, federation_at
from frombelow.services.standing import DELEGATE, terms_held

__all__ = [
    "AccessError",
    "Viewer",
    "assemblies_of",
    "contacts_seen",
    "may_act",
    "may_read",
    "may_read_entry",
    "may_see_contact",
    "readable_bodies",
    "require_act",
    "require_read",
    "viewer_at",
]


def viewer_at(member: Member | None, at: datetime) -> Viewer:
    """Return where the member (None: an anonymous visitor) stands at `at`."""
    if member is None:
        return rules.ANONYMOUS
    assemblies = frozenset(
        Membership.objects.filter(current(at), member=member).values_list(
            "assembly__slug", flat=True
        )
    )
    suspended = frozenset(
        Sanction.objects.filter(
            Q(ends_at__isnull=True) | Q(ends_at__gt=at),
            member=member,
            kind=Sanction.Kind.SUSPENSION,
            starts_at__lte=at,
            lifting__isnull=True,
        ).values_list("assembly__slug", flat=True)
    )
    offices: set[tuple[str, str]] = set()
    delegations: set[tuple[str, str]] = set()
    for body, office, council in Term.objects.filter(terms_held(at), holder=member).values_list(
        "body__slug", "office", "council__slug"
    ):
        if office == DELEGATE and council is not None:
            delegations.add((body, council))
        else:
            offices.add((body, office))
    return Viewer(
        member=member.pk,
        assemblies=assemblies,
        suspended=suspended & assemblies,
        offices=frozenset(offices),
        delegations=frozenset(delegations),
    )


def may_read(viewer: Viewer, body: Body, at: datetime) -> bool:
    """Tell whether the viewer may read the body's internal items at `at`."""
    # Most reads are a member's of their own assembly: no federation to read for those.
    if rules.reads_as_its_own(viewer, body.slug):
        return True
    return rules.may_read(viewer, body.slug, _graph(body, at))


def may_read_entry(viewer: Viewer, sequence: int, at: datetime) -> bool:
    """Tell whether the viewer may read record entry `sequence` (docs/access.md): a body's entry
    whoever may read the body; an entry of no body (a registration, a founding convened) the
    member it is by or about alone. No visitor reads an entry; checkpoints are for everyone."""
    if viewer.member is None:
        return False
    entry = RecordEntry.objects.select_related("body").filter(seq=sequence).first()
    if entry is None:
        return True  # nothing to hide: the receipt says it is not in the record
    if entry.body is not None:
        return may_read(viewer, entry.body, at)
    own = f"member:{viewer.member}"
    return own in (entry.actor, entry.subject)


def may_act(viewer: Viewer, body: Body, at: datetime) -> bool:
    """Tell whether the viewer takes part in the body at `at`."""
    return rules.may_act(viewer, body.slug, _graph(body, at))


def require_read(viewer: Viewer, body: Body, at: datetime) -> None:
    """Refuse the viewer the body's internal items unless they may read them at `at`."""
    if not rules.reads_as_its_own(viewer, body.slug):
        rules.require_read(viewer, body.slug, _graph(body, at))


def require_act(viewer: Viewer, body: Body, at: datetime) -> None:
    """Refuse the viewer an act in the body unless they take part in it at `at`."""
    rules.require_act(viewer, body.slug, _graph(body, at))


def assemblies_of(member: Member, at: datetime) -> frozenset[str]:
    """Return the slugs of the assemblies on whose roll the member is at `at`."""
    return frozenset(
        Membership.objects.filter(current(at), member=member).values_list(
            "assembly__slug", flat=True
        )
    )


def may_see_contact(viewer: Viewer, member: Member, at: datetime) -> bool:
    """Tell whether the viewer sees the member's contact details at `at`."""
    return rules.may_see_contact(viewer, member.pk, assemblies_of(member, at))


def contacts_seen(viewer: Viewer, members: QuerySet[Any, Any], at: datetime) -> frozenset[int]:
    """Return the ids, among `members` (a query of member ids), of those whose contact details
    the viewer sees at `at`: one query whatever their number, where `may_see_contact` asked one
    per member (issue 16: 4,807 queries for a roll of 4,800)."""
    seen = {viewer.member} if viewer.member is not None else set()
    kept = rules.contact_keepers(viewer)
    if kept:
        seen.update(
            Membership.objects.filter(
                current(at), member__in=members, assembly__slug__in=kept
            ).values_list("member_id", flat=True)
        )
    return frozenset(seen)


def readable_bodies(viewer: Viewer, at: datetime) -> list[Body]:
    """Return the bodies whose internal items the viewer may read at `at`, by name."""
    if viewer.is_anonymous:
        return []
    graph = federation_at(at)
    slugs = [slug for slug in graph.bodies if rules.may_read(viewer, slug, graph)]
    return list(Body.objects.filter(slug__in=slugs))


def _graph(body: Body, at: datetime) -> Federation:
    graph = federation_at(at)
    if body.slug not in graph.bodies:
        # A body founded after `at` has no members yet who could read it.
        raise AccessError("%(body)r did not exist at %(at)s", body=body.slug, at=at.isoformat())
    return graph
