"""Motions: list a body's, read one, propose, edit a draft, submit, support, amend, withdraw,
and put a motion or an amendment to the vote."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.responses import Status

from frombelow.api.auth import acting_member
from frombelow.api.bodies import DecisionOut, decision_out
from frombelow.api.common import ERRORS, Done, iso, reading
from frombelow.api.errors import InvalidInputError
from frombelow.api.votes import VoteOut, vote_out
from frombelow.services import motions, votes
from frombelow.services.queries.bodies import body_named, statute_of
from frombelow.services.queries.decisions import decision_on_motion
from frombelow.services.queries.kinds import (
    AmendmentStatus,
    BallotKind,
    BodyKind,
    MotionKindCode,
    MotionStatus,
    VoteMode,
)
from frombelow.services.queries.members import members_with_ids
from frombelow.services.queries.motions import (
    amendment_with_id,
    motion_with_id,
    motions_of,
    supporters_of,
)

if TYPE_CHECKING:
    from frombelow.services.queries.rows import Amendment, Member, Motion

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
    """A proposed new text for a motion, and where it stands: while proposed, the soonest its
    body's secretary may put it to the vote (the statute's notice after its proposal)."""

    id: int
    proposer: int
    text: str
    status: str
    proposed_at: str
    may_be_put_from: str | None


class MotionDetail(MotionOut):
    """A motion: its text, supporters (of its text as it stands: an edit drops them), amendments,
    votes and decision. While an assembly's motion is submitted and not yet put to the vote:
    the soonest its elected secretary may put it (`may_be_put_from`, the statute's notice after
    its submission) and when it opens by itself, online, if no one has (`opens_by_itself_at`,
    the statute's deadline)."""

    text: str
    matter: str
    details: dict[str, Any]
    submitted_at: str | None
    may_be_put_from: str | None
    opens_by_itself_at: str | None
    supporters: int
    amendments: list[AmendmentOut]
    votes: list[int]
    decision: DecisionOut | None


class MotionIn(Schema):
    """A motion to propose to a body; if it carries, `implementers` (member ids) carry it out,
    by `implement_by`. A general motion is put as yes / no / abstain, unless its `details` make
    it a choice among options: `{"method": "approval", "options": ["A", "B"]}` (each voter
    approves any of them) or `"method": "schulze"` (each voter ranks them), 2 to 50 options."""

    title: str = Field(min_length=1, max_length=300)
    text: str = Field(min_length=1, max_length=100_000)
    kind: MotionKindCode = MotionKindCode.GENERAL
    matter: str = Field(default="", max_length=100)
    opt_out_allowed: bool = False
    details: dict[str, Any] = Field(default_factory=dict)
    implementers: list[int] = Field(default_factory=list, max_length=1000)
    implement_by: date | None = None


class MotionEdit(Schema):
    """A draft's new title or text; what is left out stays as it is."""

    title: str | None = Field(default=None, min_length=1, max_length=300)
    text: str | None = Field(default=None, min_length=1, max_length=100_000)


class VoteIn(Schema):
    """How the body's elected secretary puts it to the vote, once the statute's notice has
    passed: online until `closes_at` (with its time zone, no sooner than the statute's minimum
    voting period), or at a meeting, whose tally the secretary enters."""

    mode: VoteMode = VoteMode.ONLINE
    closes_at: datetime | None = None
    ballot_kind: BallotKind = BallotKind.OPEN


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
    waiting = motion.status == MotionStatus.SUBMITTED and motion.body.kind == BodyKind.ASSEMBLY
    statute = statute_of(motion.body)
    return MotionDetail(
        **motion_out(motion).dict(),
        text=motion.text,
        matter=motion.matter,
        details=dict(motion.details),
        submitted_at=iso(motion.submitted_at),
        may_be_put_from=iso(
            motions.notice_ends(statute, motions.debated_since(motion)) if waiting else None
        ),
        opens_by_itself_at=iso(votes.due_at(statute, motion) if waiting else None),
        supporters=len(supporters_of(motion)),
        amendments=[amendment_out(a) for a in motion.amendments.order_by("pk")],
        votes=list(motion.votes.order_by("pk").values_list("pk", flat=True)),
        decision=decision_out(decision) if decision else None,
    )


def members_named(field: str, pks: list[int]) -> list[Member]:
    """Return the members with these ids, refusing an id that is no member's."""
    found = members_with_ids(pks)
    missing = sorted(set(pks) - {m.pk for m in found})
    if missing:
        raise InvalidInputError(
            "%(field)s: there is no member %(number)s", field=field, number=missing[0]
        )
    return found


def amendment_out(row: Amendment) -> AmendmentOut:
    """Describe an amendment."""
    proposed = row.status == AmendmentStatus.PROPOSED
    return AmendmentOut(
        id=row.pk,
        proposer=row.proposer_id,
        text=row.text,
        status=row.status,
        proposed_at=row.proposed_at.isoformat(),
        may_be_put_from=iso(
            motions.notice_ends(statute_of(row.motion.body), row.proposed_at) if proposed else None
        ),
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
        implementers=members_named("implementers", data.implementers),
        implement_by=data.implement_by,
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
    return Status(201, amendment_out(row))


@router.patch(
    "/motions/{motion_id}", response={200: MotionDetail, **ERRORS}, summary="Edit a draft"
)
def edit(request: HttpRequest, motion_id: int, data: MotionEdit) -> MotionDetail:
    """Change the title or text of one's own draft before it is submitted; its supporters
    supported the text as it was, and are dropped (the record says how many)."""
    motion = _motion(request, motion_id)
    edited = motions.edit_motion(
        actor=acting_member(request),
        motion=motion,
        title=motion.title if data.title is None else data.title,
        text=motion.text if data.text is None else data.text,
    )
    return motion_detail(edited)


@router.post(
    "/motions/{motion_id}/withdraw",
    response={200: MotionDetail, **ERRORS},
    summary="Withdraw a motion",
)
def withdraw(request: HttpRequest, motion_id: int) -> MotionDetail:
    """Withdraw one's own motion before it is put to the vote."""
    motion = motions.withdraw_motion(
        actor=acting_member(request), motion=_motion(request, motion_id)
    )
    return motion_detail(motion)


def _amendment(request: HttpRequest, amendment_id: int) -> Amendment:
    amendment = amendment_with_id(amendment_id)
    reading(request, amendment.motion.body)
    return amendment


@router.post(
    "/amendments/{amendment_id}/withdraw",
    response={200: AmendmentOut, **ERRORS},
    summary="Withdraw an amendment",
)
def withdraw_amendment(request: HttpRequest, amendment_id: int) -> AmendmentOut:
    """Withdraw one's own amendment before it is put to the vote."""
    row = motions.withdraw_amendment(
        actor=acting_member(request), amendment=_amendment(request, amendment_id)
    )
    return amendment_out(row)


def _closes_at(data: VoteIn) -> datetime | None:
    """Return the vote's closing time, refusing one that does not say its time zone."""
    if data.closes_at is not None and data.closes_at.tzinfo is None:
        raise InvalidInputError(
            "closes_at: %(moment)s has no time zone; write it as 2026-05-01T18:00:00Z",
            moment=data.closes_at.isoformat(),
        )
    return data.closes_at


@router.post(
    "/motions/{motion_id}/votes",
    response={201: VoteOut, **ERRORS},
    summary="Put a motion to the vote",
)
def put_motion(request: HttpRequest, motion_id: int, data: VoteIn) -> Status[VoteOut]:
    """Put a submitted motion to its assembly's vote, as the assembly's elected secretary, once
    the statute's notice has passed: online, or at a meeting."""
    vote = votes.open_vote(
        actor=acting_member(request),
        motion=_motion(request, motion_id),
        mode=data.mode.value,
        ballot_kind=data.ballot_kind.value,
        closes_at=_closes_at(data),
    )
    return Status(201, vote_out(vote))


@router.post(
    "/amendments/{amendment_id}/votes",
    response={201: VoteOut, **ERRORS},
    summary="Put an amendment to the vote",
)
def put_amendment(request: HttpRequest, amendment_id: int, data: VoteIn) -> Status[VoteOut]:
    """Put an amendment to its motion's assembly's vote, before the motion itself, as the
    assembly's elected secretary, once the statute's notice has passed."""
    vote = votes.open_vote(
        actor=acting_member(request),
        amendment=_amendment(request, amendment_id),
        mode=data.mode.value,
        ballot_kind=data.ballot_kind.value,
        closes_at=_closes_at(data),
    )
    return Status(201, vote_out(vote))
