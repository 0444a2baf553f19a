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
from frombelow.services.standing import as_member, is_eligible, takes_part


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


def _in_minority(actor: Actor, decision: Decision, *, opting_out: bool) -> Member:
    # Each act has its own templates, so that the act's name is translated with the sentence.
    # Two calls with a literal act each: the catalogue's extraction reads a literal argument.
    member = as_member(actor, "opting out") if opting_out else as_member(actor, "dissenting")
    body, now = decision.body, clock.now()
    if body.kind == Body.Kind.ASSEMBLY:
        entitled = decision.vote.electors.filter(member=member).exists()
    else:
        entitled = takes_part(member, body, now) or is_eligible(member, body, now)
    if not entitled:
        if opting_out:
            raise StandingError(
                "opting out: %(member)s had no part in %(body)r's decision",
                member=member.name,
                body=body.slug,
            )
        raise StandingError(
            "dissenting: %(member)s had no part in %(body)r's decision",
            member=member.name,
            body=body.slug,
        )
    if decision.outcome == Decision.Outcome.INQUORATE:
        if opting_out:
            raise DecisionError("opting out: an inquorate vote decided nothing")
        raise DecisionError("dissenting: an inquorate vote decided nothing")
    if _with_majority(member, decision):
        if opting_out:
            raise StandingError(
                "opting out: %(member)s voted with the majority", member=member.name
            )
        raise StandingError("dissenting: %(member)s voted with the majority", member=member.name)
    return member


@transaction.atomic(durable=True)
def dissent(*, actor: Actor, decision: Decision, text: str) -> Dissent:
    """Attach a dissenting statement to a decision, as one of its minority."""
    member = _in_minority(actor, decision, opting_out=False)
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
    member = _in_minority(actor, decision, opting_out=True)
    try:
        with transaction.atomic():
            declared = OptOut.objects.create(
                decision=decision, member=member, reason=reason, declared_at=clock.now()
            )
    except IntegrityError:
        raise DecisionError(
            "%(member)s has already opted out of this decision", member=member.name
        ) from None
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
        raise StandingError(
            "%(member)s was not named to carry out this decision", member=member.name
        )
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
