"""A council session: its agenda, the mandate table of each item, the live tally, and the acts
that carry it from scheduling to its close, with the member bodies' mandates and ratifications."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from frombelow.core.errors import DecisionError
from frombelow.http.ratelimit import limited
from frombelow.services import deciding, elections, motions, sessions
from frombelow.services.queries.bodies import body_named, statute_of
from frombelow.services.queries.decisions import decision_of, decision_with_id, standing_of
from frombelow.services.queries.elections import election_with_id
from frombelow.services.queries.kinds import MotionKindCode
from frombelow.services.queries.motions import motion_with_id
from frombelow.services.queries.sessions import (
    bodies_mandating,
    delegations_in,
    elections_in,
    elections_to_put,
    item_with_id,
    motions_for_agenda,
    pending_ratifications,
    ratify_motions,
    session_with_id,
)
from frombelow.services.queries.votes import item_vote_with_id, session_vote_with_id, vote_on_item
from frombelow.services.standing import delegations_of, takes_part
from frombelow.web.charts import Chart, label_name, tally_chart
from frombelow.web.pages import act, member_page, now, reader_of, signed_in_member
from frombelow.web.views.votes import back_to

if TYPE_CHECKING:
    from frombelow.services.queries.rows import (
        Body,
        Decision,
        DelegateCast,
        Delegation,
        DelegationVote,
        Election,
        Item,
        Mandate,
        Member,
        Motion,
        Session,
        Vote,
    )


@dataclass(frozen=True)
class MandateRow:
    """One delegation's line in an item's mandate table."""

    delegation: Delegation
    mandate: Mandate | None
    derived: DelegationVote | None
    casts: list[DelegateCast]
    # Whether its delegates may still cast: free, or raised at the session, and a seat left.
    awaited: bool = False

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
    # What the reader may do here: cast for this delegation, propose a mandate or a ratification
    # for these member bodies.
    cast_for: Body | None = None
    mandating: list[Body] = field(default_factory=list)
    ratifying: list[Body] = field(default_factory=list)


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


def item_view(
    item: Item,
    delegations: list[Delegation],
    at: Any,
    reader: Member | None = None,
    sits_for: Sequence[Body] = (),
    bodies: Sequence[Body] = (),
) -> ItemView:
    """Gather what the session page shows for one item, and what the reader may do on it."""
    vote = vote_on_item(item)
    mandates = {m.member_body_id: m for m in item.mandates.all()}
    derived = {d.member_body_id: d for d in vote.delegation_votes.all()} if vote is not None else {}
    casts: dict[int, list[DelegateCast]] = {}
    if vote is not None:
        for c in vote.casts.select_related("delegate").order_by("cast_at", "pk"):
            casts.setdefault(c.member_body_id, []).append(c)
    decision = decision_of(vote) if vote is not None else None
    awaited = sessions.casts_awaited(vote) if vote is not None and decision is None else {}
    rows = [
        MandateRow(
            d,
            mandates.get(d.member_body_id),
            derived.get(d.member_body_id),
            casts.get(d.member_body_id, []),
            d.member_body_id in awaited,
        )
        for d in delegations
    ]
    totals = live_tally(vote) if vote is not None else {}
    session = item.session
    # A delegate sits for one delegation; they cast only where a cast of it can be accepted.
    cast_for = sits_for[0] if len(sits_for) == 1 and sits_for[0].pk in awaited else None
    if cast_for is not None and any(
        reader is not None and c.delegate_id == reader.pk for c in casts.get(cast_for.pk, [])
    ):
        cast_for = None  # each delegate casts once
    mandating = (
        [b for b in bodies if b.pk not in mandates]
        if session.agenda_sent_at is not None and session.opened_at is None and not item.new_matter
        else []
    )
    ratifying = []
    if (
        decision is not None
        and decision.provisional
        and decision.outcome == "carried"
        and (decision.ratify_by is None or at <= decision.ratify_by)
    ):
        answered = set(decision.ratifications.values_list("member_body_id", flat=True))
        ratifying = [b for b in bodies if b.pk not in answered]
    return ItemView(
        item,
        vote,
        rows,
        decision,
        standing_of(decision, at) if decision is not None else "",
        tally_chart(totals) if totals else None,
        totals,
        cast_for,
        mandating,
        ratifying,
    )


@dataclass(frozen=True)
class ElectionView:
    """An election the session votes on: each delegation's casts, and the reader's cast."""

    election: Election
    vote: Vote
    rows: list[MandateRow]
    decision: Decision | None
    # The candidates as (ballot label, name), and who was elected.
    options: list[tuple[str, str]]
    winners: list[str]
    cast_for: Body | None = None


def election_view(
    election: Election, delegations: list[Delegation], reader: Member, sits_for: Sequence[Body]
) -> ElectionView:
    """Gather what the session page shows of an election it votes on."""
    vote = election.vote
    assert vote is not None
    casts: dict[int, list[DelegateCast]] = {}
    for c in vote.casts.select_related("delegate").order_by("cast_at", "pk"):
        casts.setdefault(c.member_body_id, []).append(c)
    decision = decision_of(vote)
    awaited = sessions.casts_awaited(vote) if decision is None else {}
    rows = [
        MandateRow(d, None, None, casts.get(d.member_body_id, []), d.member_body_id in awaited)
        for d in delegations
    ]
    cast_for = sits_for[0] if len(sits_for) == 1 and sits_for[0].pk in awaited else None
    if cast_for is not None and any(c.delegate_id == reader.pk for c in casts.get(cast_for.pk, [])):
        cast_for = None  # each delegate casts once
    return ElectionView(
        election,
        vote,
        rows,
        decision,
        [(label, label_name(label)) for label in vote.options],
        [label_name(w) for w in decision.winners] if decision is not None else [],
        cast_for,
    )


def secretary_acts(session: Session, member: Member, at: datetime) -> dict[str, Any]:
    """Say which of the secretary's acts the member may take on the session now.

    The council's elected secretary takes them all; while it has none, its delegates may call,
    open, decide and close a meeting, to elect one (`sessions.require_secretary`).
    """
    council = session.body
    secretary = sessions.may_act_as_secretary(member, council, at, meeting=False)
    chairs = sessions.may_act_as_secretary(member, council, at, meeting=True)
    is_open = session.opened_at is not None and session.closed_at is None
    return {
        "secretary": sessions.secretary_of(council, at),
        # Before the agenda goes down, or raised at the session once it has opened.
        "may_add": secretary
        and session.closed_at is None
        and (session.agenda_sent_at is None or session.opened_at is not None),
        "motions": motions_for_agenda(council) if secretary else [],
        "may_send": secretary and session.agenda_sent_at is None and session.items.exists(),
        "may_open": chairs and session.opened_at is None,
        "may_decide": chairs and is_open,
        "may_close": chairs and is_open,
        "electable": elections_to_put(council) if chairs and is_open else [],
    }


@member_page
def session(request: HttpRequest, pk: int) -> HttpResponse:
    """Render a session: the agenda and, per item, the mandate table and the tally."""
    found = session_with_id(pk)
    member = reader_of(request, found.body)
    at = now()
    delegations = delegations_in(found)
    sits_for = list(delegations_of(member, found.body, at))
    bodies = bodies_mandating(member, found.body, at)
    items = [
        item_view(item, delegations, at, member, sits_for, bodies)
        for item in found.items.select_related("motion", "session").order_by("number")
    ]
    deadline = found.starts_at - timedelta(days=statute_of(found.body).mandate_deadline_days)
    context = {
        "session": found,
        "items": items,
        "elections": [election_view(e, delegations, member, sits_for) for e in elections_in(found)],
        "delegations": delegations,
        "sits_for": sits_for,
        "deadline": deadline,
        "late": found.agenda_sent_at is None and at > deadline,
        "now": at,
        **secretary_acts(found, member, at),
    }
    return render(request, "web/session.html", context)


@dataclass(frozen=True)
class PendingRatification:
    """A council's provisional decision the member body has yet to answer, and its own motion
    to answer it, once proposed."""

    decision: Decision
    motion: Motion | None


def ratifications_panel(body: Body, member: Member, at: datetime) -> dict[str, Any]:
    """Return what a member body's page shows of the provisional decisions of its councils it
    has yet to ratify or reject, each with its deadline, and whether the reader may propose the
    body's answer (those who take part in it)."""
    pending = pending_ratifications(body, at)
    answering = ratify_motions(body, pending)
    return {
        "ratifications": [PendingRatification(d, answering.get(d.pk)) for d in pending],
        "may_ratify": takes_part(member, body, at),
    }


