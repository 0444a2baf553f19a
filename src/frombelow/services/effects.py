"""What a decision does: each carried motion of an effect kind calls the one service for it.

This is the only path from a decision to a change of who decides, and every path acts on the
deciding body itself, or (for a council) on its own relation to one member body.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial

from django.db import transaction

from frombelow.core.errors import DomainError
from frombelow.db.models import Amendment, Decision, Motion
from frombelow.services import (
    bodies,
    federation,
    notices,
    petitions,
    ratification,
    recall,
    referendums,
    sanctions,
    sessions,
    statutes,
    tendencies,
)
from frombelow.services.record import append_entry

Kind = Motion.Kind
Effect = Callable[[Decision], object]

SYSTEM = "system"  # a decision's effect is the body's act, applied by the system on its behalf


def _admit(decision: Decision) -> object:
    motion = decision.motion
    assert motion is not None
    assert motion.member is not None
    return bodies.admit(
        actor=SYSTEM, assembly=decision.body, member=motion.member, by="decision", decision=decision
    )


def _mandate(decision: Decision) -> object:
    mandate = sessions.record_mandate(decision)
    if mandate is not None:
        # The body's members hear of their mandate once it is committed.
        notices.after_commit(partial(notices.mandate_decided, mandate.pk))
    return mandate


# Effects of a carried decision.
ON_CARRIED: Mapping[str, Effect] = {
    Kind.ADMIT_MEMBER: _admit,
    Kind.JOIN_COUNCIL: lambda d: federation.apply_to_join(actor=SYSTEM, decision=d),
    Kind.LEAVE_COUNCIL: lambda d: federation.leave_council(actor=SYSTEM, decision=d),
    Kind.EXPEL_MEMBER_BODY: lambda d: federation.expel_member_body(actor=SYSTEM, decision=d),
    Kind.AMEND_STATUTE: lambda d: statutes.amend_statute(actor=SYSTEM, decision=d),
    Kind.RECALL: recall.recall_term,
    Kind.CALL_REFERENDUM: referendums.call_referendum,
    Kind.SIGN_PETITION: petitions.sign_by_body,
    Kind.HIDE_STATEMENT: tendencies.hide_statement,
    Kind.SANCTION_MEMBER: sanctions.impose_sanction,
    Kind.DECIDE_APPEAL: sanctions.lift_sanction,
}
# Effects whatever the outcome: an answer is owed either way.
ON_ANY: Mapping[str, Effect] = {
    Kind.ACCEPT_MEMBER_BODY: lambda d: federation.answer_application(actor=SYSTEM, decision=d),
    # A mandate is the body's vote itself, whichever way it went; inquorate leaves none.
    Kind.DECIDE_MANDATE: _mandate,
    Kind.RATIFY: ratification.record_ratification,
}
# Kinds whose decision is its own effect (a position, a founding decision another act uses).
# A reopened decision is decided again: the new decision is the effect.
NO_EFFECT = frozenset({Kind.GENERAL, Kind.FOUND_COUNCIL, Kind.REOPEN})


def apply(decision: Decision, *, ratified: bool = False) -> None:
    """Apply a decision's effect, unless it is provisional and not yet ratified."""
    from frombelow.services.votes import implement

    motion = decision.motion
    assert motion is not None
    if decision.provisional and not ratified:
        return
    effect = ON_ANY.get(motion.kind)
    if effect is None and decision.outcome == Decision.Outcome.CARRIED:
        effect = ON_CARRIED.get(motion.kind)
    if effect is not None:
        try:
            with transaction.atomic():
                effect(decision)
        except DomainError as error:
            # The world moved while the vote was open (the member was admitted another way,
            # the graph changed): the decision stands as taken, and the record says why its
            # effect could not follow. A refusal here must never keep a vote from closing.
            append_entry(
                actor=SYSTEM,
                action="decision.not_applied",
                subject=f"decision:{decision.pk}",
                body=decision.body,
                data={"kind": motion.kind, "because": str(error)},
            )
    if decision.outcome in (Decision.Outcome.CARRIED, Decision.Outcome.CHOSEN):
        implement(decision)


def settle_amendment(decision: Decision) -> None:
    """Carry an amendment into its motion's text, or mark it lost."""
    amendment = Amendment.objects.select_for_update().get(vote__decision=decision)
    motion = amendment.motion
    if decision.outcome == Decision.Outcome.CARRIED:
        before = motion.text
        amendment.status = Amendment.Status.CARRIED
        motion.text = amendment.text
        motion.save(update_fields=["text"])
        append_entry(
            actor=SYSTEM,
            action="motion.amended",
            subject=f"motion:{motion.pk}",
            body=motion.body,
            data={"amendment": amendment.pk, "before": before, "after": motion.text},
        )
    else:
        amendment.status = Amendment.Status.LOST
    amendment.save(update_fields=["status"])
