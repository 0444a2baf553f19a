"""Due process: file a charge against a member, a member body or a statement; the accused's
reply; the motion that hears it; the sanction, its appeal to a council above, and the council's
motion on the appeal. Each answer carries its deadlines: when the time to reply ends, from when
the body may vote, when the hearing's vote closes, when a suspension ends.

The accused reads their charge, and the sanctioned member their sanction, even once they are no
longer on the body's roll, so that they can reply and appeal.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.responses import Status

from frombelow.api.auth import acting_member, member_of
from frombelow.api.common import ERRORS, iso, reading
from frombelow.api.errors import InvalidInputError
from frombelow.api.motions import MotionDetail, motion_detail
from frombelow.services import access, charges, hearings, sanctions
from frombelow.services.queries.bodies import body_named
from frombelow.services.queries.charges import (
    appeal_with_id,
    appeals_of,
    charge_with_id,
    charges_before,
    hearings_of,
    latest_vote_on,
    motions_on_appeal,
    reply_due,
    sanction_of,
    sanction_with_id,
)
from frombelow.services.queries.decisions import decision_on_motion
from frombelow.services.queries.members import member_with_id
from frombelow.services.queries.tendencies import statement_with_id

if TYPE_CHECKING:
    from frombelow.services.queries.rows import Charge, Member, Motion, Sanction

router = Router(tags=["due process"])

TEXT_LENGTH = 20_000


class ReplyOut(Schema):
    """The accused's written reply."""

    author: int
    text: str
    replied_at: str


class HearingOut(Schema):
    """A motion that puts the charge (or the appeal) to the vote, and where it stands."""

    motion: int
    kind: str
    title: str
    status: str
    vote_closes_at: str | None = Field(description="when its vote closes, once put")
    outcome: str | None = Field(description="carried or lost, once decided")


class ChargeOut(Schema):
    """A charge, the reply to it, and its hearing, each step with its deadline."""

    id: int
    body: str
    accused_member: int | None
    accused_body: str | None
    statement: int | None
    text: str
    filed_by: int
    filed_at: str
    reply_due: str = Field(description="when the accused's time to reply ends")
    reply: ReplyOut | None
    heard_from: str = Field(description="from when the body may put the charge to the vote")
    hearings: list[HearingOut]
    sanction: int | None


class ChargeIn(Schema):
    """A charge: what the accused did, and one accused."""

    text: str = Field(min_length=1, max_length=TEXT_LENGTH)
    accused_member: int | None = Field(default=None, description="a member's id")
    accused_body: str | None = Field(default=None, description="a member body's slug")
    statement: int | None = Field(default=None, description="a statement's id")


class TextIn(Schema):
    """Words for the record: a reply, an appeal's grounds."""

    text: str = Field(min_length=1, max_length=TEXT_LENGTH)


class HearingIn(Schema):
    """The motion that hears a charge: against a member, the sanction asked."""

    sanction: Literal["suspension", "expulsion", ""] = Field(
        default="", description="against a member: a suspension (with its days) or an expulsion"
    )
    days: int | None = Field(default=None, ge=1, le=3650, description="a suspension's length")
    title: str = Field(default="", max_length=300, description="the usual one if left out")
    text: str = Field(default="", max_length=TEXT_LENGTH, description="the charge's if left out")


class AppealIn(Schema):
    """An appeal of one's own sanction to a council above one's assembly."""

    council: str = Field(description="the council's slug")
    text: str = Field(min_length=1, max_length=TEXT_LENGTH)


class MotionTextIn(Schema):
    """A council's motion on an appeal: its title and text, the usual ones if left out."""

    title: str = Field(default="", max_length=300)
    text: str = Field(default="", max_length=TEXT_LENGTH)


class AppealOut(Schema):
    """An appeal, and the council's motions that decide it."""

    id: int
    council: str
    text: str
    filed_at: str
    hearings: list[HearingOut]


