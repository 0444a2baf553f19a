"""Motions: list a body's, read one, propose, submit, support, amend."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.responses import Status

from frombelow.api.auth import acting_member
from frombelow.api.bodies import DecisionOut, decision_out
from frombelow.api.common import ERRORS, Done, reading
from frombelow.services import motions
from frombelow.services.queries.bodies import body_named
from frombelow.services.queries.decisions import decision_on_motion
from frombelow.services.queries.kinds import MotionKindCode
from frombelow.services.queries.motions import motion_with_id, motions_of

if TYPE_CHECKING:
    from frombelow.services.queries.rows import Amendment, Motion

router = Router(tags=["motions"])


class MotionOut(Schema):
    """A motion in a list."""

    id: int
    body: str
    kind: str
    title: str
    status: str
    proposer: int | None


class AmendmentOut(Schema):
    """A proposed new text for a motion, and where it stands."""

    id: int
    proposer: int
    text: str
    status: str


class MotionDetail(MotionOut):
    """A motion: its text, supporters, amendments, votes and decision."""

    text: str
    matter: str
    details: dict[str, Any]
    supporters: int
    amendments: list[AmendmentOut]
    votes: list[int]
    decision: DecisionOut | None


class MotionIn(Schema):
    """A motion to propose to a body."""

    title: str = Field(min_length=1, max_length=300)
    text: str = Field(min_length=1, max_length=100_000)
    kind: MotionKindCode = MotionKindCode.GENERAL
    matter: str = Field(default="", max_length=100)
    opt_out_allowed: bool = False
    details: dict[str, Any] = Field(default_factory=dict)


class AmendmentIn(Schema):
    """A whole new text for the motion."""

    text: str = Field(min_length=1, max_length=100_000)


def motion_out(motion: Motion) -> MotionOut:
    """Describe a motion in a list."""
    return MotionOut(
        id=motion.pk,
        body=motion.body.slug,
        kind=motion.kind,
        title=motion.title,
        status=motion.status,
        proposer=motion.proposer_id,
    )


def motion_detail(motion: Motion) -> MotionDetail:
    """Describe a motion whole."""
    decision = decision_on_motion(motion)
    return MotionDetail(
        **motion_out(motion).dict(),
        text=motion.text,
        matter=motion.matter,
        details=dict(motion.details),
        supporters=motion.supports.count(),
        amendments=[
            AmendmentOut(id=a.pk, proposer=a.proposer_id, text=a.text, status=a.status)
            for a in motion.amendments.order_by("pk")
        ],
        votes=list(motion.votes.order_by("pk").values_list("pk", flat=True)),
        decision=decision_out(decision) if decision else None,
    )


def _motion(request: HttpRequest, motion_id: int) -> Motion:
    motion = motion_with_id(motion_id)
    reading(request, motion.body)
    return motion


@router.get(
    "/bodies/{slug}/motions",
    response={200: list[MotionOut], **ERRORS},
    summary="List a body's motions",
)
def list_motions(request: HttpRequest, slug: str) -> list[MotionOut]:
    """Return the body's motions, oldest first."""
    body = body_named(slug)
    reading(request, body)
    return [motion_out(m) for m in motions_of(body)]


@router.post(
    "/bodies/{slug}/motions",
    response={201: MotionDetail, **ERRORS},
    summary="Propose a motion",
)
def propose(request: HttpRequest, slug: str, data: MotionIn) -> Status[MotionDetail]:
    """Propose a draft motion to a body one takes part in."""
    body = body_named(slug)
    reading(request, body)
    motion = motions.propose_motion(
        actor=acting_member(request),
        body=body,
        title=data.title,
        text=data.text,
        kind=data.kind.value,
        matter=data.matter,
        opt_out_allowed=data.opt_out_allowed,
        details=data.details,
    )
    return Status(201, motion_detail(motion))


@router.get("/motions/{motion_id}", response={200: MotionDetail, **ERRORS}, summary="Read a motion")
def read_motion(request: HttpRequest, motion_id: int) -> MotionDetail:
    """Return a motion with its amendments, votes and decision."""
    return motion_detail(_motion(request, motion_id))


@router.post(
    "/motions/{motion_id}/submit", response={200: MotionDetail, **ERRORS}, summary="Submit"
)
def submit(request: HttpRequest, motion_id: int) -> MotionDetail:
    """Submit one's draft motion for debate."""
    motion = motions.submit_motion(actor=acting_member(request), motion=_motion(request, motion_id))
    return motion_detail(motion)


@router.post(
    "/motions/{motion_id}/support", response={201: Done, **ERRORS}, summary="Support a motion"
)
def support(request: HttpRequest, motion_id: int) -> Status[Done]:
    """Support a draft motion of a body one takes part in."""
    row = motions.support_motion(actor=acting_member(request), motion=_motion(request, motion_id))
    return Status(201, Done(done="motion.supported", id=str(row.pk)))


@router.post(
    "/motions/{motion_id}/amendments",
    response={201: AmendmentOut, **ERRORS},
    summary="Propose an amendment",
)
def amend(request: HttpRequest, motion_id: int, data: AmendmentIn) -> Status[AmendmentOut]:
    """Propose a new text for a submitted motion."""
    row: Amendment = motions.propose_amendment(
        actor=acting_member(request), motion=_motion(request, motion_id), text=data.text
    )
    return Status(
        201, AmendmentOut(id=row.pk, proposer=row.proposer_id, text=row.text, status=row.status)
    )
