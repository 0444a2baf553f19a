"""An election: its candidates, standing and withdrawing, opening its vote, the ranking form, and
the count round by round; calling one from its body's page, and resigning a term."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from frombelow.core.errors import DecisionError
from frombelow.services import elections
from frombelow.services.elections import candidate_label, nominations_close
from frombelow.services.queries.bodies import body_named, councils_at, statute_of
from frombelow.services.queries.decisions import decision_of
from frombelow.services.queries.elections import (
    candidacies_in,
    election_with_id,
    elections_of,
    has_stood_in,
    stands_in,
    tendencies_of,
    tendency_named,
)
from frombelow.services.queries.kinds import BodyKind
from frombelow.services.queries.terms import election_statuses, term_with_id
from frombelow.services.queries.votes import has_voted, is_elector
from frombelow.services.standing import is_eligible, takes_part
from frombelow.web.charts import label_name, round_pictures
from frombelow.web.pages import act, member_page, now, reader_of
from frombelow.web.statute_words import method_words
from frombelow.web.views.votes import ballot_list_panel

if TYPE_CHECKING:
    from frombelow.services.queries.rows import Body, Election, Member

# The longest an election's vote may be kept open from its page, in days.
MOST_VOTING_DAYS = 90


def election_page(election: Election) -> str:
    """Return the address of the election's page."""
    return reverse("web:election", args=[election.pk])


def nomination_acts(election: Election, member: Member, at: datetime) -> dict[str, Any]:
    """Say which acts of the nominations the member may take now: stand, withdraw, open."""
    taking = election.vote_id is None
    stands = stands_in(election, member)
    # A council elects in session, with its delegations; its vote opens from the session.
    assembly = election.body.kind == BodyKind.ASSEMBLY
    return {
        "taking_candidacies": taking,
        "nominations_close": nominations_close(election) if taking else None,
        "stands": stands,
        "may_stand": taking
        and not has_stood_in(election, member)
        and is_eligible(member, election.body, at),
        "may_withdraw": taking and stands,
        "may_open": taking and assembly and takes_part(member, election.body, at),
        "tendencies": tendencies_of(member, at) if taking else [],
        "voting_days": statute_of(election.body).election_voting_days,
        "most_voting_days": MOST_VOTING_DAYS,
    }


@member_page
def election(request: HttpRequest, pk: int) -> HttpResponse:
    """Render an election: candidates, the ballot while open, and the result with its rounds."""
    found = election_with_id(pk)
    member = reader_of(request, found.body)
    at = now()
    vote = found.vote
    decision = decision_of(vote) if vote is not None else None
    candidacies = candidacies_in(found)
    options = (
        [(i, label_name(label)) for i, label in enumerate(vote.options)] if vote is not None else []
    )
    context = {
        "election": found,
        "candidacies": candidacies,
        "vote": vote,
        "options": options,
        "method": method_words(vote.method) if vote is not None else "",
        "may_vote": vote is not None
        and decision is None
        and vote.session_id is None
        and vote.closes_at is not None
        and vote.closes_at > at
        and is_elector(vote, member)
        and not has_voted(vote, member.pk),
        "voted": vote is not None and has_voted(vote, member.pk),
        "may_count": vote is not None
        and decision is None
        and vote.closes_at is not None
        and vote.closes_at <= at,
        "decision": decision,
        "winners": [label_name(w) for w in decision.winners] if decision else [],
        "rounds": round_pictures(decision.count) if decision else [],
        "tie_breaks": decision.count.get("tie_breaks", []) if decision else [],
        # Once counted, a secret vote's ballots by their trackers' hashes, and their recount.
        "ballots": ballot_list_panel(vote, decision) if vote is not None else None,
        "terms": list(found.terms.select_related("holder")),
        "substitutes": list(found.substitutes.select_related("member")),
        "labels": {candidate_label(c.member): c.member.name for c in candidacies},
        "now": at,
        **nomination_acts(found, member, at),
    }
    return render(request, "web/election.html", context)