class SanctionOut(Schema):
    """A sanction, until when it lasts, whether it was lifted, and its appeals."""

    id: int
    member: int
    assembly: str
    kind: str
    charge: int
    starts_at: str
    ends_at: str | None = Field(description="a suspension's end; an expulsion has none")
    lifted_at: str | None
    appeals: list[AppealOut]


def _hearing(motion: Motion) -> HearingOut:
    vote = latest_vote_on(motion)
    decision = decision_on_motion(motion)
    return HearingOut(
        motion=motion.pk,
        kind=motion.kind,
        title=motion.title,
        status=motion.status,
        vote_closes_at=iso(vote.closes_at) if vote else None,
        outcome=decision.outcome if decision else None,
    )


def charge_out(charge: Charge) -> ChargeOut:
    """Describe a charge with its reply, its hearing and its deadlines."""
    reply = charges.reply_of(charge)
    due = reply_due(charge)
    sanction = sanction_of(charge)
    return ChargeOut(
        id=charge.pk,
        body=charge.body.slug,
        accused_member=charge.accused_member_id,
        accused_body=charge.accused_body.slug if charge.accused_body else None,
        statement=charge.statement_id,
        text=charge.text,
        filed_by=charge.filed_by_id,
        filed_at=iso(charge.filed_at) or "",
        reply_due=iso(due) or "",
        reply=ReplyOut(
            author=reply.author_id, text=reply.text, replied_at=iso(reply.replied_at) or ""
        )
        if reply
        else None,
        heard_from=iso(reply.replied_at if reply else due) or "",
        hearings=[_hearing(m) for m in hearings_of(charge)],
        sanction=sanction.pk if sanction else None,
    )


def sanction_out(sanction: Sanction) -> SanctionOut:
    """Describe a sanction with its appeals."""
    lifting = getattr(sanction, "lifting", None)
    return SanctionOut(
        id=sanction.pk,
        member=sanction.member_id,
        assembly=sanction.assembly.slug,
        kind=sanction.kind,
        charge=sanction.charge_id,
        starts_at=iso(sanction.starts_at) or "",
        ends_at=iso(sanction.ends_at),
        lifted_at=iso(lifting.lifted_at) if lifting else None,
        appeals=[
            AppealOut(
                id=a.pk,
                council=a.council.slug,
                text=a.text,
                filed_at=iso(a.filed_at) or "",
                hearings=[_hearing(m) for m in motions_on_appeal(a)],
            )
            for a in appeals_of(sanction)
        ],
    )


def _party(request: HttpRequest) -> Member | None:
    return member_of(request)


def _charge(request: HttpRequest, charge_id: int) -> Charge:
    """Return the charge if the asker reads its body or is its accused, else refuse."""
    charge = charge_with_id(charge_id)
    member = _party(request)
    if member is None or not charges.is_accused(member, charge):
        reading(request, charge.body)
    return charge


def _sanction(request: HttpRequest, sanction_id: int) -> Sanction:
    """Return the sanction if the asker is the sanctioned member, or reads its assembly or a
    council it was appealed to, else refuse."""
    sanction = sanction_with_id(sanction_id)
    member = _party(request)
    if member is not None and member.pk == sanction.member_id:
        return sanction
    councils = [a.council for a in appeals_of(sanction)]
    for council in councils:
        try:
            reading(request, council)
        except access.AccessError:
            continue
        return sanction
    reading(request, sanction.assembly)
    return sanction


@router.get(
    "/bodies/{slug}/charges",
    response={200: list[ChargeOut], **ERRORS},
    summary="List the charges before a body",
)
def list_charges(request: HttpRequest, slug: str) -> list[ChargeOut]:
    """Return the charges filed before the body, the latest first."""
    body = body_named(slug)
    reading(request, body)
    return [charge_out(c) for c in charges_before(body)]


