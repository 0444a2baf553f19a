"""A council seats its member bodies as its statute says, from the weight snapshot alone."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from frombelow.core.errors import RepresentationError, UnknownBodyError
from frombelow.core.federation import Body, Federation, Roll, WeightSnapshot, weigh
from frombelow.core.mandates import Item, Mandate, derive_delegation_vote
from frombelow.core.representation import Delegation, seat_delegations
from frombelow.core.statutes import ApportionedSeats, Statute

NOW = datetime(2026, 5, 1, tzinfo=UTC)
SIZES = {"section-a": 300, "section-b": 100, "neighbourhood": 50}


def federation() -> Federation:
    return Federation.of(
        [Body(name, "assembly") for name in SIZES] + [Body("local", "council")],
        [(name, "local") for name in SIZES],
    )


def snapshot() -> WeightSnapshot:
    pairs: list[tuple[int, str]] = []
    for assembly, size in SIZES.items():
        pairs += [(len(pairs) + i, assembly) for i in range(size)]
    return weigh(federation(), Roll.from_pairs(pairs, NOW), {"local": Statute()})


def seats(statute: Statute) -> dict[str, tuple[int, int]]:
    seated = seat_delegations(federation(), "local", snapshot(), statute)
    return {d.body: (d.seats, d.votes) for d in seated.delegations}


def test_one_delegate_per_member_body_votes_with_the_bodys_weight() -> None:
    assert seats(Statute()) == {
        "neighbourhood": (1, 50),
        "section-a": (1, 300),
        "section-b": (1, 100),
    }
    assert seat_delegations(federation(), "local", snapshot(), Statute()).apportionment is None


def test_apportioned_seats_follow_sainte_lague_by_default_with_one_vote_each() -> None:
    # 450 members, 10 seats: the divisor 45 gives 6.67, 2.22 and 1.11, rounded to 7, 2 and 1.
    statute = Statute(seat_scheme=ApportionedSeats(10))
    assert seats(statute) == {
        "neighbourhood": (1, 1),
        "section-a": (7, 7),
        "section-b": (2, 2),
    }
    seated = seat_delegations(federation(), "local", snapshot(), statute)
    assert seated.apportionment is not None
    assert seated.apportionment.method == "sainte-lague"


def test_every_member_body_keeps_its_minimum_of_seats() -> None:
    # D'Hondt with the divisor 150: 300/150 = 2, while 100/150 and 50/150 round down to 0 and
    # are lifted to the minimum of one seat each; 2 + 1 + 1 fills the 4 seats.
    statute = Statute(seat_scheme=ApportionedSeats(4, "dhondt", minimum=1))
    assert seats(statute) == {
        "neighbourhood": (1, 1),
        "section-a": (2, 2),
        "section-b": (1, 1),
    }


def test_too_few_seats_for_the_minimums_is_refused() -> None:
    statute = Statute(seat_scheme=ApportionedSeats(2))
    with pytest.raises(RepresentationError, match="'local' cannot seat its member bodies"):
        seats(statute)


def test_a_proportional_mandate_splits_a_delegations_seats() -> None:
    statute = Statute(seat_scheme=ApportionedSeats(10))
    a = seat_delegations(federation(), "local", snapshot(), statute).delegation("section-a")
    item = Item("strike", "strike fund")
    mandate = Mandate("section-a", "strike", "proportional", votes={"yes": 60, "no": 40})
    vote = derive_delegation_vote(item, a, mandate)
    assert vote is not None
    assert dict(vote.votes) == {"yes": 4, "no": 3, "abstain": 0}  # 4.2 and 2.8 of 7 seats


def test_only_a_council_with_member_bodies_seats_delegations() -> None:
    with pytest.raises(RepresentationError, match="'section-a' is an assembly"):
        seat_delegations(federation(), "section-a", snapshot(), Statute())
    lonely = federation().with_body(Body("new-council", "council"))
    with pytest.raises(RepresentationError, match="no member bodies"):
        seat_delegations(lonely, "new-council", snapshot(), Statute())
    with pytest.raises(UnknownBodyError, match="'section-z' has no delegation"):
        seat_delegations(federation(), "local", snapshot(), Statute()).delegation("section-z")


def test_no_one_types_a_delegations_weight_or_seats() -> None:
    with pytest.raises(RepresentationError, match="never by hand"):
        Delegation("local", "section-b", 5000, 1, 5000)
