"""A person applies to join an assembly; the assembly admits or refuses by its vote, or its
elected membership officer admits; the applicant withdraws; a member leaves; one person in many."""

from __future__ import annotations

import pytest

from frombelow.core.errors import DecisionError, FederationError, StandingError
from frombelow.core.statutes import Statute
from frombelow.db.models import Membership, MembershipApplication, Motion, RecordEntry
from frombelow.services import bodies, joining
from frombelow.services.bodies import Admission
from frombelow.services.queries.bodies import is_member
from frombelow.services.standing import MEMBERSHIP_OFFICER
from tests.services.world import (
    Clock,
    all_yes,
    assembly,
    decide,
    elect_one,
    federation,
    people,
    person,
)

pytestmark = pytest.mark.django_db


def test_an_application_is_stated_and_recorded(clock: Clock) -> None:
    body = assembly("docks", people("Docker", 3))
    eva = person("Eva Luna")
    application = joining.apply_to_join(actor=eva, assembly=body, statement="  I load ships. ")
    assert application.statement == "I load ships."
    assert application.closed_at is None
    entry = RecordEntry.objects.get(action="member.applied")
    assert entry.actor == f"member:{eva.pk}"
    assert entry.data == {"application": application.pk, "statement": "I load ships."}
    assert not is_member(eva, body, clock.now)


def test_the_assembly_admits_by_its_vote_and_the_application_is_answered(clock: Clock) -> None:
    crew = people("Docker", 3)
    body = assembly("docks", crew)
    eva = person("Eva Luna")
    application = joining.apply_to_join(actor=eva, assembly=body)
    decision = decide(
        clock, body, crew[0], all_yes(crew), kind=Motion.Kind.ADMIT_MEMBER, member=eva
    )
    application.refresh_from_db()
    assert is_member(eva, body, clock.now)
    assert (application.outcome, application.decision) == ("admitted", decision)
    assert application.closed_at == clock.now


def test_a_lost_vote_refuses_the_application_and_says_so_in_the_record(clock: Clock) -> None:
    crew = people("Docker", 3)
    body = assembly("docks", crew)
    eva = person("Eva Luna")
    application = joining.apply_to_join(actor=eva, assembly=body)
    ballots = {crew[0]: "no", crew[1]: "no", crew[2]: "yes"}
    decision = decide(clock, body, crew[0], ballots, kind=Motion.Kind.ADMIT_MEMBER, member=eva)
    application.refresh_from_db()
    assert not is_member(eva, body, clock.now)
    assert (application.outcome, application.decision) == ("refused", decision)
    entry = RecordEntry.objects.get(action="application.refused")
    assert entry.data == {"application": application.pk, "decision": decision.pk}
    # Refused, they may apply again: the assembly may think again.
    joining.apply_to_join(actor=eva, assembly=body, statement="Again")


def test_one_admission_motion_at_a_time(clock: Clock) -> None:
    crew = people("Docker", 3)
    body = assembly("docks", crew)
    eva = person("Eva Luna")
    joining.apply_to_join(actor=eva, assembly=body)
    from tests.services.world import propose

    propose(body, crew[0], kind=Motion.Kind.ADMIT_MEMBER, member=eva)
    with pytest.raises(DecisionError, match="a motion to admit Eva Luna is before 'docks'"):
        propose(body, crew[1], kind=Motion.Kind.ADMIT_MEMBER, member=eva)


def test_the_elected_officer_admits_applicants_one_or_many(clock: Clock) -> None:
    crew = people("Docker", 3)
    body = assembly("docks", crew, Statute(officer_admits_members=True))
    officer = elect_one(clock, body, MEMBERSHIP_OFFICER, crew[1], crew).holder
    eva, fran, gil = person("Eva"), person("Fran"), person("Gil")
    for applicant in (eva, fran, gil):
        joining.apply_to_join(actor=applicant, assembly=body)
    bodies.admit_member(actor=officer, assembly=body, member=eva)
    bodies.admit_members(actor=officer, assembly=body, admissions=[Admission(fran), Admission(gil)])
    assert all(is_member(m, body, clock.now) for m in (eva, fran, gil))
    assert set(MembershipApplication.objects.values_list("outcome", flat=True)) == {"admitted"}


def test_an_applicant_withdraws_their_own_application_only_while_open(clock: Clock) -> None:
    crew = people("Docker", 3)
    body = assembly("docks", crew)
    eva = person("Eva Luna")
    application = joining.apply_to_join(actor=eva, assembly=body)
    before = RecordEntry.objects.count()
    with pytest.raises(StandingError, match="the applicant's own act"):
        joining.withdraw_application(actor=crew[0], application=application)
    assert RecordEntry.objects.count() == before
    joining.withdraw_application(actor=eva, application=application)
    application.refresh_from_db()
    assert application.outcome == "withdrawn"
    with pytest.raises(DecisionError, match="answered already: withdrawn"):
        joining.withdraw_application(actor=eva, application=application)


@pytest.mark.parametrize("who", ["member", "twice", "council"])
def test_an_application_that_cannot_be_is_refused_and_nothing_is_stored(
    clock: Clock, who: str
) -> None:
    fed = federation(clock)
    body = fed.assemblies["docks"]
    eva = person("Eva Luna")
    if who == "twice":
        joining.apply_to_join(actor=eva, assembly=body)
    applicant, target, words = {
        "member": (fed.members["docks"][0], body, "already a member"),
        "twice": (eva, body, "applied to join 'docks' already"),
        "council": (eva, fed.council, "is a council"),
    }[who]
    before = RecordEntry.objects.count(), MembershipApplication.objects.count()
    with pytest.raises((DecisionError, FederationError), match=words):
        joining.apply_to_join(actor=applicant, assembly=target)
    assert (RecordEntry.objects.count(), MembershipApplication.objects.count()) == before


def test_one_person_belongs_to_several_assemblies_and_leaves_one_by_their_own_act(
    clock: Clock,
) -> None:
    eva = person("Eva Luna")
    docks = assembly("docks", [eva, *people("Docker", 2)])
    hood = assembly("hood", [eva, *people("Neighbour", 2)])
    bodies.leave_assembly(actor=eva, assembly=docks)
    assert not is_member(eva, docks, clock.now)
    assert is_member(eva, hood, clock.now)
    assert Membership.objects.filter(member=eva).count() == 2  # the history stays
