"""Council sessions: the agenda and, per item, the mandate table and each delegation's vote; the
elections held in session; the secretary's acts from scheduling to closing; a member body's
mandate and ratification, proposed as motions, and the ratifications it has still to answer."""

from __future__ import annotations

from datetime import timedelta
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
from frombelow.services import clock, deciding, elections, motions, sessions
from frombelow.services.queries.bodies import body_named, statute_of
from frombelow.services.queries.decisions import decision_of, decision_with_id, standing_of
from frombelow.services.queries.elections import election_with_id
from frombelow.services.queries.kinds import MotionKindCode
from frombelow.services.queries.motions import motion_with_id
from frombelow.services.queries.sessions import (
    elections_in,
    item_with_id,
    pending_ratifications,
    ratify_motions,
    session_with_id,
)
from frombelow.services.queries.votes import vote_on_item

if TYPE_CHECKING:
    from frombelow.services.queries.rows import Election, Item, Session, Vote

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


class SessionElectionOut(Schema):
    """An election of the council voted on in the session: its delegations cast for candidates."""

    election: int
    office: str
    council: str | None = Field(description="for delegates: the council they are elected to")
    vote: int
    options: list[str]
    cast_by: list[str] = Field(description="the member bodies whose delegates have cast")
    decided: bool
    elected: list[str]


class SessionOut(Schema):
    """A council's session: when, whether open, its agenda and the elections it holds."""

    id: int
    council: str
    title: str
    starts_at: str
    agenda_deadline: str = Field(
        description="the statute's mandate deadline: the agenda goes down no later than this"
    )
    secretary: int | None = Field(
        description="the member who holds the council's secretary's office now, who schedules, "
        "sends the agenda, opens, decides and closes; none: its delegates meet to elect one"
    )
    agenda_sent_at: str | None
    opened_at: str | None
    closed_at: str | None
    items: list[ItemOut]
    elections: list[SessionElectionOut]


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


def election_out(election: Election) -> SessionElectionOut:
    """Describe an election the session votes on."""
    vote = election.vote
    assert vote is not None
    decision = decision_of(vote)
    return SessionElectionOut(
        election=election.pk,
        office=election.office,
        council=election.council.slug if election.council else None,
        vote=vote.pk,
        options=list(vote.options),
        cast_by=sorted(set(vote.casts.values_list("member_body__slug", flat=True))),
        decided=decision is not None,
        elected=list(decision.winners) if decision is not None else [],
    )


def session_out(session: Session) -> SessionOut:
    """Describe a session with its agenda and elections."""
    weights = {
        d.member_body.slug: d.weight for d in session.delegations.select_related("member_body")
    }
    secretary = sessions.secretary_of(session.body, clock.now())
    days = statute_of(session.body).mandate_deadline_days
    return SessionOut(
        id=session.pk,
        council=session.body.slug,
        title=session.title,
        starts_at=session.starts_at.isoformat(),
        agenda_deadline=(session.starts_at - timedelta(days=days)).isoformat(),
        secretary=secretary.pk if secretary else None,
        agenda_sent_at=iso(session.agenda_sent_at),
        opened_at=iso(session.opened_at),
        closed_at=iso(session.closed_at),
        items=[
            item_out(item, weights)
            for item in session.items.select_related("motion").order_by("number")
        ],
        elections=[election_out(e) for e in elections_in(session)],
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
    """Schedule a session of the council whose secretary one is (while it has none, of a council
    one sits in as a delegate: to elect one)."""
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


class PutElectionIn(Schema):
    """An election of the council, taking candidacies, to put to the open session."""

    election: int


@router.post(
    "/sessions/{session_id}/elections",
    response={201: SessionOut, **ERRORS},
    summary="Put an election to a session",
)
def put_election(request: HttpRequest, session_id: int, data: PutElectionIn) -> Status[SessionOut]:
    """Close the nominations of one of the council's elections and open its vote in the session,
    where each delegation casts; the secretary's act (a delegate's, while there is none)."""
    session = _session(request, session_id)
    election = election_with_id(data.election)
    reading(request, election.body)
    elections.open_election(
        actor=acting_member(request),
        election=election,
        session=session,
        closes_at=sessions.vote_closes(session),
    )
    return Status(201, session_out(session_with_id(session.pk)))


@router.post(
    "/sessions/{session_id}/elections/{election_id}/decision",
    response={201: DecisionOut, **ERRORS},
    summary="Decide an election in session",
)
def decide_election(request: HttpRequest, session_id: int, election_id: int) -> Status[DecisionOut]:
    """Count an election voted in the session: at its closing time, or once every delegation
    that can cast has; the elected take office."""
    session = _session(request, session_id)
    election = election_with_id(election_id)
    vote = election.vote
    if vote is None or vote.session_id != session.pk:
        raise DecisionError(
            "the election %(election)s is not voted on in %(session)s",
            election=election.pk,
            session=session.title,
        )
    decision = deciding.close_session_vote(actor=acting_member(request), vote=vote)
    return Status(201, decision_out(decision))


class RatificationOut(Schema):
    """A council's provisional decision the member body has yet to ratify or reject."""

    decision: int
    council: str
    question: str
    session: int | None
    ratify_by: str | None = Field(description="it lapses unless ratified by then")
    standing: str = Field(description="pending, ratified, rejected or lapsed, as the dates say")
    provisional_because: str
    motion: int | None = Field(description="the body's own ratify motion, once proposed")
    motion_status: str | None


@router.get(
    "/bodies/{slug}/ratifications",
    response={200: list[RatificationOut], **ERRORS},
    summary="List the ratifications a member body owes",
)
def list_ratifications(request: HttpRequest, slug: str) -> list[RatificationOut]:
    """Return the provisional decisions of the councils the body sits in that it has not yet
    answered, the soonest to lapse first, with its ratify motion on each where proposed."""
    body = body_named(slug)
    reading(request, body)
    now = clock.now()
    pending = pending_ratifications(body, now)
    answering = ratify_motions(body, pending)
    return [
        RatificationOut(
            decision=d.pk,
            council=d.body.slug,
            question=d.vote.question,
            session=d.vote.session_id,
            ratify_by=iso(d.ratify_by),
            standing=standing_of(d, now),
            provisional_because=d.provisional_because,
            motion=answering[d.pk].pk if d.pk in answering else None,
            motion_status=answering[d.pk].status if d.pk in answering else None,
        )
        for d in pending
    ]
