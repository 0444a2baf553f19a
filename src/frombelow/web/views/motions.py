"""A motion's way to a decision on the pages: propose, edit, support, submit, amend, withdraw,
put to the vote, enter a meeting's tally, report on the decision's implementation.

Each view reads the form, calls one service through `act`, and goes back to the motion's page;
the service refuses what the statute refuses, and its transaction stores nothing of a refusal.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from frombelow.core.errors import DecisionError
from frombelow.services import deciding, decisions, motions, votes
from frombelow.services.motion_kinds import kind_of
from frombelow.services.motions import debated_since, notice_ends
from frombelow.services.queries.bodies import body_named, statute_of
from frombelow.services.queries.decisions import (
    decision_with_id,
    implementation_of,
    implementers_of,
    is_overdue,
    progress_reports,
)
from frombelow.services.queries.kinds import (
    AmendmentStatus,
    BallotKind,
    BodyKind,
    MotionStatus,
    VoteMode,
)
from frombelow.services.queries.members import members_with_ids
from frombelow.services.queries.motions import (
    amendment_with_id,
    amendments_of,
    motion_with_id,
    supporters_of,
)
from frombelow.services.queries.votes import latest_vote_on_amendment, vote_with_id
from frombelow.services.standing import SECRETARY, holds_office, takes_part
from frombelow.services.votes import due_at, earliest_close
from frombelow.web.pages import act, member_page, reader_of, signed_in_member

if TYPE_CHECKING:
    from frombelow.services.queries.rows import Amendment, Decision, Member, Motion


def motion_page(motion: Motion) -> str:
    """Return the address of the motion's page."""
    return reverse("web:motion", args=[motion.pk])


def ids_from(request: HttpRequest, field: str) -> list[int]:
    """Read the member ids a form's checkboxes or list posted under `field`."""
    values = request.POST.getlist(field)
    for value in values:
        if not value.isdigit():
            raise DecisionError(
                "%(field)s: %(value)r is no member's number", field=field, value=value
            )
    return [int(value) for value in values]


def members_from(request: HttpRequest, field: str) -> list[Member]:
    """Return the members a form names under `field`, refusing a number that is no member's."""
    wanted = ids_from(request, field)
    found = members_with_ids(wanted)
    missing = sorted(set(wanted) - {m.pk for m in found})
    if missing:
        raise DecisionError(
            "%(field)s: there is no member %(number)s", field=field, number=missing[0]
        )
    return found


def moment_from(request: HttpRequest, field: str) -> datetime | None:
    """Read a date and time typed in the form (the site's time zone), or None if left blank."""
    text = request.POST.get(field, "").strip()
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise DecisionError(
            "%(field)s: %(text)r is no date and time (write 2026-05-01 18:00)",
            field=field,
            text=text,
        ) from None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, timezone.get_current_timezone())
    return moment


def _local_minute(moment: datetime) -> str:
    """Write a moment as a datetime-local input takes it, in the site's time zone."""
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def motion_acts(motion: Motion, member: Member, at: datetime) -> dict[str, Any]:
    """Return the motion's supporters and amendments, and which acts on it this member may do.

    A form is offered only to whom its service would not refuse for who they are; a refusal
    for what happened since (a vote opened meanwhile) still comes back as a message.
    """
    body = motion.body
    status = motion.status
    proposer = motion.proposer_id == member.pk
    taking_part = takes_part(member, body, at)
    supporters = supporters_of(motion)
    statute = statute_of(body)
    needed = statute.motion_supporters
    amendable = not kind_of(motion.kind).as_proposed
    assembly = body.kind == BodyKind.ASSEMBLY
    secretary = assembly and holds_office(member, body, SECRETARY, at)
    rows = amendments_of(motion)
    pending = any(a.status in (AmendmentStatus.PROPOSED, AmendmentStatus.VOTING) for a in rows)
    debated = status == MotionStatus.SUBMITTED
    earliest = earliest_close(statute, at)
    # Only the elected secretary puts a motion to the vote, once its notice has passed; until
    # the deadline, after which it opens by itself.
    waiting = debated and assembly
    put_from = notice_ends(statute, debated_since(motion)) if waiting else None
    by_itself = due_at(statute, motion) if waiting else None
    return {
        "supporters": supporters,
        "supporters_needed": needed,
        "secretary": secretary,
        "put_from": put_from,
        "noticed": put_from is not None and put_from <= at,
        "opens_by_itself_at": by_itself,
        "amendable_until": by_itself if waiting and amendable else None,
        "may_edit": proposer and status == MotionStatus.DRAFT,
        "may_submit": proposer and status == MotionStatus.DRAFT and len(supporters) >= needed,
        "may_support": status == MotionStatus.DRAFT
        and taking_part
        and not proposer
        and member not in supporters,
        "may_withdraw": proposer and status in (MotionStatus.DRAFT, MotionStatus.SUBMITTED),
        "may_amend": debated
        and taking_part
        and amendable
        and (by_itself is None or at < by_itself),
        "may_put": secretary and not pending and put_from is not None and put_from <= at,
        "pending_amendments": debated and pending,
        # The input's least value is the soonest close the statute allows (to the minute);
        # its first offer is an hour or more later, on the hour, so that a form left open a
        # while before it is sent still closes late enough.
        "earliest_close": _local_minute(earliest + timedelta(seconds=59)),
        "offered_close": _local_minute(
            (earliest + timedelta(hours=2)).replace(minute=0, second=0, microsecond=0)
        ),
        "min_voting_hours": statute.min_voting_hours,
        "amendments": [amendment_acts(a, motion, member, at, secretary) for a in rows],
    }


