"""Every member votes once; results roll up the graph; a double majority needs the member bodies."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from frombelow.core.errors import ReferendumError
from frombelow.core.federation import Body, Federation, Roll
from frombelow.core.referendum import (
    ReferendumBallots,
    decide_referendum,
    roll_up,
)
from frombelow.core.statutes import Statute

NOW = datetime(2026, 9, 1, tzinfo=UTC)


def union() -> Federation:
    """Sections a and b in both the local and the industrial federation, the neighbourhood in the
    local one only, and a section c in the industrial one only; both under a confederation."""
    return Federation.of(
        [Body(name, "assembly") for name in ("a", "b", "c", "neighbourhood")]
        + [Body(name, "council") for name in ("local", "industrial", "confederation")],
        [
            ("a", "local"),
            ("b", "local"),
            ("neighbourhood", "local"),
            ("a", "industrial"),
            ("b", "industrial"),
            ("c", "industrial"),
            ("local", "confederation"),
            ("industrial", "confederation"),
        ],
    )


# Member 1 is in a and in the neighbourhood: one ballot, counted once in the local federation.
ROLL = Roll.from_pairs(
    [
        (1, "a"),
        (1, "neighbourhood"),
        (2, "a"),
        (3, "b"),
        (4, "b"),
        (5, "c"),
        (6, "c"),
        (7, "neighbourhood"),
    ],
    NOW,
)
BALLOTS = ReferendumBallots.from_pairs(
    [(1, "yes"), (2, "yes"), (3, "no"), (4, "abstain"), (5, "no"), (6, "no")]
)


def test_each_body_sees_its_own_result_and_its_subtrees() -> None:
    rollup = roll_up(union(), "confederation", ROLL, BALLOTS)
    assert dict(rollup.result("a")) == {"yes": 2, "no": 0, "abstain": 0}
    assert dict(rollup.result("neighbourhood")) == {"yes": 1, "no": 0, "abstain": 0}
    assert dict(rollup.result("local")) == {"yes": 2, "no": 1, "abstain": 1}  # member 1 once
    assert dict(rollup.result("industrial")) == {"yes": 2, "no": 3, "abstain": 1}
    assert dict(rollup.total) == {"yes": 2, "no": 3, "abstain": 1}
    assert rollup.voters("confederation") == 6
    assert rollup.electorate("confederation") == 7
    assert rollup.electorate("neighbourhood") == 2
    assert rollup.bodies[-1] == "confederation"


def test_a_referendum_of_a_council_counts_only_its_subtree() -> None:
    rollup = roll_up(union(), "local", ROLL, ReferendumBallots.from_pairs([(1, "yes"), (3, "no")]))
    assert dict(rollup.total) == {"yes": 1, "no": 1, "abstain": 0}
    assert rollup.electorate("local") == 5
    with pytest.raises(ReferendumError, match="'c' is not under 'local'"):
        rollup.result("c")
    with pytest.raises(ReferendumError, match="member 5 belongs to no assembly under 'local'"):
        roll_up(union(), "local", ROLL, ReferendumBallots.from_pairs([(5, "yes")]))


def test_a_member_votes_once_however_many_assemblies_they_belong_to() -> None:
    with pytest.raises(ReferendumError, match="member 1 voted twice"):
        ReferendumBallots.from_pairs([(1, "yes"), (2, "no"), (1, "no")])


def test_a_stranger_to_the_roll_cannot_vote() -> None:
    with pytest.raises(ReferendumError, match="member 99 belongs to no assembly"):
        roll_up(union(), "confederation", ROLL, ReferendumBallots.from_pairs([(99, "yes")]))
    with pytest.raises(ReferendumError, match="chose 'perhaps', not an option"):
        ReferendumBallots.from_pairs([(1, "perhaps")])
    with pytest.raises(ReferendumError, match="called by a council"):
        roll_up(union(), "a", ROLL, BALLOTS)


def test_the_members_majority_decides_without_a_double_majority() -> None:
    rollup = roll_up(union(), "confederation", ROLL, BALLOTS)
    decided = decide_referendum(union(), rollup, Statute())
    assert decided.outcome == "lost"  # 2 yes to 3 no
    flipped = ReferendumBallots.from_pairs(
        [(1, "yes"), (2, "yes"), (3, "yes"), (4, "abstain"), (5, "no"), (6, "no")]
    )
    decided = decide_referendum(
        union(), roll_up(union(), "confederation", ROLL, flipped), Statute()
    )
    # 3 yes to 2 no overall; the local federation 2 to 0 and the industrial one 3 to 2.
    assert (decided.outcome, decided.bodies_for) == ("carried", ("industrial", "local"))


def test_a_double_majority_also_needs_most_member_bodies() -> None:
    # Members: 3 yes to 2 no, carried; member bodies: the local federation (3 yes to none) and
    # the industrial one (3 yes to 2 no) are both for.
    ballots = ReferendumBallots.from_pairs(
        [(1, "yes"), (2, "yes"), (3, "yes"), (5, "no"), (6, "no")]
    )
    statute = Statute(double_majority=True)
    carried = decide_referendum(union(), roll_up(union(), "confederation", ROLL, ballots), statute)
    assert (carried.outcome, carried.bodies_for) == ("carried", ("industrial", "local"))
    # Members: 4 yes to 3 no, carried; the local federation is for (4 to 1), but the industrial
    # one ties (3 to 3), so it is not for: one of two member bodies is not more than half.
    ballots = ReferendumBallots.from_pairs(
        [(1, "yes"), (7, "yes"), (2, "no"), (5, "no"), (6, "no"), (3, "yes"), (4, "yes")]
    )
    lost = decide_referendum(union(), roll_up(union(), "confederation", ROLL, ballots), statute)
    assert lost.members.outcome == "carried"
    assert (lost.outcome, lost.bodies_for) == ("lost", ("local",))
    assert "member bodies for: 1 of 2, not a majority of member bodies" in lost.note


def test_a_referendum_below_its_quorum_is_inquorate() -> None:
    few = ReferendumBallots.from_pairs([(1, "yes")])
    decided = decide_referendum(
        union(), roll_up(union(), "confederation", ROLL, few), Statute(quorum=Fraction(1, 2))
    )
    assert decided.outcome == "inquorate"


# Property: on random federations and rolls, the calling council's total is the number of
# distinct voters, and each body's is the number of distinct voters in its subtree.


@dataclass(frozen=True)
class Case:
    federation: Federation
    pairs: list[tuple[int, str]]
    votes: dict[int, str]


@st.composite
def cases(draw: st.DrawFn) -> Case:
    n_assemblies = draw(st.integers(1, 5))
    n_councils = draw(st.integers(1, 4))
    names = [f"a{i}" for i in range(n_assemblies)] + [f"c{i}" for i in range(n_councils)]
    memberships = set()
    for i in range(n_assemblies, len(names)):
        for j in draw(st.sets(st.integers(0, i - 1), min_size=1, max_size=4)):
            memberships.add((names[j], names[i]))
    # The last council takes every body no council has, so that it is the federation's top.
    top = names[-1]
    above = {m for m, _ in memberships}
    for name in names[:-1]:
        if name not in above:
            memberships.add((name, top))
    bodies = [Body(n, "assembly" if n[0] == "a" else "council") for n in names]
    pairs = sorted(
        draw(st.sets(st.tuples(st.integers(0, 15), st.sampled_from(names[:n_assemblies]))))
    )
    people = sorted({m for m, _ in pairs})
    votes = draw(
        st.dictionaries(st.sampled_from(people), st.sampled_from(["yes", "no", "abstain"]))
        if people
        else st.just({})
    )
    return Case(Federation.of(bodies, memberships), pairs, votes)


@settings(max_examples=150, deadline=None)
@given(cases())
def test_the_federations_total_is_the_number_of_distinct_voters(case: Case) -> None:
    federation = case.federation
    top = federation.order[-1]
    rollup = roll_up(
        federation,
        top,
        Roll.from_pairs(case.pairs, NOW),
        ReferendumBallots.from_pairs(case.votes.items()),
    )
    assert sum(rollup.total.values()) == len(case.votes)
    for body in rollup.bodies:
        assemblies = federation.assemblies_under(body)
        under = {m for m, a in case.pairs if a in assemblies}
        expected = {o: sum(1 for m in under if case.votes.get(m) == o) for o in rollup.options}
        assert dict(rollup.result(body)) == expected
        assert rollup.electorate(body) == len(under)


@settings(max_examples=150, deadline=None)
@given(cases(), st.data())
def test_a_councils_referendum_counts_its_own_subtree_once_per_voter(
    case: Case, data: st.DataObject
) -> None:
    federation = case.federation
    councils = [b for b in federation.order if federation.body(b).kind == "council"]
    council = data.draw(st.sampled_from(councils))
    under = federation.assemblies_under(council)
    entitled = {m for m, a in case.pairs if a in under}
    votes = {m: o for m, o in case.votes.items() if m in entitled}
    roll = Roll.from_pairs(case.pairs, NOW)
    rollup = roll_up(federation, council, roll, ReferendumBallots.from_pairs(votes.items()))
    assert set(rollup.bodies) == federation.subtree(council)
    assert sum(rollup.total.values()) == len(votes)
    assert rollup.electorate(council) == len(entitled)
    outsiders = sorted({m for m, _ in case.pairs} - entitled)
    if outsiders:
        with pytest.raises(ReferendumError, match=f"member {outsiders[0]} belongs to no"):
            roll_up(
                federation, council, roll, ReferendumBallots.from_pairs([(outsiders[0], "yes")])
            )


def test_ballots_are_arrays_that_cannot_be_rewritten() -> None:
    with pytest.raises(ValueError, match="read-only"):
        BALLOTS.choices[0] = 1
    with pytest.raises(ReferendumError, match="one choice per voter"):
        ReferendumBallots(np.array([1, 2]), np.array([0]))
