"""Tendencies: every one with how many adhere; founding one, joining and leaving it by one's own
act, publishing its statements to the bodies one belongs to. A tendency shows how many adhere,
not who; its statements show to the readers of the bodies they were addressed to, a hidden one
with its hiding and without its text."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.responses import Status

from frombelow.api.auth import acting_member, viewer_of
from frombelow.api.common import ERRORS, iso
from frombelow.services import access, clock, tendencies
from frombelow.services.queries.bodies import body_named
from frombelow.services.queries.tendencies import (
    adherents_of,
    adheres,
    candidacies_for,
    statements_of,
    tendencies_by_name,
    tendency_with_slug,
)

if TYPE_CHECKING:
    from frombelow.services.queries.rows import Statement, Tendency

router = Router(tags=["tendencies"])


class TendencyOut(Schema):
    """A tendency, and how many members adhere to it now."""

    slug: str
    name: str
    founded_at: str
    adherents: int


class TendencyStatementOut(Schema):
    """A statement of the tendency; a hidden one keeps its title and says when and by which
    decision it was hidden, not its text."""

    id: int
    body: str
    title: str
    text: str | None
    author: int
    published_at: str
    hidden: bool
    hidden_at: str | None
    hidden_by: int | None = Field(description="the decision of the body that hid it")


class CandidateOut(Schema):
    """A member standing in an election for the tendency."""

    election: int
    body: str
    office: str
    member: int
    name: str


class TendencyDetail(TendencyOut):
    """A tendency with its statements and candidates where the asking member reads."""

    adheres: bool = Field(description="whether the asking member adheres to it")
    statements: list[TendencyStatementOut]
    candidates: list[CandidateOut]


class TendencyIn(Schema):
    """A tendency to found; its slug comes from its name if left out."""

    name: str = Field(min_length=1, max_length=tendencies.NAME_LENGTH)
    slug: str = Field(default="", max_length=100, pattern=r"^([a-z0-9]+(-[a-z0-9]+)*)?$")


class StatementIn(Schema):
    """A statement to publish to a body the author belongs to, or to a council above it."""

    body: str = Field(description="the slug of the body it is addressed to")
    title: str = Field(min_length=1, max_length=tendencies.TITLE_LENGTH)
    text: str = Field(min_length=1, max_length=tendencies.TEXT_LENGTH)


def statement_out(statement: Statement) -> TendencyStatementOut:
    """Describe a statement; a hidden one without its text."""
    hiding = getattr(statement, "hiding", None)
    return TendencyStatementOut(
        id=statement.pk,
        body=statement.body.slug,
        title=statement.title,
        text=None if hiding else statement.text,
        author=statement.author_id,
        published_at=iso(statement.published_at) or "",
        hidden=hiding is not None,
        hidden_at=iso(hiding.hidden_at) if hiding else None,
        hidden_by=hiding.decision_id if hiding else None,
    )


def _out(tendency: Tendency, adherents: int) -> TendencyOut:
    return TendencyOut(
        slug=tendency.slug,
        name=tendency.name,
        founded_at=iso(tendency.founded_at) or "",
        adherents=adherents,
    )


def tendency_detail(request: HttpRequest, tendency: Tendency) -> TendencyDetail:
    """Describe a tendency as the asking member may read it."""
    member = acting_member(request)
    readable = access.readable_bodies(viewer_of(request), clock.now())
    return TendencyDetail(
        **_out(tendency, adherents_of(tendency)).dict(),
        adheres=adheres(member, tendency),
        statements=[statement_out(s) for s in statements_of(tendency, readable)],
        candidates=[
            CandidateOut(
                election=c.election_id,
                body=c.election.body.slug,
                office=c.election.office,
                member=c.member_id,
                name=c.member.name,
            )
            for c in candidacies_for(tendency, readable)
        ],
    )


@router.get("/tendencies", response={200: list[TendencyOut], **ERRORS}, summary="List tendencies")
def list_tendencies(request: HttpRequest) -> list[TendencyOut]:
    """Return every tendency by name, with how many adhere to it now."""
    acting_member(request)
    return [_out(t, adherents) for t, adherents in tendencies_by_name()]


@router.post("/tendencies", response={201: TendencyDetail, **ERRORS}, summary="Found a tendency")
def found(request: HttpRequest, data: TendencyIn) -> Status[TendencyDetail]:
    """Found a tendency, its founder its first adherent."""
    made = tendencies.found_tendency(actor=acting_member(request), name=data.name, slug=data.slug)
    return Status(201, tendency_detail(request, made))


@router.get(
    "/tendencies/{slug}", response={200: TendencyDetail, **ERRORS}, summary="Read a tendency"
)
def read_tendency(request: HttpRequest, slug: str) -> TendencyDetail:
    """Return a tendency, how many adhere, its statements and candidates where one reads."""
    return tendency_detail(request, tendency_with_slug(slug))


@router.post(
    "/tendencies/{slug}/adherence",
    response={201: TendencyDetail, **ERRORS},
    summary="Join a tendency",
)
def join(request: HttpRequest, slug: str) -> Status[TendencyDetail]:
    """Adhere to the tendency, by one's own act."""
    tendency = tendency_with_slug(slug)
    tendencies.adhere(actor=acting_member(request), tendency=tendency)
    return Status(201, tendency_detail(request, tendency))


@router.delete(
    "/tendencies/{slug}/adherence",
    response={200: TendencyDetail, **ERRORS},
    summary="Leave a tendency",
)
def leave(request: HttpRequest, slug: str) -> TendencyDetail:
    """Leave the tendency, by one's own act; what one published stays published."""
    tendency = tendency_with_slug(slug)
    tendencies.leave_tendency(actor=acting_member(request), tendency=tendency)
    return tendency_detail(request, tendency)


@router.post(
    "/tendencies/{slug}/statements",
    response={201: TendencyStatementOut, **ERRORS},
    summary="Publish a statement",
)
def publish(request: HttpRequest, slug: str, data: StatementIn) -> Status[TendencyStatementOut]:
    """Publish the tendency's statement to a body one belongs to (or a council above it)."""
    made = tendencies.publish_statement(
        actor=acting_member(request),
        tendency=tendency_with_slug(slug),
        body=body_named(data.body),
        title=data.title,
        text=data.text,
    )
    return Status(201, statement_out(made))
