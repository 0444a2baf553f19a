"""Reads about bodies: lookups, statutes in force, rolls and the federation graph at a moment."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

import numpy as np
from django.db.models import Q, QuerySet

from frombelow.core.errors import StatuteError, UnknownBodyError
from frombelow.core.federation import Body as CoreBody
from frombelow.core.federation import Federation, Roll
from frombelow.core.statutes import Statute
from frombelow.db.mapping import read_statute, statute_json
from frombelow.db.models import Affiliation, Body, Member, Membership, StatuteVersion
from frombelow.services.queries.arrays import fetch_ints


def body_named(slug: str) -> Body:
    """Return the body with this slug, or say that there is none."""
    if "\x00" in slug:
        # No slug holds a NUL, and PostgreSQL refuses to be asked about one.
        raise UnknownBodyError("there is no body %(slug)r", slug=slug)
    try:
        return Body.objects.get(slug=slug)
    except Body.DoesNotExist:
        raise UnknownBodyError("there is no body %(slug)r", slug=slug) from None


def statute_version(body: Body) -> StatuteVersion:
    """Return the body's statute version in force: its latest."""
    version = StatuteVersion.objects.filter(body=body).order_by("-number").first()
    if version is None:
        raise StatuteError("%(body)r has no statute", body=body.slug)
    return version


def statute_of(body: Body) -> Statute:
    """Return the statute in force in the body."""
    return read_statute(statute_version(body).rules)


def statute_history(body: Body) -> list[tuple[StatuteVersion, Statute]]:
    """Return every version of the body's statute, the first (its founding) first, each with
    the decision that adopted it (None for the founding version) read along."""
    versions = (
        StatuteVersion.objects.filter(body=body)
        .select_related("decision__motion")
        .order_by("number")
    )
    return [(version, read_statute(version.rules)) for version in versions]


def statute_rules(body: Body) -> dict[str, Any]:
    """Return the statute in force in the body as JSON, every rule by its name."""
    return statute_json(statute_of(body))


def body_names() -> dict[str, str]:
    """Return the name of every body by its slug."""
    return dict(Body.objects.values_list("slug", "name"))


def current(at: datetime) -> Q:
    """Match rows (memberships, affiliations) that hold at `at`."""
    return Q(joined_at__lte=at) & (Q(left_at__isnull=True) | Q(left_at__gt=at))


def memberships_at(assembly: Body, at: datetime) -> QuerySet[Membership]:
    """Return the assembly's memberships that hold at `at`."""
    return Membership.objects.filter(current(at), assembly=assembly)


def members_at(assembly: Body, at: datetime) -> QuerySet[Member]:
    """Return the members on the assembly's roll at `at`."""
    return Member.objects.filter(
        Q(memberships__joined_at__lte=at)
        & (Q(memberships__left_at__isnull=True) | Q(memberships__left_at__gt=at)),
        memberships__assembly=assembly,
    ).distinct()


def is_member(member: Member, assembly: Body, at: datetime) -> bool:
    """Tell whether the member is on the assembly's roll at `at`."""
    return memberships_at(assembly, at).filter(member=member).exists()


def member_bodies_at(council: Body, at: datetime) -> QuerySet[Body]:
    """Return the council's member bodies at `at`."""
    links = Affiliation.objects.filter(current(at), council=council).values("member_body")
    return Body.objects.filter(pk__in=links)


def councils_at(body: Body, at: datetime) -> QuerySet[Body]:
    """Return the councils the body is a member body of at `at`."""
    links = Affiliation.objects.filter(current(at), member_body=body).values("council")
    return Body.objects.filter(pk__in=links)


def federation_at(at: datetime) -> Federation:
    """Return the whole federation graph as it stood at `at`, bodies by slug."""
    bodies = [
        CoreBody(slug, "council" if kind == Body.Kind.COUNCIL else "assembly", name)
        for slug, kind, name in Body.objects.filter(founded_at__lte=at).values_list(
            "slug", "kind", "name"
        )
    ]
    edges = Affiliation.objects.filter(current(at)).values_list(
        "member_body__slug", "council__slug"
    )
    return Federation.of(bodies, edges)


def roll_at(at: datetime, assemblies: Iterable[str]) -> Roll:
    """Return the roll of the named assemblies at `at`: (member, assembly) rows in member order."""
    ids = dict(Body.objects.filter(slug__in=list(assemblies)).values_list("pk", "slug"))
    rows = fetch_ints(
        Membership.objects.filter(current(at), assembly_id__in=list(ids))
        .order_by("member_id")
        .values_list("member_id", "assembly_id"),
        2,
    )
    # Code each assembly by its place among the sorted ids, on the whole column at once.
    by_id = np.array(sorted(ids), dtype=np.int64)
    codes = np.searchsorted(by_id, rows[:, 1])
    return Roll(tuple(ids[i] for i in by_id.tolist()), rows[:, 0], codes, at)
