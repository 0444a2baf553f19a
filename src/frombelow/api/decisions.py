"""Decisions: read one with its dissents, opt-outs, standing and implementation; dissent; opt
out; report progress on carrying it out."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.responses import Status

from frombelow.api.auth import acting_member
from frombelow.api.bodies import DecisionOut, decision_out
from frombelow.api.common import ERRORS, Done, reading
from frombelow.core.errors import DecisionError
from frombelow.services import clock
from frombelow.services import decisions as acts
from frombelow.services.queries.decisions import (
    decision_with_id,
    implementation_of,
    implementers_of,
    is_overdue,
    progress_reports,
    standing_of,
)

if TYPE_CHECKING:
    from frombelow.services.queries.rows import Decision, ProgressReport

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


class ReportOut(Schema):
    """A progress report from one named to carry the decision out."""

    id: int
    author: int
    text: str
    done: bool
    reported_at: str


class ImplementationOut(Schema):
    """Who carries the decision out (member ids), by when, whether that date has passed with no
    report saying it is done, and their reports."""

    implementers: list[int]
    due_on: str | None
    overdue: bool
    reports: list[ReportOut]


class ProgressIn(Schema):
    """A report on carrying the decision out; `done` says it is carried out."""

    text: str = Field(min_length=1, max_length=100_000)
    done: bool = False


class DecisionDetail(DecisionOut):
    """A decision with where it stands, its dissents, its opt-outs and its implementation."""

    body: str
    standing: str
    provisional_because: str
    ratify_by: str | None
    dissents: list[DissentOut]
    opt_outs: list[OptOutOut]
    implementation: ImplementationOut | None


class DissentIn(Schema):
    """The dissenting statement."""

    text: str = Field(min_length=1, max_length=100_000)


class OptOutIn(Schema):
    """Why one opts out (optional)."""

    reason: str = Field(default="", max_length=10_000)


def report_out(report: ProgressReport) -> ReportOut:
    """Describe a progress report."""
    return ReportOut(
        id=report.pk,
        author=report.author_id,
        text=report.text,
        done=report.done,
        reported_at=report.reported_at.isoformat(),
    )


def implementation_out(decision: Decision) -> ImplementationOut | None:
    """Describe who carries the decision out and how far they are, if its motion named anyone."""
    implementation = implementation_of(decision)
    if implementation is None:
        return None
    return ImplementationOut(
        implementers=[m.pk for m in implementers_of(implementation)],
        due_on=implementation.due_on.isoformat() if implementation.due_on else None,
        overdue=is_overdue(implementation, clock.now()),
        reports=[report_out(r) for r in progress_reports(implementation)],
    )


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
        implementation=implementation_out(decision),
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


@router.post(
    "/decisions/{decision_id}/progress",
    response={201: ReportOut, **ERRORS},
    summary="Report progress",
)
def report_progress(request: HttpRequest, decision_id: int, data: ProgressIn) -> Status[ReportOut]:
    """Report to the body on carrying out a decision, as one its motion named to do it."""
    decision = _decision(request, decision_id)
    implementation = implementation_of(decision)
    if implementation is None:
        raise DecisionError("this decision names no one to carry it out")
    row = acts.report_progress(
        actor=acting_member(request), implementation=implementation, text=data.text, done=data.done
    )
    return Status(201, report_out(row))
