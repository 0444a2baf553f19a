"""Council sessions: the agenda and, per item, the mandate table and each delegation's vote."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import HttpRequest
from ninja import Router, Schema

from frombelow.api.common import ERRORS, iso, reading
from frombelow.services.queries.sessions import session_with_id
from frombelow.services.queries.votes import vote_on_item

if TYPE_CHECKING:
    from frombelow.services.queries.rows import Vote

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


@router.get(
    "/sessions/{session_id}", response={200: SessionOut, **ERRORS}, summary="Read a session"
)
def read_session(request: HttpRequest, session_id: int) -> SessionOut:
    """Return a session's agenda with each item's mandate table and derived votes."""
    session = session_with_id(session_id)
    reading(request, session.body)
    weights = {
        d.member_body.slug: d.weight for d in session.delegations.select_related("member_body")
    }
    items = []
    for item in session.items.select_related("motion").order_by("number"):
        vote = vote_on_item(item)
        items.append(
            ItemOut(
                number=item.number,
                motion=item.motion_id,
                title=item.motion.title,
                new_matter=item.new_matter,
                vote=vote.pk if vote else None,
                mandates=_table(item, vote, weights),
            )
        )
    return SessionOut(
        id=session.pk,
        council=session.body.slug,
        title=session.title,
        starts_at=session.starts_at.isoformat(),
        agenda_sent_at=iso(session.agenda_sent_at),
        opened_at=iso(session.opened_at),
        closed_at=iso(session.closed_at),
        items=items,
    )
