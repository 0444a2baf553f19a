"""The minority's rights after a decision, and its carrying out: dissent, opt-out, progress.

The minority is everyone on the vote's roll who did not vote with the majority: in an open vote
their ballot shows it; in a secret vote no one can tell, so every elector may dissent. In a
council, its delegates and the members of the assemblies below it may.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction

from frombelow.core.errors import DecisionError, StandingError
from frombelow.db.models import (
    Ballot,
    Body,
    Decision,
    Dissent,
    Implementation,
    Member,
    OptOut,
    ProgressReport,
    Vote,
)
from frombelow.services import clock
from frombelow.services.record import Actor, append_entry
from frombelow.services.standing import as_member, takes_part


def _with_majority(member: Member, decision: Decision) -> bool:
    """Tell whether the member's open ballot chose what the decision carried or chose."""
    vote = decision.vote
    if vote.ballot_kind != Vote.BallotKind.OPEN:
        return False
    ballot = Ballot.objects.filter(vote=vote, voter=member).first()
    if ballot is None or not ballot.ranking:
        return False
    first: list[str] = list(ballot.ranking[0])
    if decision.outcome == Decision.Outcome.CARRIED:
        return first == ["yes"]
    if decision.outcome == Decision.Outcome.LOST:
        return first == ["no"]
    return bool(set(first) & set(decision.winners))


def _in_minority(actor: Actor, decision: Decision, what: str) -> Member:
    member = as_member(actor, what)
    body, now = decision.body, clock.now()
    if body.kind == Body.Kind.ASSEMBLY:
        entitled = decision.vote.electors.filter(member=member).exists()
    else:
        from frombelow.services.elections import is_eligible

        entitled = takes_part(member, body, now) or is_eligible(member, body, now)
    if not entitled:
        raise StandingError(f"{what}: {member} had no part in {body.slug!r}'s decision")
    if decision.outcome == Decision.Outcome.INQUORATE:
        raise DecisionError(f"{what}: an inquorate vote decided nothing")
    if _with_majority(member, decision):
        raise StandingError(f"{what}: {member} voted with the majority")
    return member


@transaction.atomic(durable=True)
def dissent(*, actor: Actor, decision: Decision, text: str) -> Dissent:
    """Attach a dissenting statement to a decision, as one of its minority."""
    member = _in_minority(actor, decision, "dissenting")
    if not text.strip():
        raise DecisionError("a dissent states something")
    statement = Dissent.objects.create(
        decision=decision, member=member, text=text, stated_at=clock.now()
    )
    append_entry(
        actor=actor,
        action="dissent.stated",
        subject=f"decision:{decision.pk}",
        body=decision.body,
        data={"text": text},
    )
    return statement


@transaction.atomic(durable=True)
def opt_out(*, actor: Actor, decision: Decision, reason: str = "") -> OptOut:
    """Declare that one will not carry out a decision that allows opting out; no penalty."""
    motion = decision.motion
    if motion is None or not motion.opt_out_allowed:
        raise DecisionError("this decision does not allow opting out")
    if decision.outcome not in (Decision.Outcome.CARRIED, Decision.Outcome.CHOSEN):
        raise DecisionError("only a carried decision is carried out, or opted out of")
    member = _in_minority(actor, decision, "opting out")
    try:
        with transaction.atomic():
            declared = OptOut.objects.create(
                decision=decision, member=member, reason=reason, declared_at=clock.now()
            )
    except IntegrityError:
        raise DecisionError(f"{member} has already opted out of this decision") from None
    append_entry(
        actor=actor,
        action="opt_out.declared",
        subject=f"decision:{decision.pk}",
        body=decision.body,
        data={"reason": reason},
    )
    return declared


@transaction.atomic(durable=True)
def report_progress(
    *, actor: Actor, implementation: Implementation, text: str, done: bool = False
) -> ProgressReport:
    """Report to the body that decided, as one of those it named to carry the decision out."""
    member = as_member(actor, "reporting progress")
    if not implementation.implementers.filter(pk=member.pk).exists():
        raise StandingError(f"{member} was not named to carry out this decision")
    if not text.strip():
        raise DecisionError("a report says something")
    report = ProgressReport.objects.create(
        implementation=implementation,
        author=member,
        text=text,
        done=done,
        reported_at=clock.now(),
    )
    append_entry(
        actor=actor,
        action="progress.reported",
        subject=f"decision:{implementation.decision_id}",
        body=implementation.decision.body,
        data={"text": text, "done": done},
    )
    return report
