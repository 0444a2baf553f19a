"""Decisions: read one with its dissents, opt-outs and standing; dissent; opt out."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.responses import Status

from frombelow.api.auth import acting_member
from frombelow.api.bodies import DecisionOut, decision_out
from frombelow.api.common import ERRORS, Done, reading
from frombelow.services import clock
from frombelow.services import decisions as acts
from frombelow.services.queries.decisions import decision_with_id, standing_of

if TYPE_CHECKING:
    from frombelow.services.queries.rows import Decision

router = Router(tags=["decisions"])


class DissentOut(Schema):
    """A dissenting statement of a member of the minority."""

    member: int
    text: str
    stated_at: str


class OptOutOut(Schema):
    """A member's declaration that they abstain from carrying a decision out."""

    member: int
    reason: str
    declared_at: str


class DecisionDetail(DecisionOut):
    """A decision with where it stands, its dissents and its opt-outs."""

    body: str
    standing: str
    provisional_because: str
    ratify_by: str | None
    dissents: list[DissentOut]
    opt_outs: list[OptOutOut]


class DissentIn(Schema):
    """The dissenting statement."""

    text: str = Field(min_length=1, max_length=100_000)


class OptOutIn(Schema):
    """Why one opts out (optional)."""

    reason: str = Field(default="", max_length=10_000)


def _decision(request: HttpRequest, decision_id: int) -> Decision:
    decision = decision_with_id(decision_id)
    reading(request, decision.body)
    return decision


@router.get(
    "/decisions/{decision_id}", response={200: DecisionDetail, **ERRORS}, summary="Read a decision"
)
def read_decision(request: HttpRequest, decision_id: int) -> DecisionDetail:
    """Return a decision, whether it binds or awaits ratification, its dissents and opt-outs."""
    decision = _decision(request, decision_id)
    return DecisionDetail(
        **decision_out(decision).dict(),
        body=decision.body.slug,
        standing=standing_of(decision, clock.now()),
        provisional_because=decision.provisional_because,
        ratify_by=decision.ratify_by.isoformat() if decision.ratify_by else None,
        dissents=[
            DissentOut(member=d.member_id, text=d.text, stated_at=d.stated_at.isoformat())
            for d in decision.dissents.order_by("stated_at", "pk")
        ],
        opt_outs=[
            OptOutOut(member=o.member_id, reason=o.reason, declared_at=o.declared_at.isoformat())
            for o in decision.opt_outs.order_by("declared_at", "pk")
        ],
    )


@router.post("/decisions/{decision_id}/dissents", response={201: Done, **ERRORS}, summary="Dissent")
def dissent(request: HttpRequest, decision_id: int, data: DissentIn) -> Status[Done]:
    """Attach one's dissenting statement to a decision one was in the minority of."""
    row = acts.dissent(
        actor=acting_member(request), decision=_decision(request, decision_id), text=data.text
    )
    return Status(201, Done(done="decision.dissent", id=str(row.pk)))


@router.post("/decisions/{decision_id}/opt-outs", response={201: Done, **ERRORS}, summary="Opt out")
def opt_out(request: HttpRequest, decision_id: int, data: OptOutIn) -> Status[Done]:
    """Declare that one abstains from carrying out a decision that allows it."""
    row = acts.opt_out(
        actor=acting_member(request), decision=_decision(request, decision_id), reason=data.reason
    )
    return Status(201, Done(done="decision.opt-out", id=str(row.pk)))
