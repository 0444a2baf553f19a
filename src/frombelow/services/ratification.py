"""Ratification of a council's provisional decision by its member bodies' own decisions.

Whether a provisional decision is pending, ratified, rejected or lapsed is derived from dates and
answers by the core (`mandates.ratification_state`); a ratified decision takes effect then, applied
by the deciding service, to which the ratify kind's effect returns it.
"""

from __future__ import annotations

from datetime import datetime

from frombelow.core import mandates as core
from frombelow.core.errors import DecisionError, StandingError
from frombelow.db.mapping import read_result, read_statute
from frombelow.db.models import Decision, Motion, Ratification, Ratified
from frombelow.services import clock
from frombelow.services.motion_kinds import Applies, MotionKind, declare
from frombelow.services.queries.bodies import member_bodies_at
from frombelow.services.record import append_entry
from frombelow.services.weights import weigh_at


def ratification_state(decision: Decision, now: datetime) -> core.RatificationState:
    """Return where a council's provisional decision stands at `now`."""
    vote = decision.vote
    session = vote.session
    assert session is not None
    assert session.opened_at is not None
    statute = read_statute(vote.statute.rules)
    reasons = tuple(r for r in decision.provisional_because.split("; ") if r)
    taken = core.SessionDecision(
        decision.body.slug,
        str(vote.item_id),
        read_result(decision.count),
        decision.decided_at,
        reasons,
    )
    _, snapshot, _ = weigh_at(decision.body, session.opened_at)
    members = list(session.delegations.values_list("member_body__slug", flat=True))
    answers = [
        core.Ratification(r.member_body.slug, r.ratified, r.by.decided_at)
        for r in decision.ratifications.select_related("member_body", "by")
    ]
    return core.ratification_state(taken, statute, members, snapshot, answers, now)


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
