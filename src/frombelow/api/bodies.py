"""Bodies: the ones I may read, one body's roll, statute, officers, delegates, decisions,
statements and record. (A body's petitions are listed and opened in `petitions`.)"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from frombelow.api.auth import viewer_of
from frombelow.api.common import ERRORS, iso, reading
from frombelow.services import access, clock
from frombelow.services.queries.bodies import (
    body_named,
    councils_at,
    member_bodies_at,
    memberships_at,
    statute_version,
)
from frombelow.services.queries.decisions import decisions_of
from frombelow.services.queries.entries import entries_of
from frombelow.services.queries.kinds import BodyKind
from frombelow.services.queries.statements import statements_to
from frombelow.services.queries.terms import seats_in, terms_held_in
from frombelow.services.weights import representation_at

if TYPE_CHECKING:
    from frombelow.services.queries.rows import Decision, Petition, Term

router = Router(tags=["bodies"])


class BodyOut(Schema):
    """A body in a list."""

    slug: str
    name: str
    kind: str


class TermOut(Schema):
    """A seat or office held now, from the election that gave it to a date fixed at its start."""

    id: int = Field(description="the term's id, by which its holder resigns it")
    body: str
    holder: int
    holder_name: str
    office: str
    council: str | None
    started_at: str
    ends_at: str


class MemberBodyOut(Schema):
    """A council's member body and the weight it votes with now."""

    slug: str
    name: str
    weight: int
    seats: int


class BodyDetail(Schema):
    """A body: what it is, its statute in force, where it sits in the federation, who serves it."""

    slug: str
    name: str
    kind: str
    founded_at: str
    statute_version: int
    statute: dict[str, Any]
    councils: list[str]
    member_bodies: list[MemberBodyOut]
    officers: list[TermOut]
    delegates: list[TermOut]


class RollEntry(Schema):
    """A member on an assembly's roll; the e-mail only for those the rules let see it."""

    id: int
    name: str
    member_number: str
    joined_at: str
    email: str | None


class DecisionOut(Schema):
    """A decision: the outcome of a vote, and whether it binds or awaits ratification."""

    id: int
    vote: int
    motion: int | None
    outcome: str
    winners: list[str]
    turnout: int
    decided_at: str
    provisional: bool


class StatementOut(Schema):
    """A tendency's statement to the body; a hidden one shows only that it was hidden."""

    id: int
    tendency: str
    title: str
    text: str | None
    published_at: str
    hidden: bool


class PetitionOut(Schema):
    """A petition to the body and its count against the threshold fixed when it opened."""

    id: int
    kind: str
    question: str
    signatures: int
    required: int
    entitled: int
    reached: bool


class EntryOut(Schema):
    """One entry of the record."""

    seq: int
    recorded_at: str
    actor: str
    action: str
    subject: str
    data: dict[str, Any]


class Page(Schema):
    """A page of the body's record, oldest first."""

    total: int
    offset: int
    entries: list[EntryOut]


def term_out(term: Term) -> TermOut:
    """Describe a term held."""
    return TermOut(
        id=term.pk,
        body=term.body.slug,
        holder=term.holder_id,
        holder_name=term.holder.name,
        office=term.office,
        council=term.council.slug if term.council else None,
        started_at=term.started_at.isoformat(),
        ends_at=term.ends_at.isoformat(),
    )


def petition_out(petition: Petition) -> PetitionOut:
    """Describe a petition with its count."""
    return PetitionOut(
        id=petition.pk,
        kind=petition.kind,
        question=petition.question,
        signatures=petition.signatures.count(),
        required=petition.required,
        entitled=petition.entitled,
        reached=petition.reached_at is not None,
    )


def decision_out(decision: Decision) -> DecisionOut:
    """Describe a decision."""
    return DecisionOut(
        id=decision.pk,
        vote=decision.vote_id,
        motion=decision.motion_id,
        outcome=decision.outcome,
        winners=list(decision.winners),
        turnout=decision.turnout,
        decided_at=decision.decided_at.isoformat(),
        provisional=decision.provisional,
    )


@router.get("/bodies", response={200: list[BodyOut], **ERRORS}, summary="List the bodies I read")
def list_bodies(request: HttpRequest) -> list[BodyOut]:
    """Return the bodies whose internal items the asking member may read."""
    bodies = access.readable_bodies(viewer_of(request), clock.now())
    return [BodyOut(slug=b.slug, name=b.name, kind=b.kind) for b in bodies]


