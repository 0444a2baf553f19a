"""Free association: founding a council, joining (the body's decision and the council's), leaving
(the body's decision alone), expulsion (a charge, the reply, the council's decision), no cycles."""

from __future__ import annotations

import pytest

from frombelow.core.errors import CycleError, DueProcessError, FederationError, StandingError
from frombelow.core.statutes import Statute
from frombelow.db.models import Affiliation, Application, Motion, RecordEntry
from frombelow.services import bodies, charges, motions
from frombelow.services.queries.bodies import councils_at, member_bodies_at
from tests.services.world import (
    Clock,
    all_yes,
    assembly,
    council_decides,
    council_motion,
    decide,
    federation,
    people,
)

pytestmark = pytest.mark.django_db


def test_a_council_is_founded_by_its_member_bodies_own_decisions(clock: Clock) -> None:
    fed = federation(clock)
    assert set(member_bodies_at(fed.council, clock.now)) == set(fed.assemblies.values())
    entry = RecordEntry.objects.get(action="body.founded", body=fed.council)
    assert entry.data["founders"] == ["docks", "rail"]


def test_a_council_cannot_be_founded_without_the_bodies_decisions(clock: Clock) -> None:
    a, b = people("A", 2), people("B", 2)
    docks, rail = assembly("docks", a), assembly("rail", b)
    lost = decide(
        clock,
        rail,
        b[0],
        {b[0]: "no", b[1]: "no"},
        kind=Motion.Kind.FOUND_COUNCIL,
        details={"slug": "fed", "statute": {}},
    )
    carried = decide(
        clock,
        docks,
        a[0],
        all_yes(a),
        kind=Motion.Kind.FOUND_COUNCIL,
        details={"slug": "fed", "statute": {}},
    )
    with pytest.raises(StandingError, match="not a carried decision to found"):
        bodies.found_council(
            actor=a[0], name="Fed", slug="fed", decisions=[carried, lost], statute=Statute()
        )
    with pytest.raises(FederationError, match="at least two"):
        bodies.found_council(
            actor=a[0], name="Fed", slug="fed", decisions=[carried], statute=Statute()
        )


def test_joining_takes_the_bodys_decision_and_then_the_councils(clock: Clock) -> None:
    fed = federation(clock)
    newcomers = people("Tram", 3)
    trams = assembly("trams", newcomers)
    accept = Motion.Kind.ACCEPT_MEMBER_BODY
    with pytest.raises(FederationError, match="has not decided to join"):
        council_motion(fed, "Accept the trams", kind=accept, other_body=trams)
    applied = decide(
        clock,
        trams,
        newcomers[0],
        all_yes(newcomers),
        kind=Motion.Kind.JOIN_COUNCIL,
        other_body=fed.council,
    )
    application = Application.objects.get(decision=applied)
    assert not councils_at(trams, clock.now).exists()  # not yet: the council decides
    motion = council_motion(fed, "Accept the trams", kind=accept, other_body=trams)
    yes = {slug: ("bound", all_yes(fed.members[slug])) for slug in fed.assemblies}
    decision = council_decides(clock, fed, motion, yes)
    assert decision.outcome == "carried"
    assert list(councils_at(trams, clock.now)) == [fed.council]
    application.refresh_from_db()
    assert application.answer == decision
    assert RecordEntry.objects.get(action="body.joined").body == fed.council


def test_a_council_may_refuse_an_application(clock: Clock) -> None:
    fed = federation(clock)
    newcomers = people("Tram", 2)
    trams = assembly("trams", newcomers)
    decide(
        clock,
        trams,
        newcomers[0],
        all_yes(newcomers),
        kind=Motion.Kind.JOIN_COUNCIL,
        other_body=fed.council,
    )
    motion = council_motion(
        fed, "Accept the trams", kind=Motion.Kind.ACCEPT_MEMBER_BODY, other_body=trams
    )
    no = {slug: ("bound", dict.fromkeys(fed.members[slug], "no")) for slug in fed.assemblies}
    decision = council_decides(clock, fed, motion, no)
    assert decision.outcome == "lost"
    assert not councils_at(trams, clock.now).exists()
    assert Application.objects.get().answer == decision
    assert RecordEntry.objects.filter(action="application.refused").exists()