def amendment_acts(
    amendment: Amendment, motion: Motion, member: Member, at: datetime, secretary: bool
) -> dict[str, Any]:
    """Return an amendment's vote and which acts on it this member may do: withdraw it (its
    proposer, while proposed), put it to the vote (the secretary, once its notice has passed)."""
    proposed = amendment.status == AmendmentStatus.PROPOSED
    waiting = proposed and motion.status == MotionStatus.SUBMITTED
    put_from = notice_ends(statute_of(motion.body), amendment.proposed_at) if waiting else None
    return {
        "amendment": amendment,
        "vote": latest_vote_on_amendment(amendment),
        "may_withdraw": amendment.proposer_id == member.pk and proposed,
        "put_from": put_from,
        "may_put": secretary and put_from is not None and put_from <= at,
    }


def implementation_view(decision: Decision | None, member: Member, at: datetime) -> dict[str, Any]:
    """Return who carries the decision out, by when, their reports, and whether it is overdue."""
    implementation = implementation_of(decision) if decision else None
    if implementation is None:
        return {"implementation": None}
    implementers = implementers_of(implementation)
    return {
        "implementation": implementation,
        "implementers": implementers,
        "reports": progress_reports(implementation),
        "overdue": is_overdue(implementation, at),
        "may_report": member in implementers,
    }


@require_POST
@member_page
def propose(request: HttpRequest, slug: str) -> HttpResponse:
    """Propose a draft motion to a body, with who carries it out and by when if it carries."""
    body = body_named(slug)
    member = reader_of(request, body)
    made: list[Motion] = []

    def propose_it() -> None:
        made.append(
            motions.propose_motion(
                actor=member,
                body=body,
                title=request.POST.get("title", ""),
                text=request.POST.get("text", ""),
                opt_out_allowed=request.POST.get("opt_out_allowed") == "on",
                details=question_from(request),
                implementers=members_from(request, "implementers"),
                implement_by=date_from(request, "implement_by"),
            )
        )

    response = act(
        request, reverse("web:body", args=[slug]), _("Your motion is proposed."), propose_it
    )
    if made:
        response["Location"] = motion_page(made[0])
    return response


def question_from(request: HttpRequest) -> dict[str, Any]:
    """Read how the motion is put: yes or no, or a choice among the options typed one a line."""
    method = request.POST.get("method", "majority")
    if method == "majority":
        return {}
    lines = request.POST.get("options", "").splitlines()
    return {"method": method, "options": [line.strip() for line in lines if line.strip()]}


def date_from(request: HttpRequest, field: str) -> date | None:
    """Read a date typed as 2026-05-01, or None if left blank."""
    text = request.POST.get(field, "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise DecisionError(
            "%(field)s: %(text)r is no date (write 2026-05-01)", field=field, text=text
        ) from None


@require_POST
@member_page
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change the title and text of one's own draft."""
    motion = motion_with_id(pk)
    member = reader_of(request, motion.body)
    return act(
        request,
        motion_page(motion),
        _("Your draft is changed."),
        lambda: motions.edit_motion(
            actor=member,
            motion=motion,
            title=request.POST.get("title", ""),
            text=request.POST.get("text", ""),
        ),
    )


@require_POST
@member_page
def support(request: HttpRequest, pk: int) -> HttpResponse:
    """Add the signed-in member's support to a draft."""
    motion = motion_with_id(pk)
    member = reader_of(request, motion.body)
    return act(
        request,
        motion_page(motion),
        _("Your support is recorded."),
        lambda: motions.support_motion(actor=member, motion=motion),
    )


