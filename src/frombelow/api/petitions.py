"""Petitions: open one (a recall with its reason, a referendum, a reopening), read its count
against its threshold, sign it once. Its opener is its first signer; a petition for what an open
one already asks is refused (409) with the open one named."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.responses import Status

from frombelow.api.auth import acting_member, member_of
from frombelow.api.bodies import PetitionOut, petition_out
from frombelow.api.common import ERRORS, LIMITED, iso, reading
from frombelow.http.ratelimit import limited, refuse_json
from frombelow.services import petitions
from frombelow.services.queries.bodies import body_named
from frombelow.services.queries.decisions import decision_with_id
from frombelow.services.queries.kinds import PetitionKind
from frombelow.services.queries.petitions import (
    has_signed,
    motion_opened_by,
    petition_with_id,
    petitions_to,
    referendum_opened_by,
)
from frombelow.services.queries.terms import term_with_id

if TYPE_CHECKING:
    from frombelow.services.queries.rows import Petition

router = Router(tags=["petitions"])

REASON_LENGTH = 5000


class PetitionDetail(PetitionOut):
    """A petition whole: what it asks and why, who opened it, and what it opened once reached."""

    body: str
    reason: str = Field(description="why it is asked, as its opener stated it")
    opened_by: int = Field(description="the member who opened it, its first signer")
    opened_by_name: str
    opened_at: str
    term: int | None = Field(description="a recall's term, whose holder it asks to recall")
    decision: int | None = Field(description="a reopening's decision, to put back on the agenda")
    signed: bool = Field(description="whether the asking member has signed it")
    opened_motion: int | None = Field(description="the recall or reopened motion it opened")
    opened_referendum: int | None = Field(description="the referendum it opened")


class PetitionIn(Schema):
    """A petition to open: a recall names a term of the body and states its reason; a reopening
    names a decision of the body; a referendum (to a council) states its question."""

    kind: PetitionKind
    question: str = Field(
        default="",
        max_length=300,
        description="what it asks; a recall's and a reopening's are written for it if left out",
    )
    reason: str = Field(
        default="", max_length=REASON_LENGTH, description="why it is asked: a recall states one"
    )
    term: int | None = Field(default=None, description="a recall: the id of the term")
    decision: int | None = Field(default=None, description="a reopening: the id of the decision")


def petition_detail(petition: Petition, request: HttpRequest) -> PetitionDetail:
    """Describe a petition whole, with whether the asking member has signed it."""
    member = member_of(request)
    opened = motion_opened_by(petition) if petition.reached_at else None
    referendum = referendum_opened_by(petition)
    return PetitionDetail(
        **petition_out(petition).dict(),
        body=petition.body.slug,
        reason=petition.text,
        opened_by=petition.opened_by_id,
        opened_by_name=petition.opened_by.name,
        opened_at=iso(petition.opened_at) or "",
        term=petition.term_id,
        decision=petition.decision_id,
        signed=member is not None and has_signed(petition, member),
        opened_motion=opened.pk if opened else None,
        opened_referendum=referendum.pk if referendum else None,
    )


def _petition(request: HttpRequest, petition_id: int) -> Petition:
    petition = petition_with_id(petition_id)
    reading(request, petition.body)
    return petition


@router.get(
    "/petitions/{petition_id}", response={200: PetitionDetail, **ERRORS}, summary="Read a petition"
)
def read_petition(request: HttpRequest, petition_id: int) -> PetitionDetail:
    """Return a petition and its count against the threshold fixed when it opened."""
    return petition_detail(_petition(request, petition_id), request)


@router.post(
    "/petitions/{petition_id}/signatures",
    response={201: PetitionDetail, **LIMITED},
    summary="Sign a petition",
)
@limited("sign", refuse_json)
def sign(request: HttpRequest, petition_id: int) -> Status[PetitionDetail]:
    """Sign the petition; the signature that reaches the threshold opens what it asks for."""
    petition = _petition(request, petition_id)
    petitions.sign_petition(actor=acting_member(request), petition=petition)
    return Status(201, petition_detail(petition_with_id(petition.pk), request))


# Listing and opening share their path, so they share this router: the bodies' router defines
# no operation on it.
@router.get(
    "/bodies/{slug}/petitions",
    response={200: list[PetitionOut], **ERRORS},
    summary="List petitions to a body",
)
def list_petitions(request: HttpRequest, slug: str) -> list[PetitionOut]:
    """Return the petitions to the body with their counts."""
    body = body_named(slug)
    reading(request, body)
    return [petition_out(p) for p in petitions_to(body)]


@router.post(
    "/bodies/{slug}/petitions",
    response={201: PetitionDetail, **LIMITED},
    summary="Open a petition",
)
@limited("petition", refuse_json)
def open_petition(request: HttpRequest, slug: str, data: PetitionIn) -> Status[PetitionDetail]:
    """Open a petition to a body one may sign for, signed by its opener; the threshold reached
    opens what it asks by itself."""
    body = body_named(slug)
    reading(request, body)
    term = term_with_id(data.term) if data.term is not None else None
    decision = decision_with_id(data.decision) if data.decision is not None else None
    question = data.question.strip()
    if not question and data.kind == PetitionKind.RECALL and term is not None:
        question = _("Recall %(name)s") % {"name": term.holder.name}
    if not question and decision is not None and decision.motion is not None:
        question = _("Reopen: %(title)s") % {"title": decision.motion.title}
    opened = petitions.open_petition(
        actor=acting_member(request),
        kind=data.kind.value,
        body=body,
        question=question[:300],
        text=data.reason,
        term=term,
        decision=decision,
    )
    return Status(201, petition_detail(petition_with_id(opened.pk), request))
