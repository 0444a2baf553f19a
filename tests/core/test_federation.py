"""The federation graph stays a DAG, and weights come from the roll alone."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from frombelow.core.errors import CycleError, DomainError, FederationError, UnknownBodyError
from frombelow.core.federation import (
    Body,
    Federation,
    Roll,
    WeightSnapshot,
    count_distinct_in_subtrees,
    weigh,
)
from frombelow.core.statutes import MemberCounting, Statute

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)


def union() -> Federation:
    """Two workplace sections in a local federation and an industrial federation, under a
    confederation; a neighbourhood assembly in the local federation only."""
    return Federation.of(
        [
            Body("section-a", "assembly"),
            Body("section-b", "assembly"),
            Body("neighbourhood", "assembly"),
            Body("local", "council"),
            Body("industrial", "council"),
            Body("confederation", "council"),
        ],
        [
            ("section-a", "local"),
            ("section-b", "local"),
            ("neighbourhood", "local"),
            ("section-a", "industrial"),
            ("section-b", "industrial"),
            ("local", "confederation"),
            ("industrial", "confederation"),
        ],
    )


def statutes(federation: Federation, counting: MemberCounting) -> dict[str, Statute]:
    return {
        body: Statute(member_counting=counting)
        for body in federation.order
        if federation.body(body).kind == "council"
    }


def test_member_bodies_come_before_their_councils_in_a_reproducible_order() -> None:
    federation = union()
    position = federation.index
    for member, council in federation.memberships:
        assert position[member] < position[council]
    assert federation.order == union().order
    assert federation.order[-1] == "confederation"


def test_the_graph_answers_who_is_above_and_below_whom() -> None:
    federation = union()
    assert federation.member_bodies("local") == ("neighbourhood", "section-a", "section-b")
    assert federation.councils_of("section-a") == ("industrial", "local")
    assert federation.ancestors("section-a") == {"local", "industrial", "confederation"}
    assert federation.ancestors("confederation") == frozenset()
    assert federation.descendants("industrial") == {"section-a", "section-b"}
    assert federation.assemblies_under("confederation") == {
        "section-a",
        "section-b",
        "neighbourhood",
    }
    assert federation.assemblies_under("neighbourhood") == {"neighbourhood"}
    assert federation.subtree("industrial") == {"industrial", "section-a", "section-b"}


def test_joining_a_council_below_oneself_is_refused_naming_the_cycle() -> None:
    federation = union().with_body(Body("district", "council")).join("confederation", "district")
    with pytest.raises(CycleError) as refused:
        federation.join("district", "local")
    assert refused.value.cycle == ("district", "local", "confederation", "district")
    assert "district -> local -> confederation -> district" in str(refused.value)


def test_a_graph_given_with_a_cycle_is_refused_naming_it() -> None:
    bodies = [Body(name, "council") for name in ("a", "b", "c")]
    with pytest.raises(CycleError, match="a -> b -> c -> a") as refused:
        Federation.of(bodies, [("a", "b"), ("b", "c"), ("c", "a")])
    assert refused.value.cycle == ("a", "b", "c", "a")
    with pytest.raises(CycleError, match="member body of itself"):
        Federation.of(bodies, [("a", "a")])


@pytest.mark.parametrize(
    ("membership", "error", "words"),
    [
        (("section-a", "neighbourhood"), FederationError, "only a council has member bodies"),
        (("section-a", "ministry"), UnknownBodyError, "no body 'ministry'"),
        (("ministry", "local"), UnknownBodyError, "no body 'ministry'"),
        (("section-a", "local"), FederationError, "already a member body of 'local'"),
    ],
)
def test_a_membership_that_cannot_be_is_refused(
    membership: tuple[str, str], error: type[DomainError], words: str
) -> None:
    with pytest.raises(error, match=words):
        union().join(*membership)


def test_a_body_leaves_a_council_by_its_own_act_alone() -> None:
    federation = union().leave("section-b", "industrial")
    assert federation.member_bodies("industrial") == ("section-a",)
    assert "industrial" not in federation.ancestors("section-b")
    with pytest.raises(FederationError, match="is not a member body"):
        federation.leave("section-b", "industrial")
    with pytest.raises(UnknownBodyError, match="no body 'nowhere'"):
        federation.leave("section-b", "nowhere")


def test_bodies_are_checked() -> None:
    with pytest.raises(FederationError, match="two bodies have the id 'a'"):
        Federation.of([Body("a", "assembly"), Body("a", "council")])
    with pytest.raises(FederationError, match="'assembly' or a 'council'"):
        Body("a", "ministry")  # type: ignore[arg-type]  # not a BodyKind, on purpose
    with pytest.raises(FederationError, match="non-empty id"):
        Body("", "assembly")
    with pytest.raises(FederationError, match="already has a body 'local'"):
        union().with_body(Body("local", "council"))
    with pytest.raises(UnknownBodyError, match="no body 'ministry'"):
        union().descendants("ministry")


def roll_of(pairs: list[tuple[int, str]]) -> Roll:
    return Roll.from_pairs(pairs, NOW)


# Member 1 is in both sections, 2 in section-a and the neighbourhood, 3..5 in one assembly each.
PAIRS = [
    (1, "section-a"),
    (1, "section-b"),
    (2, "section-a"),
    (2, "neighbourhood"),
    (3, "section-a"),
    (4, "section-b"),
    (5, "neighbourhood"),
]


def test_an_assembly_weighs_its_membership_and_a_council_its_member_bodies() -> None:
    federation = union()
    snapshot = weigh(federation, roll_of(PAIRS), statutes(federation, "per-path"))
    assert snapshot.weight("section-a") == 3
    assert snapshot.weight("section-b") == 2
    assert snapshot.weight("neighbourhood") == 2
    # Per path: member 1 counts in both sections, and so twice in each federation above them.
    assert snapshot.weight("local") == 7
    assert snapshot.weight("industrial") == 5
    assert snapshot.weight("confederation") == 12
    assert snapshot.members == 5
    assert snapshot.taken_at == NOW


def test_a_council_that_counts_members_once_counts_each_person_once() -> None:
    federation = union()
    snapshot = weigh(federation, roll_of(PAIRS), statutes(federation, "once"))
    assert snapshot.weight("local") == 5
    assert snapshot.weight("industrial") == 4  # members 1, 2, 3, 4
    assert snapshot.weight("confederation") == 5


def test_each_council_counts_as_its_own_statute_says() -> None:
    federation = union()
    mixed = statutes(federation, "once") | {"confederation": Statute(member_counting="per-path")}
    snapshot = weigh(federation, roll_of(PAIRS), mixed)
    assert snapshot.weight("confederation") == 5 + 4  # its member bodies' weights, summed


def test_nobody_can_type_a_weight_by_hand() -> None:
    with pytest.raises(FederationError, match="never typed by hand"):
        WeightSnapshot({"section-a": 1000}, NOW, 1000)
    snapshot = weigh(union(), roll_of(PAIRS), statutes(union(), "once"))
    with pytest.raises(TypeError):
        snapshot.weights["section-a"] = 1000  # type: ignore[index]  # a Mapping: on purpose
    with pytest.raises(AttributeError):
        snapshot.weights = {"section-a": 1000}  # type: ignore[misc]  # frozen: on purpose
    with pytest.raises(ValueError, match="read-only"):
        roll_of(PAIRS).members[0] = 99


def test_a_council_without_a_statute_is_not_weighed() -> None:
    federation = union()
    with pytest.raises(FederationError, match="council 'industrial' has no statute"):
        weigh(federation, roll_of(PAIRS), {"local": Statute(), "confederation": Statute()})
    snapshot = weigh(federation, roll_of(PAIRS), statutes(federation, "once"))
    with pytest.raises(UnknownBodyError, match="no body 'ghost'"):
        snapshot.weight("ghost")


def test_a_roll_refuses_a_member_listed_twice_in_one_assembly() -> None:
    with pytest.raises(FederationError, match="member 1 is on the roll of 'section-a' twice"):
        roll_of([(1, "section-a"), (2, "section-b"), (1, "section-a")])


def test_a_roll_must_say_when_it_was_taken_in_which_time_zone() -> None:
    with pytest.raises(FederationError, match="time zone"):
        Roll.from_pairs(PAIRS, datetime(2026, 3, 1, 12))


def test_a_roll_lists_members_of_assemblies_of_the_federation_only() -> None:
    federation = union()
    with pytest.raises(UnknownBodyError, match="'ghost-section'"):
        weigh(federation, roll_of([(1, "ghost-section")]), statutes(federation, "once"))
    with pytest.raises(FederationError, match="only an assembly has members"):
        weigh(federation, roll_of([(1, "local")]), statutes(federation, "once"))


def test_a_roll_refuses_malformed_arrays() -> None:
    with pytest.raises(FederationError, match="one assembly code per member row"):
        Roll(("a",), np.array([1, 2]), np.array([0]), NOW)
    with pytest.raises(FederationError, match="names no assembly"):
        Roll(("a",), np.array([1]), np.array([1]), NOW)
    with pytest.raises(FederationError, match="names an assembly twice"):
        Roll(("a", "a"), np.array([1]), np.array([0]), NOW)
    assert sorted(roll_of(PAIRS).pairs()) == sorted(PAIRS)


# Properties over random small federations: councils only take bodies made before them as
# members, so every generated graph is a DAG.


@dataclass(frozen=True)
class Case:
    federation: Federation
    pairs: list[tuple[int, str]]


@st.composite
def cases(draw: st.DrawFn) -> Case:
    n_assemblies = draw(st.integers(1, 5))
    n_councils = draw(st.integers(0, 5))
    names = [f"a{i}" for i in range(n_assemblies)] + [f"c{i}" for i in range(n_councils)]
    bodies = [Body(name, "assembly" if name[0] == "a" else "council") for name in names]
    memberships = set()
    for i in range(n_assemblies, len(names)):
        for j in draw(st.sets(st.integers(0, i - 1), max_size=4)):
            memberships.add((names[j], names[i]))
    pairs = draw(
        st.sets(st.tuples(st.integers(0, 12), st.sampled_from(names[:n_assemblies])), max_size=30)
    )
    return Case(Federation.of(bodies, memberships), sorted(pairs))


def members_under(case: Case, body: str) -> set[int]:
    assemblies = case.federation.assemblies_under(body)
    return {member for member, assembly in case.pairs if assembly in assemblies}


def naive_weights(case: Case, counting: Mapping[str, MemberCounting]) -> dict[str, int]:
    federation = case.federation
    weights: dict[str, int] = {}
    for body in federation.order:
        if federation.body(body).kind == "assembly":
            weights[body] = sum(1 for _, assembly in case.pairs if assembly == body)
        elif counting[body] == "once":
            weights[body] = len(members_under(case, body))
        else:
            weights[body] = sum(weights[m] for m in federation.member_bodies(body))
    return weights


@settings(max_examples=150, deadline=None)
@given(cases(), st.sampled_from(["per-path", "once"]))
def test_weights_are_what_counting_by_hand_gives(case: Case, counting: MemberCounting) -> None:
    snapshot = weigh(case.federation, roll_of(case.pairs), statutes(case.federation, counting))
    expected = naive_weights(case, dict.fromkeys(case.federation.order, counting))
    assert dict(snapshot.weights) == expected


@settings(max_examples=150, deadline=None)
@given(cases(), st.data())
def test_distinct_counts_per_category_are_the_sets_below_each_body(
    case: Case, data: st.DataObject
) -> None:
    roll = roll_of(case.pairs)
    # Each person a category, or -1 for those left out (those who did not vote).
    categories = np.array(
        data.draw(
            st.lists(st.integers(-1, 2), min_size=roll.people.size, max_size=roll.people.size)
        ),
        dtype=np.int64,
    )
    category = dict(zip(roll.people.tolist(), categories.tolist(), strict=True))
    counts = count_distinct_in_subtrees(case.federation, roll, categories, 3)
    for body, row in zip(case.federation.order, counts.tolist(), strict=True):
        under = members_under(case, body)
        assert row == [sum(1 for m in under if category[m] == k) for k in range(3)]


@settings(max_examples=150, deadline=None)
@given(cases(), st.integers(0, 13), st.data(), st.sampled_from(["per-path", "once"]))
def test_weights_never_fall_when_a_member_joins(
    case: Case, member: int, data: st.DataObject, counting: MemberCounting
) -> None:
    federation = case.federation
    assemblies = [b for b in federation.order if federation.body(b).kind == "assembly"]
    assembly = data.draw(st.sampled_from(assemblies))
    if (member, assembly) in case.pairs:
        return
    rules = statutes(federation, counting)
    before = weigh(federation, roll_of(case.pairs), rules)
    after = weigh(federation, roll_of([*case.pairs, (member, assembly)]), rules)
    for body in federation.order:
        assert after.weight(body) >= before.weight(body)
    for body in federation.ancestors(assembly) | {assembly}:
        assert after.weight(body) >= before.weight(body) + (0 if counting == "once" else 1)


@settings(max_examples=100, deadline=None)
@given(cases())
def test_counting_per_path_never_weighs_less_than_counting_once(case: Case) -> None:
    roll = roll_of(case.pairs)
    per_path = weigh(case.federation, roll, statutes(case.federation, "per-path"))
    once = weigh(case.federation, roll, statutes(case.federation, "once"))
    for body in case.federation.order:
        assert per_path.weight(body) >= once.weight(body)