@member_page
def tally(request: HttpRequest, pk: int) -> HttpResponse:
    """Render an item's tally alone, for the page to poll while the vote is open."""
    vote = item_vote_with_id(pk)
    member = reader_of(request, vote.body)
    at = now()
    assert vote.item is not None
    assert vote.session is not None, "a vote on an agenda item is taken in its session"
    delegations = delegations_in(vote.session)
    sits_for = list(delegations_of(member, vote.body, at))
    bodies = bodies_mandating(member, vote.body, at)
    view = item_view(vote.item, delegations, at, member, sits_for, bodies)
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
    done = _("The item is decided.") if vote.item_id is not None else _("The election is decided.")
    return act(request, back, done, lambda: deciding.close_session_vote(actor=member, vote=vote))


@require_POST
@member_page
def put_election(request: HttpRequest, pk: int) -> HttpResponse:
    """Put one of the council's elections to the open session: its delegations cast in it."""
    found = session_with_id(pk)
    member = reader_of(request, found.body)

    def put() -> None:
        text = request.POST.get("election", "").strip()
        if not text.isdigit():
            raise DecisionError("choose an election to put to the session, not %(text)r", text=text)
        elections.open_election(
            actor=member,
            election=election_with_id(int(text)),
            session=found,
            closes_at=sessions.vote_closes(found),
        )

    return act(
        request,
        reverse("web:session", args=[found.pk]),
        _("The election is put to the session: the delegations cast."),
        put,
    )


