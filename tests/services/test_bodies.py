"""Founding bodies, admitting members by the body's decision or its elected officer, leaving."""

from __future__ import annotations

from fractions import Fraction

import pytest

from frombelow.core.errors import FederationError, StandingError, StatuteError
from frombelow.core.statutes import Statute
from frombelow.db.mapping import read_statute, statute_json
from frombelow.db.models import Membership, Motion, RecordEntry, StatuteVersion
from frombelow.services import bodies, deciding, motions
from frombelow.services.queries.bodies import body_named, is_member, statute_of
from frombelow.services.standing import MEMBERSHIP_OFFICER
from tests.services.world import (
    Clock,
    all_yes,
    assembly,
    decide,
    elect_one,
    open_at_once,
    people,
    person,
)

pytestmark = pytest.mark.django_db


def test_founders_found_an_assembly_under_its_first_statute(clock: Clock) -> None:
    founders = people("Docker", 3)
    statute = Statute(quorum=Fraction(1, 3), rotation_limit=2)
    body = assembly("docks", founders, statute)
    assert body_named("docks") == body
    assert statute_of(body) == statute
    assert StatuteVersion.objects.get(body=body).number == 1
    assert all(is_member(m, body, clock.now) for m in founders)
    entry = RecordEntry.objects.get(action="body.founded")
    assert entry.body == body
    assert entry.data["founders"] == [f"member:{m.pk}" for m in founders]
    assert read_statute(entry.data["statute"]) == statute


def test_only_a_founder_founds_and_slugs_are_unique(clock: Clock) -> None:
    founders = people("Docker", 2)
    outsider = person("Outsider")
    with pytest.raises(StandingError, match="among its founders"):
        bodies.found_assembly(
            actor=outsider, name="X", slug="x", founders=founders, statute=Statute()
        )
    assembly("docks", founders)
    with pytest.raises(FederationError, match="already a body 'docks'"):
        assembly("docks", founders)


def test_an_unknown_body_is_a_clear_domain_error() -> None:
    from frombelow.core.errors import UnknownBodyError

    with pytest.raises(UnknownBodyError, match="no body 'atlantis'"):
        body_named("atlantis")


def test_an_assembly_admits_a_member_by_its_own_decision(clock: Clock) -> None:
    founders = people("Docker", 3)
    body = assembly("docks", founders)
    newcomer = person("Newcomer")
    decision = decide(
        clock,
        body,
        founders[0],
        all_yes(founders),
        title="Admit the newcomer",
        kind=Motion.Kind.ADMIT_MEMBER,
        member=newcomer,
    )
    assert decision.outcome == "carried"
    assert is_member(newcomer, body, clock.now)
    entry = RecordEntry.objects.get(action="member.admitted")
    assert entry.data == {"by": "decision", "decision": decision.pk}


def test_a_lost_admission_admits_no_one(clock: Clock) -> None:
    founders = people("Docker", 3)
    body = assembly("docks", founders)
    newcomer = person("Newcomer")
    ballots = {founders[0]: "yes", founders[1]: "no", founders[2]: "no"}
    decision = decide(
        clock, body, founders[0], ballots, kind=Motion.Kind.ADMIT_MEMBER, member=newcomer
    )
    assert decision.outcome == "lost"
    assert not is_member(newcomer, body, clock.now)


def test_the_elected_membership_officer_admits_where_the_statute_allows(clock: Clock) -> None:
    founders = people("Docker", 3)
    body = assembly("docks", founders, Statute(officer_admits_members=True))
    elect_one(clock, body, MEMBERSHIP_OFFICER, founders[1], founders)
    newcomer = person("Newcomer")
    with pytest.raises(StandingError, match="only the membership officer"):
        bodies.admit_member(actor=founders[0], assembly=body, member=newcomer)
    bodies.admit_member(actor=founders[1], assembly=body, member=newcomer)
    assert is_member(newcomer, body, clock.now)
    with pytest.raises(FederationError, match="already a member"):
        bodies.admit_member(actor=founders[1], assembly=body, member=newcomer)


