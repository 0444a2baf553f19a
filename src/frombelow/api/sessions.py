"""Council sessions: the agenda and, per item, the mandate table and each delegation's vote; the
acts from scheduling to closing; a member body's mandate and ratification, proposed as motions."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.responses import Status
from pydantic import AwareDatetime

from frombelow.api.auth import acting_member
from frombelow.api.bodies import DecisionOut, decision_out
from frombelow.api.common import ERRORS, iso, reading
from frombelow.api.motions import MotionDetail, motion_detail
from frombelow.core.errors import DecisionError
from frombelow.services import deciding, motions, sessions
from frombelow.services.queries.bodies import body_named
from frombelow.services.queries.decisions import decision_with_id
from frombelow.services.queries.kinds import MotionKindCode
from frombelow.services.queries.motions import motion_with_id
from frombelow.services.queries.sessions import item_with_id, session_with_id
from frombelow.services.queries.votes import vote_on_item

if TYPE_CHECKING:
    from frombelow.services.queries.rows import Item, Session, Vote

router = Router(tags=["sessions"])


class MandateRow(Schema):
    """A member body's mandate on an item, its delegation's weight, and its vote as derived."""

    member_body: str
    kind: str | None
    option: str
    shares: dict[str, int]
    weight: int | None
    votes: dict[str, int] | None
    derivation: str | None


class ItemOut(Schema):
    """An item of the agenda: a motion, its vote, and the mandate table."""

    id: int
    number: int
    motion: int
    title: str
    new_matter: bool
    vote: int | None
    mandates: list[MandateRow]


class SessionOut(Schema):
    """A council's session: when, whether open, and its agenda."""

    id: int
    council: str
    title: str
    starts_at: str
    agenda_sent_at: str | None
    opened_at: str | None
    closed_at: str | None
    items: list[ItemOut]


def _table(item: Any, vote: Vote | None, weights: dict[str, int]) -> list[MandateRow]:
    mandates = {m.member_body.slug: m for m in item.mandates.select_related("member_body")}
    derived = (
        {d.member_body.slug: d for d in vote.delegation_votes.select_related("member_body")}
        if vote is not None
        else {}
    )
    rows = []
    for slug in sorted(set(mandates) | set(derived) | set(weights)):
        mandate, dv = mandates.get(slug), derived.get(slug)
        rows.append(
            MandateRow(
                member_body=slug,
                kind=mandate.kind if mandate else None,
                option=mandate.option if mandate else "",
                shares=dict(mandate.shares) if mandate else {},
                weight=weights.get(slug),
                votes=dict(dv.votes) if dv else None,
                derivation=dv.derivation if dv else None,
            )
        )
    return rows


def item_out(item: Item, weights: dict[str, int]) -> ItemOut:
    """Describe an agenda item with its mandate table."""
    vote = vote_on_item(item)
    return ItemOut(
        id=item.pk,
        number=item.number,
        motion=item.motion_id,
        title=item.motion.title,
        new_matter=item.new_matter,
        vote=vote.pk if vote else None,
        mandates=_table(item, vote, weights),
    )


def session_out(session: Session) -> SessionOut:
    """Describe a session with its agenda."""
    weights = {
        d.member_body.slug: d.weight for d in session.delegations.select_related("member_body")
    }
    return SessionOut(
        id=session.pk,
        council=session.body.slug,
        title=session.title,
        starts_at=session.starts_at.isoformat(),
        agenda_sent_at=iso(session.agenda_sent_at),
        opened_at=iso(session.opened_at),
        closed_at=iso(session.closed_at),
        items=[
            item_out(item, weights)
            for item in session.items.select_related("motion").order_by("number")
        ],
    )


@router.get(
    "/sessions/{session_id}", response={200: SessionOut, **ERRORS}, summary="Read a session"
)
def read_session(request: HttpRequest, session_id: int) -> SessionOut:
    """Return a session's agenda with each item's mandate table and derived votes."""
    session = session_with_id(session_id)
    reading(request, session.body)
    return session_out(session)


class SessionIn(Schema):
    """A session to schedule: its title, and when it starts (with its time zone)."""

    title: str = Field(min_length=1, max_length=300)
    starts_at: AwareDatetime


class ItemIn(Schema):
    """A submitted motion of the council to put on the agenda, by its id."""

    motion: int


class MandateMotionIn(Schema):
    """A member body's mandate on an item, proposed as its decide-mandate motion.

    Bound: the delegation votes as the body's vote decides (yes if the motion carries, no if it
    is lost); proportional: its weight is split as the body voted; free: its delegates choose.
    """

    body: str = Field(min_length=1, max_length=100, description="the member body's slug")
    mandate: Literal["bound", "proportional", "free"]
    title: str = Field(default="", max_length=300)
    text: str = Field(default="", max_length=100_000)


class RatifyMotionIn(Schema):
    """A member body's answer on a council's provisional decision, proposed as its ratify motion:
    carried, the body ratifies; lost, it rejects."""

    body: str = Field(min_length=1, max_length=100, description="the member body's slug")
    title: str = Field(default="", max_length=300)
    text: str = Field(default="", max_length=100_000)


