"""A council session: its agenda, the mandate table of each item, the live tally."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from frombelow.http.ratelimit import limited
from frombelow.services import deciding, sessions
from frombelow.services.queries.decisions import decision_of, standing_of
from frombelow.services.queries.sessions import delegations_in, session_with_id
from frombelow.services.queries.votes import item_vote_with_id, session_vote_with_id, vote_on_item
from frombelow.services.standing import delegations_of
from frombelow.web.charts import Chart, tally_chart
from frombelow.web.pages import act, member_page, now, reader_of, signed_in_member
from frombelow.web.views.votes import back_to

if TYPE_CHECKING:
    from frombelow.services.queries.rows import (
        Decision,
        DelegateCast,
        Delegation,
        DelegationVote,
        Item,
        Mandate,
        Vote,
    )


@dataclass(frozen=True)
class MandateRow:
    """One delegation's line in an item's mandate table."""

    delegation: Delegation
    mandate: Mandate | None
    derived: DelegationVote | None
    casts: list[DelegateCast]

    @property
    def derived_votes(self) -> list[tuple[str, Any]]:
        """The derived votes in the order of the vote's options."""
        if self.derived is None:
            return []
        return in_option_order(self.derived.votes, self.derived.vote.options)


@dataclass(frozen=True)
class ItemView:
    """An agenda item with its vote, mandate table, tally and decision."""

    item: Item
    vote: Vote | None
    rows: list[MandateRow]
    decision: Decision | None
    standing: str
    tally: Chart | None
    totals: dict[str, Any]


def in_option_order(votes: Mapping[str, Any], options: Sequence[str]) -> list[tuple[str, Any]]:
    """Return votes by option in the order the vote lists its options, then any others.

    Stored as JSON, the mapping's own order is the database's: PostgreSQL's jsonb sorts keys.
    """
    known = [(o, votes[o]) for o in options if o in votes]
    return known + [(o, n) for o, n in votes.items() if o not in options]


def live_tally(vote: Vote) -> dict[str, Any]:
    """Return the item's totals now: from the decision once counted, else as they stand."""
    decision = decision_of(vote)
    if decision is not None and decision.count.get("rounds"):
        return dict(in_option_order(decision.count["rounds"][-1]["votes"], vote.options))
    tally, _ = sessions.council_tally(vote)
    return dict(in_option_order(tally.totals, vote.options))


def item_view(item: Item, delegations: list[Delegation], at: Any) -> ItemView:
    """Gather what the session page shows for one item."""
    vote = vote_on_item(item)
    mandates = {m.member_body_id: m for m in item.mandates.all()}
    derived = {d.member_body_id: d for d in vote.delegation_votes.all()} if vote is not None else {}
    casts: dict[int, list[DelegateCast]] = {}
    if vote is not None:
        for c in vote.casts.select_related("delegate").order_by("cast_at", "pk"):
            casts.setdefault(c.member_body_id, []).append(c)
    rows = [
        MandateRow(
            d,
            mandates.get(d.member_body_id),
            derived.get(d.member_body_id),
            casts.get(d.member_body_id, []),
        )
        for d in delegations
    ]
    decision = decision_of(vote) if vote is not None else None
    totals = live_tally(vote) if vote is not None else {}
    return ItemView(
        item,
        vote,
        rows,
        decision,
        standing_of(decision, at) if decision is not None else "",
        tally_chart(totals) if totals else None,
        totals,
    )


@member_page
def session(request: HttpRequest, pk: int) -> HttpResponse:
    """Render a session: the agenda and, per item, the mandate table and the tally."""
    found = session_with_id(pk)
    member = reader_of(request, found.body)
    at = now()
    delegations = delegations_in(found)
    items = [
        item_view(item, delegations, at)
        for item in found.items.select_related("motion").order_by("number")
    ]
    context = {
        "session": found,
        "items": items,
        "delegations": delegations,
        "sits_for": list(delegations_of(member, found.body, at)),
        "now": at,
    }
    return render(request, "web/session.html", context)


@member_page
def tally(request: HttpRequest, pk: int) -> HttpResponse:
    """Render an item's tally alone, for the page to poll while the vote is open."""
    vote = item_vote_with_id(pk)
    reader_of(request, vote.body)
    at = now()
    assert vote.item is not None
    assert vote.session is not None, "a vote on an agenda item is taken in its session"
    delegations = delegations_in(vote.session)
    view = item_view(vote.item, delegations, at)
    return render(request, "web/_tally.html", {"view": view})


@require_POST
@member_page
def open_session(request: HttpRequest, pk: int) -> HttpResponse:
    """Open a session: seat the delegations and derive the mandated votes."""
    found = session_with_id(pk)
    member = signed_in_member(request)
    back = reverse("web:session", args=[found.pk])
    return act(
        request,
        back,
        _("The session is open; the mandated votes are derived."),
        lambda: sessions.open_session(actor=member, session=found),
    )


@require_POST
@member_page
@limited("cast")
def cast(request: HttpRequest, pk: int) -> HttpResponse:
    """Cast a delegate's vote for their delegation on an item."""
    vote = session_vote_with_id(pk)
    member = signed_in_member(request)
    back = back_to(request, reverse("web:session", args=[vote.session_id]))
    choice = request.POST.get("choice", "")
    return act(
        request,
        back,
        _("Your delegation's vote is cast."),
        lambda: sessions.cast_for_delegation(actor=member, vote=vote, ranking=[[choice]]),
    )


@require_POST
@member_page
def close(request: HttpRequest, pk: int) -> HttpResponse:
    """Count an item's vote: at its closing time, or once every delegation has voted."""
    vote = session_vote_with_id(pk)
    member = signed_in_member(request)
    back = back_to(request, reverse("web:session", args=[vote.session_id]))
    return act(
        request,
        back,
        _("The item is decided."),
        lambda: deciding.close_session_vote(actor=member, vote=vote),
    )
