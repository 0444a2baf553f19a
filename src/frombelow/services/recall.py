"""Recall: the body that elected a delegate or officer ends their term at once by its decision.

The rule (a simple majority of votes cast, with the body's quorum: the vote opens with the core's
`SIMPLE_MAJORITY`) and the effect (the term ended now, the first substitute seated, open votes
passed on) are the core's (`frombelow.core.recall`); this module stores what it decides.
"""

from __future__ import annotations

from frombelow.core import recall as core
from frombelow.core.errors import DecisionError, StandingError
from frombelow.db.mapping import read_result, read_term
from frombelow.db.models import Decision, DelegateCast, Delegation, Motion, Term, Vote
from frombelow.services import clock
from frombelow.services.elections import held, store_vacancy, succession
from frombelow.services.motion_kinds import MotionKind, declare
from frombelow.services.record import append_entry
from frombelow.services.standing import terms_held


def _pending(term: Term) -> list[core.PendingCast]:
    """Return the open votes of the council in which the delegate's delegation may still cast."""
    if term.council is None:
        return []
    pending = []
    open_votes = Vote.objects.filter(
        session__body=term.council, decision__isnull=True, item__isnull=False
    ).exclude(delegation_votes__member_body=term.body)
    for vote in open_votes:
        seated = Delegation.objects.filter(session=vote.session, member_body=term.body).first()
        casts = DelegateCast.objects.filter(vote=vote, member_body=term.body).count()
        if seated is not None and casts < seated.seats:
            pending.append(
                core.PendingCast(
                    term.council.slug, str(vote.item_id), term.body.slug, term.holder_id
                )
            )
    return pending


def recall_term(decision: Decision) -> None:
    """End the recalled term now, by the carried decision of the body that elected it."""
    motion = decision.motion
    assert motion is not None
    assert motion.term is not None
    term = held(motion.term)
    substitutes, unavailable = succession(term)
    effect = core.recall(
        read_term(term),
        by=decision.body.slug,
        count=read_result(decision.count),
        at=clock.now(),
        substitutes=substitutes,
        unavailable=unavailable,
        pending=_pending(term),
    )
    successor = store_vacancy(term, effect.recalled, effect.successor)
    append_entry(
        actor="system",
        action="delegate.recalled" if term.council_id else "officer.recalled",
        subject=f"term:{term.pk}",
        body=decision.body,
        data={
            "decision": decision.pk,
            "holder": term.holder_id,
            "office": effect.recalled.office,
            "successor": successor.holder_id if successor else None,
            "successor_term": successor.pk if successor else None,
            # Casting for the delegation follows the seat: the successor casts these now.
            "open_votes_passed_on": [int(p.item) for p in effect.reassigned],
            "open_votes_lapsed": [int(p.item) for p in effect.lapsed],
        },
    )


def _check_recall(motion: Motion) -> None:
    term = motion.term
    assert term is not None
    if term.body_id != motion.body_id:
        raise StandingError(
            "only %(body)r, which elected %(holder)s, can recall them",
            body=term.body.slug,
            holder=term.holder.name,
        )
    if not Term.objects.filter(terms_held(clock.now()), pk=term.pk).exists():
        raise DecisionError(
            "%(holder)s's term has already ended: there is no one to recall",
            holder=term.holder.name,
        )


declare(
    MotionKind(
        Motion.Kind.RECALL,
        targets=frozenset({"term"}),
        check=_check_recall,
        effect=recall_term,
        # A recall passes by a simple majority of votes cast, whatever else the statute sets.
        threshold=core.SIMPLE_MAJORITY,
    )
)
