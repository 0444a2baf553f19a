"""Motions and the votes on them: read, cast, count, dissent, opt out."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from frombelow.core.errors import DecisionError, DomainError
from frombelow.core.voting import MOTION
from frombelow.http.ratelimit import limited
from frombelow.services import deciding, decisions, votes
from frombelow.services.queries.ballots import tracker_hash
from frombelow.services.queries.decisions import decision_of, decision_with_id, standing_of
from frombelow.services.queries.kinds import BallotKind, VoteMode
from frombelow.services.queries.motions import motion_with_id
from frombelow.services.queries.votes import (
    electors_of,
    has_voted,
    is_elector,
    latest_vote_on,
    vote_with_id,
)
from frombelow.services.refusals import explain
from frombelow.web.charts import label_name, tally_chart
from frombelow.web.pages import act, member_page, now, reader_of, signed_in_member
from frombelow.web.views.motions import implementation_view, motion_acts

if TYPE_CHECKING:
    from frombelow.services.queries.rows import Decision, Member, Vote


def back_to(request: HttpRequest, fallback: str) -> str:
    """Return the form's `next` page if it is ours, else `fallback`."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return fallback


def ballot_from(request: HttpRequest, vote: Vote) -> list[list[str]]:
    """Read a ballot from the form: one choice, the options approved, or a ranking given as
    numbers (1 = first)."""
    if "choice" in request.POST:
        return [[request.POST["choice"]]]
    approved = request.POST.getlist("approve")
    if approved:
        return [approved]
    ranks: dict[int, list[str]] = {}
    for index, option in enumerate(vote.options):
        text = request.POST.get(f"rank-{index}", "").strip()
        if not text:
            continue
        if not text.isdigit() or int(text) < 1:
            raise DecisionError("a rank is a whole number from 1: %(text)s", text=text)
        ranks.setdefault(int(text), []).append(option)
    if not ranks:
        raise DecisionError("the ballot is empty: choose or rank at least one option")
    return [ranks[r] for r in sorted(ranks)]


def vote_panel(vote: Vote | None, member: Member, at: datetime, secretary: bool) -> dict[str, Any]:
    """Return what a vote's box on a page shows this member and which of its forms they may use."""
    if vote is None:
        return {"vote": None}
    decision = decision_of(vote)
    online_open = (
        decision is None
        and vote.session_id is None
        and vote.closes_at is not None
        and vote.closes_at > at
    )
    at_meeting = decision is None and vote.mode == VoteMode.MEETING
    return {
        "vote": vote,
        "decision": decision,
        "may_vote": online_open and is_elector(vote, member) and not has_voted(vote, member.pk),
        "voted": has_voted(vote, member.pk),
        "may_count": decision is None
        and vote.closes_at is not None
        and vote.closes_at <= at
        and vote.session_id is None,
        # Only the elected secretary enters a meeting's tally: no one else is offered the form.
        "may_tally": at_meeting and secretary,
        # By when: after it, the vote lapses inquorate (`deciding.lapse_untallied`).
        "tally_due": deciding.tally_due_by(vote)
        if at_meeting and vote.session_id is None
        else None,
        "electors": electors_of(vote) if at_meeting and secretary else [],
        # A secret ballot is changed by whoever holds its tracker, where the statute allows.
        "may_change": online_open
        and vote.ballot_kind == BallotKind.SECRET
        and votes.changeable(vote),
        # And closes an online vote early, where its statute lets them, once all have voted.
        "may_close_early": online_open
        and secretary
        and votes.closes_early(vote)
        and votes.all_have_voted(vote),
        "ballots": ballot_list_panel(vote, decision),
    }


def option_words(option: str) -> str:
    """Say one option of a ballot: a motion's choice translated, a candidate by name."""
    # Said in the reader's language, as `_ballot_choices.html` does.
    words = {"yes": _("yes"), "no": _("no"), "abstain": _("abstain")}
    return words.get(option) or label_name(option)


def ballot_words(ranking: Sequence[Sequence[str]]) -> str:
    """Say a ballot as a page shows it: its one group of options, or each rank numbered."""
    groups = [", ".join(option_words(option) for option in group) for group in ranking]
    if len(groups) == 1:
        return groups[0]
    return "; ".join(f"{rank}. {group}" for rank, group in enumerate(groups, start=1))


def ballot_list_panel(vote: Vote, decision: Decision | None) -> dict[str, Any] | None:
    """Return what a counted secret vote's page shows of its published ballots: each by its
    tracker's hash, and the count recomputed from them beside the official count."""
    if decision is None or not votes.publishes_ballots(vote):
        return None
    listed = votes.published_list(vote)
    return {
        "ballots": [
            {"hash": b.tracker_hash, "said": ballot_words(b.ranking)} for b in listed.ballots
        ],
        "firsts": [(option_words(option), n) for option, n in listed.firsts.items()],
        "recount": listed.outcome_label,
        "recount_winners": [option_words(w) for w in listed.winners],
        "official": decision.get_outcome_display(),
        "official_winners": [option_words(w) for w in decision.winners],
        # A motion's winner is its outcome; an election's or a choice's are named.
        "names_winners": vote.method != MOTION,
        "listed": len(listed.ballots),
        "turnout": decision.turnout,
        "agrees": listed.agrees,
    }


