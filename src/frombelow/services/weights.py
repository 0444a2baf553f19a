"""Weights computed from the roll when a session or vote opens (the core's `weigh`), and stored.

The stored snapshot is what members see; a later count that needs the core's own snapshot
recomputes it from the roll at the same moment, which the membership history keeps.
"""

from __future__ import annotations

from datetime import datetime

from frombelow.core.federation import Federation, weigh
from frombelow.core.federation import WeightSnapshot as CoreSnapshot
from frombelow.core.representation import Representation, seat_delegations
from frombelow.core.statutes import Statute
from frombelow.db.mapping import read_statute
from frombelow.db.models import Body, BodyWeight, StatuteVersion, WeightSnapshot
from frombelow.services.queries.bodies import federation_at, roll_at


def subtree_at(body: Body, at: datetime) -> Federation:
    """Return the federation graph of the body and every body below it at `at`."""
    whole = federation_at(at)
    subtree = whole.subtree(body.slug)
    if len(subtree) == len(whole.bodies):
        return whole  # the body is above every other: no need to build the same graph twice
    return Federation.of(
        (whole.bodies[b] for b in subtree),
        ((m, c) for m, c in whole.memberships if m in subtree and c in subtree),
    )


def statutes_at(slugs: list[str], at: datetime) -> dict[str, Statute]:
    """Return each named body's statute in force at `at`, read in one query."""
    statutes: dict[str, Statute] = {}
    rows = (
        StatuteVersion.objects.filter(body__slug__in=slugs, adopted_at__lte=at)
        .order_by("body_id", "number")
        .values_list("body__slug", "rules")
    )
    for slug, rules in rows:
        statutes[slug] = read_statute(rules)  # the latest version read last wins
    return statutes


def weigh_at(body: Body, at: datetime) -> tuple[Federation, CoreSnapshot, dict[str, Statute]]:
    """Weigh the body's subtree from the roll at `at`, each council as its statute says."""
    federation = subtree_at(body, at)
    assemblies = [b for b in federation.order if federation.bodies[b].kind == "assembly"]
    councils = [b for b in federation.order if federation.bodies[b].kind == "council"]
    statutes = statutes_at(councils, at)
    return federation, weigh(federation, roll_at(at, assemblies), statutes), statutes


def representation_at(council: Body, at: datetime, seed: int | None) -> Representation:
    """Seat the council's member bodies from the weights at `at`, under its statute then."""
    federation, snapshot, statutes = weigh_at(council, at)
    return seat_delegations(federation, council.slug, snapshot, statutes[council.slug], seed=seed)


def take_snapshot(body: Body, at: datetime) -> tuple[WeightSnapshot, CoreSnapshot]:
    """Compute the weights of the body's subtree from the roll at `at`, and store them."""
    _, snapshot, _ = weigh_at(body, at)
    row = WeightSnapshot.objects.create(body=body, taken_at=at, members=snapshot.members)
    ids = dict(Body.objects.filter(slug__in=list(snapshot.weights)).values_list("slug", "pk"))
    BodyWeight.objects.bulk_create(
        BodyWeight(snapshot=row, body_id=ids[slug], weight=weight)
        for slug, weight in snapshot.weights.items()
    )
    return row, snapshot