def starts_at_from(text: str) -> datetime:
    """Read when a session starts from the form, in the installation's time zone."""
    try:
        moment = parse_datetime(text.strip())
    except ValueError:
        moment = None
    if moment is None:
        raise DecisionError(
            "the start %(text)r is not a date and time such as 2026-05-01T18:00", text=text
        )
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def motion_from(text: str) -> Motion:
    """Read the motion the form names by its id."""
    if not text.strip().isdigit():
        raise DecisionError("choose a motion to put on the agenda, not %(text)r", text=text)
    return motion_with_id(int(text))


@require_POST
@member_page
def schedule(request: HttpRequest, slug: str) -> HttpResponse:
    """Schedule a session of a council, from the council's page."""
    council = body_named(slug)
    member = reader_of(request, council)
    back = reverse("web:body", args=[council.slug])
    made: list[int] = []

    def schedule_it() -> None:
        title = request.POST.get("title", "").strip()
        if not title:
            raise DecisionError("a session needs a title")
        starts_at = starts_at_from(request.POST.get("starts_at", ""))
        made.append(
            sessions.schedule_session(
                actor=member, council=council, title=title, starts_at=starts_at
            ).pk
        )

    response = act(request, back, _("The session is scheduled."), schedule_it)
    # Once scheduled, its page is where its agenda is drawn up.
    return HttpResponseRedirect(reverse("web:session", args=made)) if made else response


@require_POST
@member_page
def add_item(request: HttpRequest, pk: int) -> HttpResponse:
    """Put a submitted motion of the council on the session's agenda."""
    found = session_with_id(pk)
    member = reader_of(request, found.body)
    return act(
        request,
        reverse("web:session", args=[found.pk]),
        _("The motion is on the agenda."),
        lambda: sessions.add_item(
            actor=member, session=found, motion=motion_from(request.POST.get("motion", ""))
        ),
    )


@require_POST
@member_page
def send_agenda(request: HttpRequest, pk: int) -> HttpResponse:
    """Send the session's agenda down to the member bodies."""
    found = session_with_id(pk)
    member = reader_of(request, found.body)
    return act(
        request,
        reverse("web:session", args=[found.pk]),
        _("The agenda is sent down; the member bodies may decide their mandates."),
        lambda: sessions.send_agenda(actor=member, session=found),
    )


@require_POST
@member_page
def close_session(request: HttpRequest, pk: int) -> HttpResponse:
    """Close a session whose votes are all counted."""
    found = session_with_id(pk)
    member = reader_of(request, found.body)
    return act(
        request,
        reverse("web:session", args=[found.pk]),
        _("The session is closed."),
        lambda: sessions.close_session(actor=member, session=found),
    )


def _propose(
    request: HttpRequest, back: str, done: str, propose: Callable[[], Motion]
) -> HttpResponse:
    """Propose a motion through `propose`; go to the new draft, or back with the refusal."""
    made: list[Motion] = []
    response = act(request, back, done, lambda: made.append(propose()))
    # The draft's own page is where its proposer submits it and members support it.
    return HttpResponseRedirect(reverse("web:motion", args=[made[0].pk])) if made else response


def member_body_from(text: str) -> Body:
    """Read the member body the form names by its slug."""
    if not text.strip():
        raise DecisionError("choose the member body whose motion this is")
    return body_named(text.strip())


@require_POST
@member_page
def propose_mandate(request: HttpRequest, pk: int) -> HttpResponse:
    """Propose a member body's mandate on an item: a decide-mandate motion of that body."""
    item = item_with_id(pk)
    member = reader_of(request, item.session.body)
    back = reverse("web:session", args=[item.session_id])

    def propose() -> Motion:
        body = member_body_from(request.POST.get("body", ""))
        kind = request.POST.get("mandate", "")
        title = request.POST.get("title", "").strip() or _("Our mandate on %(title)s") % {
            "title": item.motion.title
        }
        return motions.propose_motion(
            actor=member,
            body=body,
            title=title,
            text=request.POST.get("text", "").strip() or title,
            kind=MotionKindCode.DECIDE_MANDATE,
            details={"mandate": kind},
            council_item=item,
        )

    return _propose(
        request, back, _("The mandate is proposed: submit it for your body's vote."), propose
    )


@require_POST
@member_page
def propose_ratification(request: HttpRequest, pk: int) -> HttpResponse:
    """Propose that a member body ratify a council's provisional decision: a ratify motion."""
    decision = decision_with_id(pk)
    member = reader_of(request, decision.body)
    back = back_to(request, reverse("web:body", args=[decision.body.slug]))

    def propose() -> Motion:
        body = member_body_from(request.POST.get("body", ""))
        question = decision.vote.question
        title = request.POST.get("title", "").strip() or _("Ratify %(question)s") % {
            "question": question
        }
        return motions.propose_motion(
            actor=member,
            body=body,
            title=title,
            text=request.POST.get("text", "").strip() or title,
            kind=MotionKindCode.RATIFY,
            decision=decision,
        )

    return _propose(
        request, back, _("The ratification is proposed: submit it for your body's vote."), propose
    )