def test_a_body_leaves_a_council_by_its_own_decision_alone(clock: Clock) -> None:
    fed = federation(clock)
    docks, dockers = fed.assemblies["docks"], fed.members["docks"]
    decide(
        clock,
        docks,
        dockers[0],
        all_yes(dockers),
        kind=Motion.Kind.LEAVE_COUNCIL,
        other_body=fed.council,
    )
    assert not councils_at(docks, clock.now).exists()
    assert RecordEntry.objects.get(action="body.left").body == fed.council
    assert Affiliation.objects.filter(member_body=docks).get().left_at == clock.now


def test_a_membership_that_would_close_a_cycle_is_refused(clock: Clock) -> None:
    lower = federation(clock)
    upper = federation(clock, sizes={"mines": 2, "mills": 2}, council="confederation")
    everyone = {s: ("bound", all_yes(m)) for s, m in lower.members.items()}
    council_decides(
        clock,
        lower,
        council_motion(lower, "Join", kind=Motion.Kind.JOIN_COUNCIL, other_body=upper.council),
        everyone,
    )
    council_decides(
        clock,
        upper,
        council_motion(
            upper, "Accept", kind=Motion.Kind.ACCEPT_MEMBER_BODY, other_body=lower.council
        ),
        {s: ("bound", all_yes(m)) for s, m in upper.members.items()},
    )
    assert list(councils_at(lower.council, clock.now)) == [upper.council]
    before = (RecordEntry.objects.count(), Motion.objects.count())
    with pytest.raises(CycleError, match="cycle confederation -> federation -> confederation"):
        council_motion(upper, "Join", kind=Motion.Kind.JOIN_COUNCIL, other_body=lower.council)
    assert (RecordEntry.objects.count(), Motion.objects.count()) == before


def test_a_council_cannot_join_itself_through_a_member(clock: Clock) -> None:
    fed = federation(clock)
    docks, dockers = fed.assemblies["docks"], fed.members["docks"]
    before = RecordEntry.objects.count()
    with pytest.raises(FederationError):
        motions.propose_motion(
            actor=dockers[0],
            body=docks,
            title="Join again",
            text="",
            kind=Motion.Kind.JOIN_COUNCIL,
            other_body=fed.council,
        )
    assert RecordEntry.objects.count() == before


def test_expulsion_needs_a_charge_and_the_accused_bodys_reply_first(clock: Clock) -> None:
    # Sixty days to reply: the session comes while the port may still answer.
    fed = federation(clock, Statute(reply_days=60), sizes={"docks": 3, "rail": 3, "port": 3})
    port = fed.assemblies["port"]
    chair = fed.delegates["docks"]
    expel = Motion.Kind.EXPEL_MEMBER_BODY
    with pytest.raises(DueProcessError, match="needs a stated charge first"):
        council_motion(fed, "Expel the port", kind=expel, other_body=port, charge=None)
    charge = charges.file_charge(
        actor=chair, body=fed.council, accused_body=port, text="Broke the strike of March"
    )
    motion = council_motion(fed, "Expel the port", kind=expel, other_body=port, charge=charge)
    yes = {s: ("bound", all_yes(fed.members[s])) for s in ("docks", "rail")}
    with pytest.raises(DueProcessError, match="no written reply"):
        council_decides(clock, fed, motion, yes)
    # The port's own delegate answers for it; no one else can.
    with pytest.raises(StandingError, match="cannot reply"):
        charges.reply_to_charge(actor=chair, charge=charge, text="We did not")
    charges.reply_to_charge(
        actor=fed.delegates["port"], charge=charge, text="We stopped work with everyone."
    )
    motion = council_motion(fed, "Expel the port", kind=expel, other_body=port, charge=charge)
    decision = council_decides(clock, fed, motion, yes)
    assert decision.outcome == "carried"
    assert port not in member_bodies_at(fed.council, clock.now)
    entry = RecordEntry.objects.get(action="body.expelled")
    assert entry.data["charge"] == charge.pk
    assert entry.data["reply"] == charge.reply.pk


def test_a_charge_against_one_body_cannot_expel_another(clock: Clock) -> None:
    fed = federation(clock, sizes={"docks": 3, "rail": 3, "port": 3})
    charge = charges.file_charge(
        actor=fed.delegates["docks"],
        body=fed.council,
        accused_body=fed.assemblies["port"],
        text="Broke the strike",
    )
    with pytest.raises(DueProcessError, match="not a charge before"):
        council_motion(
            fed,
            "Expel the rail",
            kind=Motion.Kind.EXPEL_MEMBER_BODY,
            other_body=fed.assemblies["rail"],
            charge=charge,
        )
