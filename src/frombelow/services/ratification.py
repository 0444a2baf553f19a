"""Ratification of a council's provisional decision by its member bodies' own decisions.

Whether a provisional decision is pending, ratified, rejected or lapsed is derived from dates and
answers by the core (`mandates.ratification_state`); a ratified decision takes effect then, applied
by the deciding service, to which the ratify kind's effect returns it.
"""

from __future__ import annotations

from frombelow.core.errors import DecisionError, StandingError
from frombelow.db.models import Decision, Motion, Ratification, Ratified
from frombelow.services import clock
from frombelow.services.motion_kinds import Applies, MotionKind, declare
from frombelow.services.queries.bodies import member_bodies_at
from frombelow.services.queries.decisions import ratification_state
from frombelow.services.record import append_entry


def record_ratification(by: Decision) -> Decision | None:
    """Record a member body's decision on a council's provisional decision; return the council's
    decision once the statute's majority of member bodies has ratified it, to take effect now."""
    motion = by.motion
    assert motion is not None
    decision = motion.decision
    assert decision is not None
    if by.outcome == Decision.Outcome.INQUORATE:
        return None  # the body decided nothing: silence, never ratification
    now = clock.now()
    answer = Ratification.objects.create(
        decision=decision,
        member_body=by.body,
        ratified=by.outcome == Decision.Outcome.CARRIED,
        by=by,
    )
    state = ratification_state(decision, now)
    append_entry(
        actor="system",
        action="ratification.answered",
        subject=f"decision:{decision.pk}",
        body=decision.body,
        data={
            "member_body": by.body.slug,
            "ratified": answer.ratified,
            "by": by.pk,
            "state": state.state,
        },
    )
    if state.state != "ratified" or Ratified.objects.filter(decision=decision).exists():
        return None
    Ratified.objects.create(decision=decision, ratified_at=now)
    append_entry(
        actor="system",
        action="decision.ratified",
        subject=f"decision:{decision.pk}",
        body=decision.body,
        data={"ratified_by": list(state.ratified_by), "bodies": state.bodies},
    )
    return decision


def _check_ratification(motion: Motion) -> None:
    """Refuse to answer on what is no provisional decision of a council the body belongs to."""
    decision = motion.decision
    assert isinstance(decision, Decision)
    if not decision.provisional or decision.outcome != Decision.Outcome.CARRIED:
        raise DecisionError(
            "decision %(decision)s binds or failed already: nothing to ratify",
            decision=decision.pk,
        )
    if decision.ratify_by is not None and clock.now() > decision.ratify_by:
        raise DecisionError(
            "the period to ratify decision %(decision)s ended %(ended)s",
            decision=decision.pk,
            ended=decision.ratify_by,
        )
    if decision.ratifications.filter(member_body=motion.body).exists():
        raise DecisionError(
            "%(body)r has already answered on decision %(decision)s",
            body=motion.body.slug,
            decision=decision.pk,
        )
    if not member_bodies_at(decision.body, clock.now()).filter(pk=motion.body_id).exists():
        raise StandingError(
            "%(body)r is not a member body of %(council)r",
            body=motion.body.slug,
            council=decision.body.slug,
        )


declare(
    MotionKind(
        Motion.Kind.RATIFY,
        targets=frozenset({"decision"}),
        check=_check_ratification,
        effect=record_ratification,
        # Rejecting is an answer too: the council counts both.
        applies=Applies.WHATEVER_THE_OUTCOME,
    )
)
