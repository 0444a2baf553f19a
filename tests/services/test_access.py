"""Where a member stands, read from the database, and the access rules applied to it."""

from __future__ import annotations

from typing import Any

import pytest

from frombelow.core.access import AccessError
from frombelow.services import access
from frombelow.services.standing import MEMBERSHIP_OFFICER
from tests.services.world import Clock, assembly, elect_one, federation, people

pytestmark = pytest.mark.django_db


def test_a_members_standing_reads_rolls_delegate_seats_and_offices(clock: Clock) -> None:
    fed = federation(clock)
    docks = fed.assemblies["docks"]
    officer = elect_one(
        clock, docks, MEMBERSHIP_OFFICER, fed.members["docks"][1], fed.members["docks"]
    ).holder
    viewer = access.viewer_at(fed.delegates["docks"], clock.now)
    assert viewer.assemblies == {"docks"}
    assert viewer.delegations == {("docks", "federation")}
    assert access.viewer_at(officer, clock.now).offices == {("docks", MEMBERSHIP_OFFICER)}
    assert access.viewer_at(None, clock.now).is_anonymous


def test_members_read_their_bodies_and_are_refused_others(clock: Clock) -> None:
    fed = federation(clock)
    outsiders = people("Miner", 2)
    mines = assembly("mines", outsiders)
    docker = access.viewer_at(fed.members["docks"][2], clock.now)
    assert {b.slug for b in access.readable_bodies(docker, clock.now)} == {"docks", "federation"}
    access.require_read(docker, fed.council, clock.now)
    with pytest.raises(AccessError, match="may not read 'mines'"):
        access.require_read(docker, mines, clock.now)
    with pytest.raises(AccessError, match="only its delegates may"):
        access.require_act(docker, fed.council, clock.now)
    access.require_act(access.viewer_at(fed.delegates["rail"], clock.now), fed.council, clock.now)


def test_only_the_elected_membership_officer_sees_contact_details(clock: Clock) -> None:
    fed = federation(clock)
    docks = fed.assemblies["docks"]
    members = fed.members["docks"]
    officer = elect_one(clock, docks, MEMBERSHIP_OFFICER, members[1], members).holder
    assert access.may_see_contact(access.viewer_at(officer, clock.now), members[2], clock.now)
    assert not access.may_see_contact(
        access.viewer_at(officer, clock.now), fed.members["rail"][1], clock.now
    )
    assert not access.may_see_contact(
        access.viewer_at(members[0], clock.now), members[2], clock.now
    )
    assert access.may_see_contact(access.viewer_at(members[2], clock.now), members[2], clock.now)


def test_a_member_reads_their_own_assembly_without_reading_the_federation(
    clock: Clock, django_assert_num_queries: Any
) -> None:
    fed = federation(clock)
    docks = fed.assemblies["docks"]
    docker = access.viewer_at(fed.members["docks"][2], clock.now)
    delegate = access.viewer_at(fed.delegates["docks"], clock.now)
    with django_assert_num_queries(0):
        access.require_read(docker, docks, clock.now)
        assert access.may_read(docker, docks, clock.now)
        access.require_read(delegate, fed.council, clock.now)
    # Reading a body above one's own still asks the federation, and still may.
    with django_assert_num_queries(2):
        assert access.may_read(docker, fed.council, clock.now)
