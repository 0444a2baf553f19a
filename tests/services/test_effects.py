"""Every kind of motion names what it acts on and has exactly one way to take effect."""

from __future__ import annotations

from frombelow.db.models import Motion
from frombelow.services import effects, motions


def test_every_kind_of_motion_is_proposable_and_has_one_effect_or_none() -> None:
    kinds = set(Motion.Kind.values)
    assert set(motions.TARGETS) == kinds
    ways: list[set[str]] = [set(effects.ON_CARRIED), set(effects.ON_ANY), set(effects.NO_EFFECT)]
    assert ways[0] | ways[1] | ways[2] == kinds
    assert len(ways[0]) + len(ways[1]) + len(ways[2]) == len(kinds)  # never two ways


def test_no_kind_acts_on_another_body_except_a_councils_own_member_bodies() -> None:
    # The only kinds that name another body: joining or leaving a council (the body's own
    # membership), and a council accepting or expelling one of its own member bodies.
    naming_a_body = {k for k, targets in motions.TARGETS.items() if "other_body" in targets}
    assert naming_a_body == {
        Motion.Kind.JOIN_COUNCIL,
        Motion.Kind.LEAVE_COUNCIL,
        Motion.Kind.ACCEPT_MEMBER_BODY,
        Motion.Kind.EXPEL_MEMBER_BODY,
    }
