"""Reads about decisions: which there are, whether one binds, awaits ratification, or lapsed."""

from __future__ import annotations

from datetime import datetime

from frombelow.core import mandates as core
from frombelow.core.counting.result import Result
from frombelow.db.mapping import read_result, read_statute
from frombelow.db.models import (
    Body,
    Decision,
    DelegationVote,
    Implementation,
    Member,
    Motion,
    ProgressReport,
    Vote,
)
from frombelow.services.queries.lookup import one
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


def decision_with_id(pk: int) -> Decision:
    """Return the decision with this id, with its body."""
    return one(Decision.objects.select_related("body"), pk)


def decision_of(vote: Vote) -> Decision | None:
    """Return the decision a vote took, once it is counted."""
    return Decision.objects.filter(vote=vote).first()


def decision_on_motion(motion: Motion) -> Decision | None:
    """Return the decision on the motion itself (not on an amendment to it), once taken."""
    return Decision.objects.filter(motion=motion, vote__amendment__isnull=True).first()


def decisions_of(body: Body) -> list[Decision]:
    """Return the body's decisions, oldest first."""
    return list(Decision.objects.filter(body=body).order_by("decided_at"))


def latest_decisions(body: Body, limit: int) -> list[Decision]:
    """Return the body's latest decisions with their motions, the latest first."""
    return list(
        Decision.objects.filter(body=body).select_related("motion").order_by("-decided_at")[:limit]
    )


def counted_result(decision: Decision) -> Result:
    """Return the count a decision was taken by: every round and tie-break."""
    return read_result(decision.count)


def standing_of(decision: Decision, at: datetime) -> str:
    """Say where a decision stands at `at`: "binding", "not carried", or for a provisional one
    "pending", "ratified", "rejected" or "lapsed" (derived from the answers and the dates)."""
    if decision.outcome not in (Decision.Outcome.CARRIED, Decision.Outcome.CHOSEN):
        return "not carried"
    if not decision.provisional:
        return "binding"
    return ratification_state(decision, at).state


def delegation_votes(decision: Decision) -> list[DelegationVote]:
    """Return each delegation's vote on a council's decision and how it was derived."""
    return list(
        decision.vote.delegation_votes.select_related("member_body", "mandate").order_by(
            "member_body__slug"
        )
    )


def implementation_of(decision: Decision) -> Implementation | None:
    """Return who carries the decision out and by when, if its motion named anyone."""
    return Implementation.objects.filter(decision=decision).first()


def implementers_of(implementation: Implementation) -> list[Member]:
    """Return the members named to carry the decision out."""
    return list(implementation.implementers.order_by("name"))


def progress_reports(implementation: Implementation) -> list[ProgressReport]:
    """Return the progress reports on a decision's implementation, oldest first, with authors."""
    return list(implementation.reports.select_related("author").order_by("reported_at", "pk"))


def is_overdue(implementation: Implementation, at: datetime) -> bool:
    """Tell whether the decision's date has passed and no report says it is done."""
    if implementation.due_on is None or at.date() <= implementation.due_on:
        return False
    return not implementation.reports.filter(done=True).exists()