def test_an_officer_cannot_admit_where_the_body_kept_admission_to_itself(clock: Clock) -> None:
    founders = people("Docker", 3)
    body = assembly("docks", founders)  # officer_admits_members is False by default
    elect_one(clock, body, MEMBERSHIP_OFFICER, founders[1], founders)
    with pytest.raises(StandingError, match="does not let its membership officer admit"):
        bodies.admit_member(actor=founders[1], assembly=body, member=person("Newcomer"))


def test_a_member_leaves_by_their_own_act_and_their_terms_end(clock: Clock) -> None:
    founders = people("Docker", 4)
    body = assembly("docks", founders)
    term = elect_one(clock, body, "secretary", founders[1], founders)
    left = bodies.leave_assembly(actor=founders[1], assembly=body)
    assert left.left_at == clock.now
    assert not is_member(founders[1], body, clock.now)
    assert term.cut_short.reason == "resignation"
    entry = RecordEntry.objects.filter(action="member.left").get()
    assert entry.data == {"terms_ended": [term.pk]}
    with pytest.raises(FederationError, match="not a member"):
        bodies.leave_assembly(actor=founders[1], assembly=body)


def test_no_one_removes_another_member_by_leaving_for_them() -> None:
    # `leave_assembly` takes no member argument: leaving is always the actor's own act.
    import inspect

    assert set(inspect.signature(bodies.leave_assembly).parameters) == {"actor", "assembly"}


def test_a_statute_is_amended_only_by_the_bodys_decision(clock: Clock) -> None:
    founders = people("Docker", 3)
    body = assembly("docks", founders)
    amended = Statute(quorum=Fraction(1, 2), motion_supporters=1)
    decision = decide(
        clock,
        body,
        founders[0],
        all_yes(founders),
        kind=Motion.Kind.AMEND_STATUTE,
        details={"statute": statute_json(amended)},
    )
    assert statute_of(body) == amended
    version = StatuteVersion.objects.get(body=body, number=2)
    assert version.decision == decision
    entry = RecordEntry.objects.get(action="statute.amended")
    # The founding statute's quorum is the core default: a tenth of the electorate.
    assert entry.data["changes"]["quorum"] == {"before": "1/10", "after": "1/2"}


def test_an_unreadable_statute_is_refused_when_proposed(clock: Clock) -> None:
    founders = people("Docker", 2)
    body = assembly("docks", founders)
    with pytest.raises(StatuteError, match="quorum"):
        motions.propose_motion(
            actor=founders[0],
            body=body,
            title="Break the quorum",
            text="",
            kind=Motion.Kind.AMEND_STATUTE,
            details={"statute": {**statute_json(Statute()), "quorum": "3/2"}},
        )
    assert not Motion.objects.exists()


def test_memberships_are_history(clock: Clock) -> None:
    founders = people("Docker", 2)
    body = assembly("docks", founders)
    bodies.leave_assembly(actor=founders[0], assembly=body)
    assert Membership.objects.filter(assembly=body).count() == 2  # the row stays, with left_at


def test_a_decision_whose_effect_the_world_overtook_still_stands(clock: Clock) -> None:
    from datetime import timedelta

    from frombelow.services import votes
    from tests.services.world import propose

    founders = people("Docker", 3)
    body = assembly("docks", founders, Statute(officer_admits_members=True))
    elect_one(clock, body, MEMBERSHIP_OFFICER, founders[1], founders)
    newcomer = person("Newcomer")
    motion = propose(body, founders[0], kind=Motion.Kind.ADMIT_MEMBER, member=newcomer)
    vote = open_at_once(motion, closes_at=clock.now + timedelta(days=3))
    for m in founders:
        votes.cast_ballot(actor=m, vote=vote, ranking=[["yes"]])
    bodies.admit_member(actor=founders[1], assembly=body, member=newcomer)  # meanwhile
    clock.advance(days=3)
    decision = deciding.close_vote(actor="system", vote=vote)
    assert decision.outcome == "carried"
    entry = RecordEntry.objects.get(action="decision.not_applied")
    assert "already a member" in entry.data["because"]
    assert Membership.objects.filter(member=newcomer, assembly=body).count() == 1
