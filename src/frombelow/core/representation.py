"""Seats of a council's member bodies under its statute, from a weight snapshot.

Implements MODEL.md section 2 (seats): either one delegate per member body voting with the body's
weight, or seats apportioned to member bodies by membership with a published method (Sainte-Laguë
by default; D'Hondt, Hamilton, Huntington-Hill), at least one seat each, every delegate then
casting one vote. A `Delegation` is made only here, from a snapshot: no one types its weight.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection
from dataclasses import dataclass, field

from frombelow.core.counting.apportionment import Apportionment, apportion
from frombelow.core.counting.rule import CountError
from frombelow.core.errors import RepresentationError, UnknownBodyError
from frombelow.core.federation import Federation, WeightSnapshot
from frombelow.core.statutes import OneDelegatePerBody, Statute

MemberId = int


class _Seated:
    """The one key that makes a Delegation: only `seat_delegations` holds it."""


_SEATED = _Seated()


@dataclass(frozen=True)
class Delegation:
    """A member body's delegation to a council: its seats and the votes each seat casts."""

    council: str
    body: str
    weight: int  # the members it represents, from the snapshot
    seats: int
    votes_per_seat: int  # the body's weight with one delegate; 1 with apportioned seats
    delegates: frozenset[MemberId] = frozenset()  # who holds its seats now (from their terms)
    _origin: object = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self._origin is not _SEATED:
            raise RepresentationError(
                "a delegation's seats and weight come from the council's statute and the weight "
                "snapshot, never by hand: use seat_delegations()"
            )
        if len(self.delegates) > self.seats:
            raise RepresentationError(
                "%(body)r has %(seats)s seat(s) in %(council)r, not %(delegates)s delegates",
                body=self.body,
                seats=self.seats,
                council=self.council,
                delegates=len(self.delegates),
            )

    @property
    def votes(self) -> int:
        """Return the votes the whole delegation casts."""
        return self.seats * self.votes_per_seat

    def with_delegates(self, delegates: Collection[MemberId]) -> Delegation:
        """Return the delegation with the members now holding its seats."""
        return dataclasses.replace(self, delegates=frozenset(delegates))


@dataclass(frozen=True)
class Representation:
    """A council's delegations under its statute, and the apportionment that gave their seats."""

    council: str
    delegations: tuple[Delegation, ...]  # in member body order
    apportionment: Apportionment | None  # None with one delegate per member body

    def delegation(self, body: str) -> Delegation:
        """Return the member body's delegation."""
        for delegation in self.delegations:
            if delegation.body == body:
                return delegation
        raise UnknownBodyError(
            "%(body)r has no delegation in %(council)r", body=body, council=self.council
        )


def seat_delegations(
    federation: Federation,
    council: str,
    snapshot: WeightSnapshot,
    statute: Statute,
    *,
    seed: int | None = None,
) -> Representation:
    """Seat the council's member bodies under its statute's scheme, from the weight snapshot.

    `seed` draws any lot an apportionment needs (a tie for the last seat); the Apportionment
    records it, so that anyone can redraw it.
    """
    if federation.body(council).kind != "council":
        raise RepresentationError(
            "%(council)r is an assembly; only a council seats delegations", council=council
        )
    members = federation.member_bodies(council)
    if not members:
        raise RepresentationError("%(council)r has no member bodies to seat", council=council)
    weights = {body: snapshot.weight(body) for body in members}
    scheme = statute.seat_scheme
    if isinstance(scheme, OneDelegatePerBody):
        one = tuple(
            Delegation(council, body, weights[body], 1, weights[body], _origin=_SEATED)
            for body in members
        )
        return Representation(council, one, None)
    try:
        shared = apportion(scheme.method, weights, scheme.seats, minimum=scheme.minimum, seed=seed)
    except CountError as error:
        raise RepresentationError(
            "%(council)r cannot seat its member bodies: %(problem)s",
            council=council,
            problem=str(error),
        ) from None
    apportioned = tuple(
        Delegation(council, body, weights[body], shared.seats[body], 1, _origin=_SEATED)
        for body in members
    )
    return Representation(council, apportioned, shared)