@member_page
def motion(request: HttpRequest, pk: int) -> HttpResponse:
    """Render a motion: its text, supporters, amendments, its vote and its decision, and the
    forms this member may use on it."""
    found = motion_with_id(pk)
    member = reader_of(request, found.body)
    at = now()
    vote = latest_vote_on(found)
    acts = motion_acts(found, member, at)
    panel = vote_panel(vote, member, at, acts["secretary"])
    decision = panel.get("decision")
    context = {
        **acts,
        "motion": found,
        "vote": vote,
        "panel": panel,
        "may_vote": panel.get("may_vote", False),
        "voted": panel.get("voted", False),
        "may_count": panel.get("may_count", False),
        "decision": decision,
        "standing": standing_of(decision, at) if decision else "",
        "dissents": list(decision.dissents.select_related("member")) if decision else [],
        "opt_outs": list(decision.opt_outs.select_related("member")) if decision else [],
        "chart": tally_chart(decision.count["rounds"][-1]["votes"])
        if decision and decision.count.get("rounds")
        else None,
        "item": getattr(found, "item", None),
        "now": at,
        **implementation_view(decision, member, at),
    }
    context["amendments"] = [
        {**row, "panel": vote_panel(row["vote"], member, at, acts["secretary"])}
        for row in acts["amendments"]
    ]
    return render(request, "web/motion.html", context)


@require_POST
@member_page
@limited("cast")
def cast(request: HttpRequest, pk: int) -> HttpResponse:
    """Cast the signed-in member's ballot in an online vote."""
    vote = vote_with_id(pk)
    member = signed_in_member(request)
    back = back_to(request, reverse("web:home"))
    trackers: list[str] = []

    def cast_it() -> None:
        tracker = votes.cast_ballot(actor=member, vote=vote, ranking=ballot_from(request, vote))
        if tracker is not None:
            trackers.append(tracker)

    response = act(request, back, _("Your ballot is cast."), cast_it)
    for tracker in trackers:
        # Shown once, to the voter alone: nothing else keeps it, and it names no one.
        messages.info(
            request,
            _(
                "Your secret ballot's tracker is %(tracker)s. Keep it: with it you find your "
                "ballot in the list published with the count, and change it while the vote is "
                "open where the statute allows. No one else has it, and it cannot be shown again."
            )
            % {"tracker": tracker},
        )
    return response


@sensitive_post_parameters("tracker")  # as `find`: a tracker in an error report names a ballot
@require_POST
@member_page
@limited("cast")
def change(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a secret ballot, by its tracker, while the vote is open."""
    vote = vote_with_id(pk)
    reader_of(request, vote.body)
    back = back_to(request, reverse("web:home"))
    tracker = request.POST.get("tracker", "").strip()
    return act(
        request,
        back,
        _("The ballot with this tracker is changed: only its last version counts."),
        lambda: votes.change_ballot(vote=vote, tracker=tracker, ranking=ballot_from(request, vote)),
    )


# The tracker never reaches a URL, an error report or a log: it is posted, not asked for in the
# address, and only its hash is compared with the list, which the page already shows its reader.
@sensitive_post_parameters("tracker")
@require_POST
@member_page
def find(request: HttpRequest, pk: int) -> HttpResponse:
    """Find a ballot in a counted secret vote's published list by the tracker its voter holds."""
    vote = vote_with_id(pk)
    reader_of(request, vote.body)
    back = back_to(request, reverse("web:home"))
    try:
        listed = votes.published_list(vote)
    except DomainError as refusal:
        messages.error(request, _("Refused: %(reason)s") % {"reason": explain(refusal)})
        return HttpResponseRedirect(back)
    wanted = tracker_hash(request.POST.get("tracker", "").strip())
    found = next((b for b in listed.ballots if b.tracker_hash == wanted), None)
    # Answered on this page, not through a message: a message is kept in the session, which
    # would tie the account to how it voted.
    context = {
        "vote": vote,
        "back": back,
        "found": found,
        "said": ballot_words(found.ranking) if found else "",
        "agrees": listed.agrees,
    }
    return render(request, "web/ballot_found.html", context)


@require_POST
@member_page
def count(request: HttpRequest, pk: int) -> HttpResponse:
    """Count an online vote whose closing time has passed (anyone may ask)."""
    vote = vote_with_id(pk)
    member = signed_in_member(request)
    back = back_to(request, reverse("web:home"))
    return act(
        request,
        back,
        _("The vote is counted."),
        lambda: deciding.close_vote(actor=member, vote=vote),
    )


@require_POST
@member_page
def close_early(request: HttpRequest, pk: int) -> HttpResponse:
    """Close an online vote before its end and count it, as its body's elected secretary."""
    vote = vote_with_id(pk)
    member = reader_of(request, vote.body)
    back = back_to(request, reverse("web:home"))
    return act(
        request,
        back,
        _("Everyone on its roll has voted: the vote is closed and counted."),
        lambda: deciding.close_vote_early(actor=member, vote=vote),
    )


@require_POST
@member_page
def dissent(request: HttpRequest, pk: int) -> HttpResponse:
    """Attach the signed-in member's dissent to a decision."""
    decision = decision_with_id(pk)
    member = signed_in_member(request)
    back = back_to(request, reverse("web:home"))
    text = request.POST.get("text", "")
    return act(
        request,
        back,
        _("Your dissent is recorded."),
        lambda: decisions.dissent(actor=member, decision=decision, text=text),
    )


@require_POST
@member_page
def opt_out(request: HttpRequest, pk: int) -> HttpResponse:
    """Declare that the signed-in member opts out of carrying a decision out."""
    decision = decision_with_id(pk)
    member = signed_in_member(request)
    back = back_to(request, reverse("web:home"))
    reason = request.POST.get("reason", "")
    return act(
        request,
        back,
        _("Your opt-out is recorded."),
        lambda: decisions.opt_out(actor=member, decision=decision, reason=reason),
    )