def elections_panel(body: Body, member: Member, at: datetime) -> dict[str, Any]:
    """Return what a body's page shows of its elections: each office's state, the latest
    elections, and whether the reader may call one."""
    may_call = takes_part(member, body, at)
    return {
        "offices": election_statuses(body, at),
        "elections": elections_of(body, 10),
        "may_call": may_call,
        "councils": list(councils_at(body, at)) if may_call else [],
    }


def seats_from(request: HttpRequest) -> int | None:
    """Read the seats an officer's election fills, or None where the form names none."""
    text = request.POST.get("seats", "").strip()
    if not text:
        return None
    if not text.isdigit():
        raise DecisionError("seats: %(text)r is no whole number of seats", text=text)
    return int(text)


def voting_days_from(request: HttpRequest) -> int:
    """Read how many days the election's vote stays open, as typed in its form."""
    text = request.POST.get("days", "").strip()
    if not text.isdigit() or not 1 <= int(text) <= MOST_VOTING_DAYS:
        raise DecisionError(
            "days: the vote stays open a whole number of days from 1 to %(most)s, not %(text)r",
            most=MOST_VOTING_DAYS,
            text=text,
        )
    return int(text)


@require_POST
@member_page
def call(request: HttpRequest, slug: str) -> HttpResponse:
    """Call an election of one of the body's offices, or of its delegates to a council."""
    body = body_named(slug)
    member = reader_of(request, body)
    office = request.POST.get("office", "")
    council_slug = request.POST.get("council", "").strip()

    def call_it() -> None:
        council = body_named(council_slug) if council_slug else None
        # A delegation's seats come from the council's statute; an officer's from the form.
        seats = seats_from(request) if council is None else None
        if council is None and seats is None:
            seats = 1
        elections.call_election(
            actor=member, body=body, office=office, council=council, seats=seats
        )

    return act(
        request, reverse("web:body", args=[body.slug]), _("The election is called."), call_it
    )


@require_POST
@member_page
def stand(request: HttpRequest, pk: int) -> HttpResponse:
    """Stand as a candidate, with a statement and perhaps for one's tendency."""
    found = election_with_id(pk)
    member = reader_of(request, found.body)
    tendency_slug = request.POST.get("tendency", "").strip()

    def stand_it() -> None:
        elections.stand(
            actor=member,
            election=found,
            tendency=tendency_named(tendency_slug) if tendency_slug else None,
            statement=request.POST.get("statement", ""),
        )

    return act(request, election_page(found), _("You stand in this election."), stand_it)


@require_POST
@member_page
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """Withdraw one's own candidacy while nominations are open."""
    found = election_with_id(pk)
    member = reader_of(request, found.body)
    return act(
        request,
        election_page(found),
        _("Your candidacy is withdrawn."),
        lambda: elections.withdraw_candidacy(actor=member, election=found),
    )


@require_POST
@member_page
def open_vote(request: HttpRequest, pk: int) -> HttpResponse:
    """Close the nominations and open the election's vote for the days the form says."""
    found = election_with_id(pk)
    member = reader_of(request, found.body)

    def open_it() -> None:
        days = voting_days_from(request)
        elections.open_election(
            actor=member, election=found, closes_at=now() + timedelta(days=days)
        )

    return act(request, election_page(found), _("The election's vote is open."), open_it)


@require_POST
@member_page
def resign(request: HttpRequest, term: int) -> HttpResponse:
    """Resign one's own term; the next substitute takes the seat, or a by-election is due."""
    held = term_with_id(term)
    member = reader_of(request, held.body)
    return act(
        request,
        reverse("web:body", args=[held.body.slug]),
        _("You have resigned. The next substitute takes the seat, or a by-election is due."),
        lambda: elections.resign(actor=member, term=held),
    )
