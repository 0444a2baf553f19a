"""Registering and admitting many in one act: every one, one record entry each, or none."""

from __future__ import annotations

import pytest

from frombelow.core.errors import FederationError, StandingError
from frombelow.core.statutes import Statute
from frombelow.db.models import Body, Member, Membership, RecordEntry
from frombelow.services import bodies
from frombelow.services.bodies import Admission
from frombelow.services.queries.bodies import is_member
from frombelow.services.standing import MEMBERSHIP_OFFICER
from tests.services.world import Clock, assembly, elect_one, people

pytestmark = pytest.mark.django_db


def _with_officer(clock: Clock, statute: Statute | None = None) -> tuple[list[Member], Body]:
    founders = people("Docker", 3)
    body = assembly("docks", founders, statute or Statute(officer_admits_members=True))
    elect_one(clock, body, MEMBERSHIP_OFFICER, founders[1], founders)
    return founders, body


def test_many_are_registered_in_one_act_with_an_entry_each_in_their_order() -> None:
    before = RecordEntry.objects.count()
    made = bodies.register_members(actor="system", names=["Ada Berg", " Omar Xu ", "Uma Rossi"])
    assert [m.name for m in made] == ["Ada Berg", "Omar Xu", "Uma Rossi"]
    entries = list(RecordEntry.objects.filter(seq__gte=before).order_by("seq"))
    assert [e.action for e in entries] == ["member.registered"] * 3
    assert [e.subject for e in entries] == [f"member:{m.pk}" for m in made]
    assert [e.seq for e in entries] == [before, before + 1, before + 2]


def test_a_nameless_person_among_many_is_named_by_place_and_no_one_is_registered() -> None:
    members, entries = Member.objects.count(), RecordEntry.objects.count()
    with pytest.raises(StandingError, match=r"a member needs a name \(person 2 of 3\)"):
        bodies.register_members(actor="system", names=["Ada Berg", "  ", "Uma Rossi"])
    assert (Member.objects.count(), RecordEntry.objects.count()) == (members, entries)


def test_the_officer_admits_a_roll_in_one_act_one_entry_per_admission(clock: Clock) -> None:
    founders, body = _with_officer(clock)
    newcomers = bodies.register_members(actor="system", names=["Ada", "Omar", "Uma"])
    before = RecordEntry.objects.count()
    admitted = bodies.admit_members(
        actor=founders[1],
        assembly=body,
        admissions=[Admission(newcomers[0], "D-17"), *map(Admission, newcomers[1:])],
    )
    assert [m.member for m in admitted] == newcomers
    assert all(is_member(m, body, clock.now) for m in newcomers)
    assert Membership.objects.get(member=newcomers[0]).member_number == "D-17"
    entries = list(RecordEntry.objects.filter(seq__gte=before).order_by("seq"))
    assert [(e.action, e.subject, e.body) for e in entries] == [
        ("member.admitted", f"member:{m.pk}", body) for m in newcomers
    ]
    assert all(e.data == {"by": "membership officer", "decision": None} for e in entries)
    assert [e.actor for e in entries] == [f"member:{founders[1].pk}"] * 3


@pytest.mark.parametrize("trouble", ["already a member", "named twice"])
def test_one_bad_admission_names_the_member_and_admits_no_one(clock: Clock, trouble: str) -> None:
    founders, body = _with_officer(clock)
    newcomers = bodies.register_members(actor="system", names=["Ada", "Omar"])
    bad = founders[2] if trouble == "already a member" else newcomers[0]
    roll = [Admission(newcomers[0]), Admission(bad), Admission(newcomers[1])]
    memberships, entries = Membership.objects.count(), RecordEntry.objects.count()
    with pytest.raises(FederationError, match=f"{bad.name}.* {trouble}"):
        bodies.admit_members(actor=founders[1], assembly=body, admissions=roll)
    assert (Membership.objects.count(), RecordEntry.objects.count()) == (memberships, entries)


def test_only_the_officer_admits_a_roll_and_only_where_the_statute_lets_them(
    clock: Clock,
) -> None:
    founders, body = _with_officer(clock)
    newcomer = bodies.register_members(actor="system", names=["Ada"])
    with pytest.raises(StandingError, match="only the membership officer"):
        bodies.admit_members(
            actor=founders[0],
            assembly=body,
            admissions=[Admission(newcomer[0])],
        )
    with pytest.raises(FederationError, match="no one to admit"):
        bodies.admit_members(actor=founders[1], assembly=body, admissions=[])
    assert not Membership.objects.filter(member=newcomer[0]).exists()


def test_where_the_assembly_admits_by_its_own_decision_the_officer_admits_no_roll(
    clock: Clock,
) -> None:
    founders, body = _with_officer(clock, Statute())
    newcomer = bodies.register_members(actor="system", names=["Ada"])
    with pytest.raises(StandingError, match="does not let its membership officer admit"):
        bodies.admit_members(
            actor=founders[1],
            assembly=body,
            admissions=[Admission(newcomer[0])],
        )