def _session(request: HttpRequest, session_id: int) -> Session:
    session = session_with_id(session_id)
    reading(request, session.body)
    return session


def _item(request: HttpRequest, item_id: int) -> Item:
    item = item_with_id(item_id)
    reading(request, item.session.body)
    return item


@router.post(
    "/bodies/{slug}/sessions",
    response={201: SessionOut, **ERRORS},
    summary="Schedule a council's session",
)
def schedule(request: HttpRequest, slug: str, data: SessionIn) -> Status[SessionOut]:
    """Schedule a session of a council one sits in as a delegate."""
    council = body_named(slug)
    reading(request, council)
    session = sessions.schedule_session(
        actor=acting_member(request), council=council, title=data.title, starts_at=data.starts_at
    )
    return Status(201, session_out(session_with_id(session.pk)))


@router.post(
    "/sessions/{session_id}/items",
    response={201: ItemOut, **ERRORS},
    summary="Add an item to a session's agenda",
)
def add_item(request: HttpRequest, session_id: int, data: ItemIn) -> Status[ItemOut]:
    """Put a submitted motion of the council on the agenda (raised at the session once open)."""
    session = _session(request, session_id)
    motion = motion_with_id(data.motion)
    reading(request, motion.body)  # a motion one may not read is not one to name here
    item = sessions.add_item(actor=acting_member(request), session=session, motion=motion)
    return Status(201, item_out(item_with_id(item.pk), {}))


@router.post(
    "/sessions/{session_id}/agenda",
    response={200: SessionOut, **ERRORS},
    summary="Send a session's agenda down",
)
def send_agenda(request: HttpRequest, session_id: int) -> SessionOut:
    """Send the agenda down to the member bodies, by the statute's mandate deadline."""
    session = _session(request, session_id)
    sessions.send_agenda(actor=acting_member(request), session=session)
    return session_out(session_with_id(session.pk))


@router.post(
    "/sessions/{session_id}/open",
    response={200: SessionOut, **ERRORS},
    summary="Open a session",
)
def open_session(request: HttpRequest, session_id: int) -> SessionOut:
    """Open the session: seat the delegations and derive the mandated votes."""
    session = _session(request, session_id)
    sessions.open_session(actor=acting_member(request), session=session)
    return session_out(session_with_id(session.pk))


@router.post(
    "/sessions/{session_id}/close",
    response={200: SessionOut, **ERRORS},
    summary="Close a session",
)
def close_session(request: HttpRequest, session_id: int) -> SessionOut:
    """Close a session once each of its items is decided."""
    session = _session(request, session_id)
    sessions.close_session(actor=acting_member(request), session=session)
    return session_out(session_with_id(session.pk))


@router.post(
    "/items/{item_id}/decision",
    response={201: DecisionOut, **ERRORS},
    summary="Decide an item",
)
def decide_item(request: HttpRequest, item_id: int) -> Status[DecisionOut]:
    """Count an item's vote: at its closing time, or once every delegation that can vote has."""
    item = _item(request, item_id)
    vote = vote_on_item(item)
    if vote is None:
        raise DecisionError(
            "item %(number)s has no vote until the session opens", number=item.number
        )
    decision = deciding.close_session_vote(actor=acting_member(request), vote=vote)
    return Status(201, decision_out(decision))


@router.post(
    "/items/{item_id}/mandate-motions",
    response={201: MotionDetail, **ERRORS},
    summary="Propose a member body's mandate on an item",
)
def propose_mandate(
    request: HttpRequest, item_id: int, data: MandateMotionIn
) -> Status[MotionDetail]:
    """Propose a draft decide-mandate motion to a member body one takes part in."""
    item = _item(request, item_id)
    title = data.title.strip() or f"Our mandate on {item.motion.title}"
    motion = motions.propose_motion(
        actor=acting_member(request),
        body=body_named(data.body),
        title=title,
        text=data.text.strip() or title,
        kind=MotionKindCode.DECIDE_MANDATE,
        details={"mandate": data.mandate},
        council_item=item,
    )
    return Status(201, motion_detail(motion))


@router.post(
    "/decisions/{decision_id}/ratify-motions",
    response={201: MotionDetail, **ERRORS},
    summary="Propose a member body's ratification of a provisional decision",
)
def propose_ratification(
    request: HttpRequest, decision_id: int, data: RatifyMotionIn
) -> Status[MotionDetail]:
    """Propose a draft ratify motion to a member body one takes part in."""
    decision = decision_with_id(decision_id)
    reading(request, decision.body)
    title = data.title.strip() or f"Ratify {decision.vote.question}"
    motion = motions.propose_motion(
        actor=acting_member(request),
        body=body_named(data.body),
        title=title,
        text=data.text.strip() or title,
        kind=MotionKindCode.RATIFY,
        decision=decision,
    )
    return Status(201, motion_detail(motion))