@router.post("/bodies/{slug}/charges", response={201: ChargeOut, **ERRORS}, summary="File a charge")
def file_charge(request: HttpRequest, slug: str, data: ChargeIn) -> Status[ChargeOut]:
    """File a charge before a body one takes part in, against one accused."""
    body = body_named(slug)
    reading(request, body)
    named = [x for x in (data.accused_member, data.accused_body, data.statement) if x is not None]
    if len(named) != 1:
        raise InvalidInputError("a charge accuses one member body, one member or one statement")
    charge = charges.file_charge(
        actor=acting_member(request),
        body=body,
        text=data.text,
        accused_member=member_with_id(data.accused_member) if data.accused_member else None,
        accused_body=body_named(data.accused_body) if data.accused_body else None,
        statement=statement_with_id(data.statement) if data.statement else None,
    )
    return Status(201, charge_out(charge))


@router.get("/charges/{charge_id}", response={200: ChargeOut, **ERRORS}, summary="Read a charge")
def read_charge(request: HttpRequest, charge_id: int) -> ChargeOut:
    """Return a charge with its reply, its hearing and its deadlines."""
    return charge_out(_charge(request, charge_id))


@router.post(
    "/charges/{charge_id}/reply", response={201: ChargeOut, **ERRORS}, summary="Reply to a charge"
)
def reply(request: HttpRequest, charge_id: int, data: TextIn) -> Status[ChargeOut]:
    """Enter the accused's written reply, once (a body's, by its secretary or its delegate)."""
    charge = _charge(request, charge_id)
    charges.reply_to_charge(actor=acting_member(request), charge=charge, text=data.text)
    return Status(201, charge_out(charge))


@router.post(
    "/charges/{charge_id}/motions",
    response={201: MotionDetail, **ERRORS},
    summary="Propose the motion that hears a charge",
)
def propose_hearing(request: HttpRequest, charge_id: int, data: HearingIn) -> Status[MotionDetail]:
    """Propose, as a draft, the motion by which the charge's body decides on it: a sanction of
    the accused member, the expulsion of the accused member body, or the hiding of the
    statement. Its vote waits for the reply, or for the end of the time to reply."""
    charge = charge_with_id(charge_id)
    reading(request, charge.body)
    motion = hearings.propose_hearing(
        actor=acting_member(request),
        charge=charge,
        title=data.title,
        text=data.text,
        sanction=data.sanction,
        days=data.days,
    )
    return Status(201, motion_detail(motion))


@router.get(
    "/sanctions/{sanction_id}", response={200: SanctionOut, **ERRORS}, summary="Read a sanction"
)
def read_sanction(request: HttpRequest, sanction_id: int) -> SanctionOut:
    """Return a sanction, until when it lasts, and its appeals."""
    return sanction_out(_sanction(request, sanction_id))


@router.post(
    "/sanctions/{sanction_id}/appeals",
    response={201: SanctionOut, **ERRORS},
    summary="Appeal a sanction",
)
def appeal(request: HttpRequest, sanction_id: int, data: AppealIn) -> Status[SanctionOut]:
    """Appeal one's own sanction to a council above one's assembly."""
    sanction = _sanction(request, sanction_id)
    sanctions.appeal(
        actor=acting_member(request),
        sanction=sanction,
        council=body_named(data.council),
        text=data.text,
    )
    return Status(201, sanction_out(sanction))


@router.post(
    "/appeals/{appeal_id}/motions",
    response={201: MotionDetail, **ERRORS},
    summary="Propose the council's motion on an appeal",
)
def propose_appeal_decision(
    request: HttpRequest, appeal_id: int, data: MotionTextIn
) -> Status[MotionDetail]:
    """Propose, as a draft, the council's motion that lifts the appealed sanction."""
    made = appeal_with_id(appeal_id)
    reading(request, made.council)
    motion = hearings.propose_appeal_decision(
        actor=acting_member(request), appeal=made, title=data.title, text=data.text
    )
    return Status(201, motion_detail(motion))