@require_POST
@member_page
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    """Submit one's own draft for debate."""
    motion = motion_with_id(pk)
    member = reader_of(request, motion.body)
    return act(
        request,
        motion_page(motion),
        _("The motion is submitted for debate."),
        lambda: motions.submit_motion(actor=member, motion=motion),
    )


@require_POST
@member_page
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """Withdraw one's own motion before it is put to the vote."""
    motion = motion_with_id(pk)
    member = reader_of(request, motion.body)
    return act(
        request,
        motion_page(motion),
        _("The motion is withdrawn."),
        lambda: motions.withdraw_motion(actor=member, motion=motion),
    )


@require_POST
@member_page
def amend(request: HttpRequest, pk: int) -> HttpResponse:
    """Propose a new text for a submitted motion."""
    motion = motion_with_id(pk)
    member = reader_of(request, motion.body)
    return act(
        request,
        motion_page(motion),
        _("Your amendment is proposed."),
        lambda: motions.propose_amendment(
            actor=member, motion=motion, text=request.POST.get("text", "")
        ),
    )


def _amendment(request: HttpRequest, pk: int) -> tuple[Amendment, Member]:
    amendment = amendment_with_id(pk)
    return amendment, reader_of(request, amendment.motion.body)


@require_POST
@member_page
def withdraw_amendment(request: HttpRequest, pk: int) -> HttpResponse:
    """Withdraw one's own amendment before it is put to the vote."""
    amendment, member = _amendment(request, pk)
    return act(
        request,
        motion_page(amendment.motion),
        _("The amendment is withdrawn."),
        lambda: motions.withdraw_amendment(actor=member, amendment=amendment),
    )


def _put(request: HttpRequest, member: Member, motion: Motion, amendment: Amendment | None) -> None:
    """Open the vote the form asks for: online until a time, or at a meeting."""
    mode = request.POST.get("mode", VoteMode.ONLINE)
    if mode not in VoteMode.values:
        raise DecisionError("a vote is taken online or at a meeting, not %(mode)r", mode=mode)
    kind = request.POST.get("ballot_kind", BallotKind.OPEN)
    votes.open_vote(
        actor=member,
        motion=motion if amendment is None else None,
        amendment=amendment,
        ballot_kind=kind,
        mode=mode,
        closes_at=moment_from(request, "closes_at") if mode == VoteMode.ONLINE else None,
    )


@require_POST
@member_page
def put_motion(request: HttpRequest, pk: int) -> HttpResponse:
    """Put a submitted motion to the vote of its assembly."""
    motion = motion_with_id(pk)
    member = reader_of(request, motion.body)
    return act(
        request,
        motion_page(motion),
        _("The motion is put to the vote."),
        lambda: _put(request, member, motion, None),
    )


@require_POST
@member_page
def put_amendment(request: HttpRequest, pk: int) -> HttpResponse:
    """Put an amendment to the vote of its motion's assembly."""
    amendment, member = _amendment(request, pk)
    return act(
        request,
        motion_page(amendment.motion),
        _("The amendment is put to the vote."),
        lambda: _put(request, member, amendment.motion, amendment),
    )


@require_POST
@member_page
def tally(request: HttpRequest, pk: int) -> HttpResponse:
    """Enter a meeting's attendance and its count, as the elected secretary, and close the vote."""
    vote = vote_with_id(pk)
    member = reader_of(request, vote.body)
    back = request.POST.get("next", "") or reverse("web:home")

    def enter() -> None:
        counts = []
        for index, option in enumerate(vote.options):
            text = request.POST.get(f"count-{index}", "").strip() or "0"
            if not text.isdigit():
                raise DecisionError("a count is a whole number, not %(count)r", count=text)
            counts.append(([[option]], int(text)))
        deciding.enter_tally(
            actor=member, vote=vote, counts=counts, attendance=members_from(request, "present")
        )

    return act(request, back, _("The meeting's tally is entered and the vote counted."), enter)


@require_POST
@member_page
def report(request: HttpRequest, pk: int) -> HttpResponse:
    """Report progress on carrying a decision out, as one it named."""
    decision = decision_with_id(pk)
    member = signed_in_member(request)
    reader_of(request, decision.body)
    back = motion_page(decision.motion) if decision.motion else reverse("web:home")

    def report_it() -> None:
        implementation = implementation_of(decision)
        if implementation is None:
            raise DecisionError("this decision names no one to carry it out")
        decisions.report_progress(
            actor=member,
            implementation=implementation,
            text=request.POST.get("text", ""),
            done=request.POST.get("done") == "on",
        )

    return act(request, back, _("Your report is recorded."), report_it)
