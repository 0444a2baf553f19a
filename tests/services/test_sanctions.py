"""Sanctions: only by the member's own assembly, on a charge after their reply; appealable to the
councils above, which may lift it."""

from __future__ import annotations

from typing import Any

import pytest

from frombelow.core.errors import DecisionError, DueProcessError, StandingError
from frombelow.db.models import Motion, RecordEntry, Sanction, Vote
from frombelow.services import charges, motions, sanctions
from frombelow.services.queries.bodies import is_member
from frombelow.services.standing import is_suspended
from tests.services.test_charges import put_at_once
from tests.services.world import (
    Clock,
    all_yes,
    council_decides,
    council_motion,
    decide,
    federation,
    propose,
)

pytestmark = pytest.mark.django_db


def test_an_assembly_expels_on_a_replied_charge_and_a_council_above_lifts_it(
    clock: Clock,
) -> None:
    fed = federation(clock, sizes={"docks": 4, "rail": 2})
    docks, m = fed.assemblies["docks"], fed.members["docks"]
    accused = m[3]
    sanction = Motion.Kind.SANCTION_MEMBER
    with pytest.raises(DueProcessError, match="needs a stated charge"):
        motions.propose_motion(
            actor=m[1],
            body=docks,
            title="Expel",
            text="",
            kind=sanction,
            member=accused,
            details={"sanction": "expulsion"},
        )
    charge = charges.file_charge(
        actor=m[1], body=docks, accused_member=accused, text="Took the strike fund"
    )
    charges.reply_to_charge(actor=accused, charge=charge, text="I borrowed it and paid it back")
    decision = decide(
        clock,
        docks,
        m[1],
        all_yes(m[:3]),
        kind=sanction,
        member=accused,
        charge=charge,
        details={"sanction": "expulsion"},
    )
    assert decision.outcome == "carried"
    assert not is_member(accused, docks, clock.now)
    imposed = Sanction.objects.get(member=accused)
    with pytest.raises(StandingError, match="sanctioned member's own act"):
        sanctions.appeal(actor=m[1], sanction=imposed, council=fed.council, text="For them")
    appeal = sanctions.appeal(actor=accused, sanction=imposed, council=fed.council, text="Unjust")
    lifted = council_decides(
        clock,
        fed,
        council_motion(fed, "Lift it", kind=Motion.Kind.DECIDE_APPEAL, appeal=appeal),
        {s: ("bound", all_yes(fed.members[s])) for s in ("rail",)},
    )
    assert lifted.outcome == "carried"
    assert is_member(accused, docks, clock.now)
    assert RecordEntry.objects.filter(action="sanction.lifted").exists()


def test_a_suspended_member_takes_no_part_until_it_ends(clock: Clock) -> None:
    fed = federation(clock, sizes={"docks": 3, "rail": 2})
    docks, m = fed.assemblies["docks"], fed.members["docks"]
    charge = charges.file_charge(actor=m[0], body=docks, accused_member=m[2], text="Scabbed")
    charges.reply_to_charge(actor=m[2], charge=charge, text="I did not")
    decide(
        clock,
        docks,
        m[0],
        all_yes(m[:2]),
        kind=Motion.Kind.SANCTION_MEMBER,
        member=m[2],
        charge=charge,
        details={"sanction": "suspension", "days": 30},
    )
    assert is_suspended(m[2], docks, clock.now)
    with pytest.raises(StandingError, match="suspended"):
        motions.propose_motion(actor=m[2], body=docks, title="x", text="")
    clock.advance(days=30)
    assert not is_suspended(m[2], docks, clock.now)


def test_a_member_is_sanctioned_only_by_their_own_assembly(clock: Clock) -> None:
    fed = federation(clock, sizes={"docks": 3, "rail": 2})
    target = fed.members["rail"][1]
    charge = charges.file_charge(
        actor=fed.delegates["docks"], body=fed.council, accused_member=target, text="Dissent"
    )
    with pytest.raises(DecisionError, match="only an assembly decides a sanction-member"):
        council_motion(
            fed,
            "Expel",
            kind=Motion.Kind.SANCTION_MEMBER,
            member=target,
            charge=charge,
            details={"sanction": "expulsion"},
        )
    docks_charge = charges.file_charge(
        actor=fed.members["docks"][0],
        body=fed.assemblies["docks"],
        accused_member=target,
        text="Dissent",
    )
    with pytest.raises(StandingError, match="not a member of 'docks'"):
        motions.propose_motion(
            actor=fed.members["docks"][0],
            body=fed.assemblies["docks"],
            title="Expel",
            text="",
            kind=Motion.Kind.SANCTION_MEMBER,
            member=target,
            charge=docks_charge,
            details={"sanction": "expulsion"},
        )


def test_an_expulsion_is_refused_without_a_charge_or_before_the_reply_and_nothing_is_stored(
    clock: Clock,
) -> None:
    fed = federation(clock, sizes={"docks": 4, "rail": 2})
    docks, m = fed.assemblies["docks"], fed.members["docks"]
    expel: dict[str, Any] = {
        "kind": Motion.Kind.SANCTION_MEMBER,
        "details": {"sanction": "expulsion"},
    }

    def stored() -> tuple[int, ...]:
        return tuple(model.objects.count() for model in (RecordEntry, Motion, Vote, Sanction))

    before = stored()
    with pytest.raises(DueProcessError, match="needs a stated charge first"):
        motions.propose_motion(actor=m[1], body=docks, title="Expel", text="", member=m[3], **expel)
    assert stored() == before
    charge = charges.file_charge(actor=m[1], body=docks, accused_member=m[3], text="Scabbed")
    motion = propose(docks, m[1], "Expel", member=m[3], charge=charge, **expel)
    before = stored()
    with pytest.raises(DueProcessError, match="no written reply from the accused"):
        put_at_once(motion)
    assert stored() == before
    assert is_member(m[3], docks, clock.now)


def test_a_member_silent_past_the_time_to_reply_is_heard_without_a_reply(clock: Clock) -> None:
    fed = federation(clock, sizes={"docks": 4, "rail": 2})
    docks, m = fed.assemblies["docks"], fed.members["docks"]
    charge = charges.file_charge(actor=m[1], body=docks, accused_member=m[3], text="Scabbed")
    clock.advance(days=14)
    decision = decide(
        clock,
        docks,
        m[1],
        all_yes(m[:3]),
        kind=Motion.Kind.SANCTION_MEMBER,
        member=m[3],
        charge=charge,
        details={"sanction": "suspension", "days": 30},
    )
    assert decision.outcome == "carried"
    sanctioned = RecordEntry.objects.get(action="member.sanctioned")
    assert (sanctioned.data["charge"], sanctioned.data["reply"]) == (charge.pk, None)
    # The sanctioned member may still appeal, and to a council above only.
    sanction = Sanction.objects.get(member=m[3])
    with pytest.raises(StandingError, match="'rail' is not a council above 'docks'"):
        sanctions.appeal(actor=m[3], sanction=sanction, council=fed.assemblies["rail"], text="x")
    sanctions.appeal(actor=m[3], sanction=sanction, council=fed.council, text="I was ill")
    with pytest.raises(DecisionError, match="appealed to 'federation' already"):
        sanctions.appeal(actor=m[3], sanction=sanction, council=fed.council, text="Again")
