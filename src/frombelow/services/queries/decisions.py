"""Reads about decisions: whether one binds, awaits ratification, or lapsed (from dates)."""

from __future__ import annotations

from datetime import datetime

from frombelow.db.models import Decision, DelegationVote
from frombelow.services.ratification import ratification_state


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
