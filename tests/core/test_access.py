"""The access rules: who reads a body's internal items, who acts in it, who sees contact details."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from frombelow.core import access
from frombelow.core.access import ANONYMOUS, MEMBERSHIP_OFFICER, AccessError, Viewer
from frombelow.core.federation import Body, Federation

# Two assemblies under a council, a third assembly under another council, a federation of both.
GRAPH = Federation.of(
    [
        Body("docks", "assembly"),
        Body("rail", "assembly"),
        Body("mines", "assembly"),
        Body("ports", "council"),
        Body("pits", "council"),
        Body("federation", "council"),
    ],
    [
        ("docks", "ports"),
        ("rail", "ports"),
        ("mines", "pits"),
        ("ports", "federation"),
        ("pits", "federation"),
    ],
)
DOCKER = Viewer(member=1, assemblies=frozenset({"docks"}))


def test_a_member_reads_their_assembly_and_every_council_above_it_only() -> None:
    readable = {b for b in GRAPH.bodies if access.may_read(DOCKER, b, GRAPH)}
    assert readable == {"docks", "ports", "federation"}


def test_an_anonymous_visitor_reads_no_body() -> None:
    assert not any(access.may_read(ANONYMOUS, b, GRAPH) for b in GRAPH.bodies)
    with pytest.raises(AccessError, match="anonymous visitor may not read 'docks'"):
        access.require_read(ANONYMOUS, "docks", GRAPH)


def test_a_member_of_another_body_is_refused_with_a_reason() -> None:
    with pytest.raises(AccessError, match="member:1 may not read 'mines'"):
        access.require_read(DOCKER, "mines", GRAPH)
    with pytest.raises(AccessError, match="only its members may"):
        access.require_act(DOCKER, "rail", GRAPH)


def test_members_act_in_their_assembly_and_delegates_in_their_council() -> None:
    delegate = Viewer(
        member=2, assemblies=frozenset({"docks"}), delegations=frozenset({("docks", "ports")})
    )
    assert access.may_act(DOCKER, "docks", GRAPH)
    assert not access.may_act(DOCKER, "ports", GRAPH)
    assert access.may_act(delegate, "ports", GRAPH)
    assert not access.may_act(delegate, "federation", GRAPH)
    with pytest.raises(AccessError, match="only its delegates may"):
        access.require_act(DOCKER, "ports", GRAPH)


def test_a_delegate_reads_the_council_they_sit_in_even_off_its_rolls() -> None:
    # A council's delegate sent by a council sits for it, whatever assembly they are on.
    delegate = Viewer(member=3, delegations=frozenset({("pits", "federation")}))
    assert access.may_read(delegate, "federation", GRAPH)
    assert not access.may_read(delegate, "pits", GRAPH)


def test_a_suspended_member_reads_but_does_not_act() -> None:
    suspended = Viewer(member=4, assemblies=frozenset({"docks"}), suspended=frozenset({"docks"}))
    assert access.may_read(suspended, "docks", GRAPH)
    assert not access.may_act(suspended, "docks", GRAPH)
    with pytest.raises(AccessError, match="suspended in 'docks'"):
        access.require_act(suspended, "docks", GRAPH)


def test_contact_details_are_for_the_member_and_their_assemblies_membership_officers() -> None:
    officer = Viewer(
        member=5,
        assemblies=frozenset({"docks"}),
        offices=frozenset({("docks", MEMBERSHIP_OFFICER)}),
    )
    secretary = Viewer(
        member=6, assemblies=frozenset({"docks"}), offices=frozenset({("docks", "secretary")})
    )
    assert access.may_see_contact(officer, 1, {"docks"})
    assert not access.may_see_contact(officer, 7, {"rail"})
    assert not access.may_see_contact(secretary, 1, {"docks"})
    assert not access.may_see_contact(DOCKER, 8, {"docks"})
    assert access.may_see_contact(DOCKER, 1, set())
    assert not access.may_see_contact(ANONYMOUS, 1, {"docks"})


@settings(max_examples=150, deadline=None)
@given(
    assemblies=st.sets(st.sampled_from(["docks", "rail", "mines"])),
    body=st.sampled_from(sorted(GRAPH.bodies)),
)
def test_reading_a_body_is_being_on_the_roll_of_an_assembly_in_its_subtree(
    assemblies: set[str], body: str
) -> None:
    viewer = Viewer(member=9, assemblies=frozenset(assemblies))
    below = GRAPH.subtree(body)
    assert access.may_read(viewer, body, GRAPH) == bool(assemblies & below)
    # Whoever reads a body reads every council above it.
    if access.may_read(viewer, body, GRAPH):
        assert all(access.may_read(viewer, c, GRAPH) for c in GRAPH.ancestors(body))


def test_reading_as_ones_own_is_the_roll_or_the_delegation() -> None:
    assert access.reads_as_its_own(DOCKER, "docks")
    assert not access.reads_as_its_own(DOCKER, "ports")  # read through the graph instead
    delegate = Viewer(member=2, delegations=frozenset({("docks", "ports")}))
    assert access.reads_as_its_own(delegate, "ports")


@given(
    st.frozensets(st.sampled_from(["docks", "rail", "mines"])),
    st.frozensets(st.sampled_from(["ports", "pits", "federation"])),
    st.sampled_from(sorted(GRAPH.bodies)),
)
def test_whoever_reads_a_body_as_their_own_may_read_it(
    assemblies: frozenset[str], councils: frozenset[str], body: str
) -> None:
    viewer = Viewer(
        member=3, assemblies=assemblies, delegations=frozenset(("x", c) for c in councils)
    )
    # The shortcut the services take before building the graph never lets in someone it refuses.
    if access.reads_as_its_own(viewer, body):
        assert access.may_read(viewer, body, GRAPH)
