"""Amending a statute: only by the body's own carried decision under its current statute (the
effect of it, inside the deciding act's transaction)."""

from __future__ import annotations

from frombelow.core.errors import DecisionError
from frombelow.db.mapping import read_statute, statute_json
from frombelow.db.models import Decision, Motion, StatuteVersion
from frombelow.services import clock
from frombelow.services.motion_kinds import SYSTEM, MotionKind, declare
from frombelow.services.queries.bodies import statute_version
from frombelow.services.record import append_entry


def amend_statute(decision: Decision) -> None:
    """Adopt the statute a carried amend-statute motion proposed, as the body's next version."""
    motion = decision.motion
    assert motion is not None
    assert motion.kind == Motion.Kind.AMEND_STATUTE
    body = decision.body
    current = statute_version(body)
    amended = read_statute(motion.details.get("statute"))
    version = StatuteVersion.objects.create(
        body=body,
        number=current.number + 1,
        rules=statute_json(amended),
        adopted_at=clock.now(),
        decision=decision,
    )
    before, after = current.rules, version.rules
    append_entry(
        actor=SYSTEM,
        action="statute.amended",
        subject=f"body:{body.slug}",
        body=body,
        data={
            "version": version.number,
            "decision": decision.pk,
            "changes": {
                name: {"before": before.get(name), "after": after[name]}
                for name in after
                if before.get(name) != after[name]
            },
        },
    )


def _check_amendment(motion: Motion) -> None:
    # A body amends its own statute, and no other's (MODEL 1): the motion names the new statute
    # and nothing else, so that no council can seem to rewrite a member body's rules.
    other = sorted(set(motion.details) - {"statute"})
    if other:
        raise DecisionError(
            "a statute amendment changes its own body's statute and names nothing else, not "
            "%(names)s",
            names=", ".join(other),
        )
    read_statute(motion.details.get("statute"))


declare(MotionKind(Motion.Kind.AMEND_STATUTE, check=_check_amendment, effect=amend_statute))