@router.get("/bodies/{slug}", response={200: BodyDetail, **ERRORS}, summary="Read a body")
def read_body(request: HttpRequest, slug: str) -> BodyDetail:
    """Return a body, its statute in force, its councils, member bodies, officers and delegates."""
    body = body_named(slug)
    reading(request, body)
    now = clock.now()
    version = statute_version(body)
    member_bodies: list[MemberBodyOut] = []
    if body.kind == BodyKind.COUNCIL:
        names = dict(member_bodies_at(body, now).values_list("slug", "name"))
        if names:
            for delegation in representation_at(body, now, seed=None).delegations:
                member_bodies.append(
                    MemberBodyOut(
                        slug=delegation.body,
                        name=names.get(delegation.body, delegation.body),
                        weight=delegation.weight,
                        seats=delegation.seats,
                    )
                )
    held = terms_held_in(body, now)
    delegates = [t for t in held if t.council_id is not None] + seats_in(body, now)
    return BodyDetail(
        slug=body.slug,
        name=body.name,
        kind=body.kind,
        founded_at=body.founded_at.isoformat(),
        statute_version=version.number,
        statute=dict(version.rules),
        councils=sorted(councils_at(body, now).values_list("slug", flat=True)),
        member_bodies=member_bodies,
        officers=[term_out(t) for t in held if t.council_id is None],
        delegates=[term_out(t) for t in delegates],
    )


@router.get(
    "/bodies/{slug}/members", response={200: list[RollEntry], **ERRORS}, summary="Read a roll"
)
def read_roll(request: HttpRequest, slug: str) -> list[RollEntry]:
    """Return an assembly's roll now; e-mails only to whom the access rules show them."""
    body = body_named(slug)
    viewer = reading(request, body)
    now = clock.now()
    roll = memberships_at(body, now)
    seen = access.contacts_seen(viewer, roll.values("member_id"), now)
    return [
        RollEntry(
            id=m.member_id,
            name=m.member.name,
            member_number=m.member_number,
            joined_at=m.joined_at.isoformat(),
            email=m.member.email if m.member_id in seen else None,
        )
        for m in roll.select_related("member").order_by("member__name", "pk")
    ]


@router.get(
    "/bodies/{slug}/decisions",
    response={200: list[DecisionOut], **ERRORS},
    summary="List a body's decisions",
)
def list_decisions(request: HttpRequest, slug: str) -> list[DecisionOut]:
    """Return the body's decisions, oldest first."""
    body = body_named(slug)
    reading(request, body)
    return [decision_out(d) for d in decisions_of(body)]


@router.get(
    "/bodies/{slug}/statements",
    response={200: list[StatementOut], **ERRORS},
    summary="List tendencies' statements to a body",
)
def list_statements(request: HttpRequest, slug: str) -> list[StatementOut]:
    """Return the statements published to the body; a hidden one keeps its title, not its text."""
    body = body_named(slug)
    reading(request, body)
    return [
        StatementOut(
            id=s.pk,
            tendency=s.tendency.slug,
            title=s.title,
            text=None if hasattr(s, "hiding") else s.text,
            published_at=s.published_at.isoformat(),
            hidden=hasattr(s, "hiding"),
        )
        for s in statements_to(body)
    ]


class PageQuery(Schema):
    """Which entries of the record to return."""

    offset: int = Field(default=0, ge=0)
    limit: int = Field(default=50, ge=1, le=200)


@router.get("/bodies/{slug}/record", response={200: Page, **ERRORS}, summary="Page a record")
def read_record(request: HttpRequest, slug: str, page: Query[PageQuery]) -> Page:
    """Return a page of the body's record entries, oldest first."""
    body = body_named(slug)
    reading(request, body)
    offset, limit = page.offset, page.limit
    entries = entries_of(body)
    return Page(
        total=entries.count(),
        offset=offset,
        entries=[
            EntryOut(
                seq=e.seq,
                recorded_at=iso(e.recorded_at) or "",
                actor=e.actor,
                action=e.action,
                subject=e.subject,
                data=dict(e.data),
            )
            for e in entries[offset : offset + limit]
        ],
    )
