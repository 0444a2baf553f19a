"""Due process on the pages: file a charge, reply to it, propose the motion that hears it, appeal
a sanction to a council above and propose the council's decision on the appeal.

Each step shows its deadline: the accused's time to reply (the statute's days from the filing),
from when the body may vote, the vote's close, a suspension's end. The accused reads their
charge and the sanctioned member their sanction even once they are no longer on the body's roll,
so that they can reply and appeal.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from frombelow.core.errors import DueProcessError
from frombelow.services import charges, hearings, sanctions
from frombelow.services.queries.bodies import body_named, member_bodies_at, members_at
from frombelow.services.queries.charges import (
    appeal_with_id,
    appeals_of,
    appeals_to,
    bodies_with_ids,
    charge_with_id,
    charges_against,
    charges_before,
    hearings_of,
    latest_vote_on,
    motions_on_appeal,
    reply_due,
    sanction_of,
    sanction_with_id,
    sanctions_of,
)
from frombelow.services.queries.decisions import decision_on_motion
from frombelow.services.queries.kinds import BodyKind, MotionStatus
from frombelow.services.queries.members import member_with_id
from frombelow.services.queries.statements import shown_statements_to
from frombelow.services.queries.tendencies import statement_with_id
from frombelow.services.standing import councils_above, takes_part
from frombelow.web.pages import act, member_page, now, reader_of, signed_in_member

if TYPE_CHECKING:
    from frombelow.services.queries.rows import Body, Charge, Member, Motion, Sanction

TEXT_LENGTH = 20_000
UNDECIDED = (MotionStatus.DRAFT, MotionStatus.SUBMITTED, MotionStatus.VOTING)


def _reader_of_any(request: HttpRequest, bodies: list[Body]) -> Member:
    """Return the signed-in member if they may read one of the bodies, else answer 403."""
    refused: PermissionDenied | None = None
    for body in bodies:
        try:
            return reader_of(request, body)
        except PermissionDenied as refusal:
            refused = refused or refusal
    raise refused or PermissionDenied()


def _charge_reader(request: HttpRequest, charge: Charge) -> Member:
    """Return the signed-in member if they read the charge's body or are its accused."""
    member = signed_in_member(request)
    if charges.is_accused(member, charge):
        return member
    return reader_of(request, charge.body)


def _hearing(motion: Motion) -> dict[str, Any]:
    vote = latest_vote_on(motion)
    return {"motion": motion, "vote": vote, "decision": decision_on_motion(motion)}


@member_page
def body_charges(request: HttpRequest, slug: str) -> HttpResponse:
    """Render the charges before a body, the appeals made to it, and the form to file a charge."""
    body = body_named(slug)
    member = reader_of(request, body)
    at = now()
    chosen = request.GET.get("statement", "")
    context = {
        "body": body,
        "charges": [
            {"charge": c, "due": reply_due(c), "replied": charges.reply_of(c) is not None}
            for c in charges_before(body)
        ],
        "appeals": appeals_to(body) if body.kind == BodyKind.COUNCIL else [],
        "may_file": takes_part(member, body, at),
        # A member is sanctioned by their assembly; a member body is expelled by its council.
        "members": list(members_at(body, at)) if body.kind == BodyKind.ASSEMBLY else [],
        "member_bodies": list(member_bodies_at(body, at)) if body.kind == BodyKind.COUNCIL else [],
        "statements": shown_statements_to(body),
        # The statement a tendency's page sent the reader here to charge, chosen already.
        "chosen": int(chosen) if chosen.isdigit() else None,
        "text_length": TEXT_LENGTH,
        "now": at,
    }
    return render(request, "web/body_charges.html", context)


def _accused(value: str) -> dict[str, Any]:
    """Read the accused a form names as member:ID, body:SLUG or statement:ID."""
    kind, _sep, key = value.partition(":")
    if kind == "member" and key.isdigit():
        return {"accused_member": member_with_id(int(key))}
    if kind == "body" and key:
        return {"accused_body": body_named(key)}
    if kind == "statement" and key.isdigit():
        return {"statement": statement_with_id(int(key))}
    raise DueProcessError("a charge accuses one member body, one member or one statement")


@require_POST
@member_page
def file(request: HttpRequest, slug: str) -> HttpResponse:
    """File a charge before the body against the one accused the form names."""
    body = body_named(slug)
    member = reader_of(request, body)
    filed: list[int] = []

    def file_it() -> None:
        made = charges.file_charge(
            actor=member,
            body=body,
            text=request.POST.get("text", "")[:TEXT_LENGTH],
            **_accused(request.POST.get("accused", "")),
        )
        filed.append(made.pk)

    response = act(
        request,
        reverse("web:body-charges", args=[slug]),
        _("The charge is filed; the accused is asked to reply."),
        file_it,
    )
    if filed:
        response["Location"] = reverse("web:charge", args=[filed[0]])
    return response


def _steps(charge: Charge, at: datetime) -> dict[str, Any]:
    """Return the deadlines of the charge's steps: the reply's, and from when it may be heard."""
    due = reply_due(charge)
    reply = charges.reply_of(charge)
    return {
        "due": due,
        "reply": reply,
        "late": reply is None and at >= due,
        # The body puts its motion to the vote once the reply is in, or its time has passed.
        "heard_from": reply.replied_at if reply else due,
    }


@member_page
def charge(request: HttpRequest, pk: int) -> HttpResponse:
    """Render a charge with each step of its due process and its deadline, and the acts the
    reader may do: reply, propose the hearing, appeal the sanction."""
    found = charge_with_id(pk)
    member = _charge_reader(request, found)
    at = now()
    hearings_made = [_hearing(m) for m in hearings_of(found)]
    sanction = sanction_of(found)
    context = {
        "charge": found,
        **_steps(found, at),
        "may_reply": charges.reply_of(found) is None and charges.may_reply(member, found),
        "hearings": hearings_made,
        "may_propose": takes_part(member, found.body, at)
        and sanction is None
        and not any(h["motion"].status in UNDECIDED for h in hearings_made),
        "sanction": sanction,
        "now": at,
        "text_length": TEXT_LENGTH,
    }
    return render(request, "web/charge.html", context)


@require_POST
@member_page
def reply(request: HttpRequest, pk: int) -> HttpResponse:
    """Enter the accused's written reply to a charge."""
    found = charge_with_id(pk)
    member = _charge_reader(request, found)
    return act(
        request,
        reverse("web:charge", args=[pk]),
        _("Your reply is in the record."),
        lambda: charges.reply_to_charge(
            actor=member, charge=found, text=request.POST.get("text", "")[:TEXT_LENGTH]
        ),
    )


@require_POST
@member_page
def propose_hearing(request: HttpRequest, pk: int) -> HttpResponse:
    """Propose the motion that hears the charge, as a draft, and go to it."""
    found = charge_with_id(pk)
    member = reader_of(request, found.body)
    sanction = request.POST.get("sanction", "")
    days = request.POST.get("days", "").strip()
    made: list[int] = []

    def propose_it() -> None:
        if days and not days.isdigit():
            raise DueProcessError("a suspension states how many days it lasts")
        made.append(
            hearings.propose_hearing(
                actor=member,
                charge=found,
                text=request.POST.get("text", "")[:TEXT_LENGTH],
                sanction=sanction,
                days=int(days) if days and sanction == "suspension" else None,
            ).pk
        )

    response = act(
        request,
        reverse("web:charge", args=[pk]),
        _("The motion is proposed as a draft: submit it for debate on its page."),
        propose_it,
    )
    if made:
        response["Location"] = reverse("web:motion", args=[made[0]])
    return response


def _sanction_reader(request: HttpRequest, sanction: Sanction) -> Member:
    """Return the signed-in member if they are the sanctioned one, or read the assembly or a
    council the sanction was appealed to."""
    member = signed_in_member(request)
    if member.pk == sanction.member_id:
        return member
    return _reader_of_any(request, [sanction.assembly, *(a.council for a in appeals_of(sanction))])


@member_page
def sanction_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Render a sanction, the charge and reply it rests on, and its appeals with the councils'
    motions on them; the sanctioned member appeals from here, a council's delegates propose."""
    found = sanction_with_id(pk)
    member = _sanction_reader(request, found)
    at = now()
    lifted = hasattr(found, "lifting")
    appealed = appeals_of(found)
    above = councils_above(found.assembly, at)
    appealed_to = {a.council_id for a in appealed}
    context = {
        "sanction": found,
        "charge": found.charge,
        "reply": charges.reply_of(found.charge),
        "lifting": found.lifting if lifted else None,
        "appeals": [
            {
                "appeal": a,
                "hearings": [_hearing(m) for m in motions_on_appeal(a)],
                "may_propose": not lifted and takes_part(member, a.council, at),
            }
            for a in appealed
        ],
        "may_appeal": member.pk == found.member_id and not lifted,
        "councils": [c for c in bodies_with_ids(above) if c.pk not in appealed_to],
        "now": at,
        "text_length": TEXT_LENGTH,
    }
    return render(request, "web/sanction.html", context)


@require_POST
@member_page
def appeal(request: HttpRequest, pk: int) -> HttpResponse:
    """Appeal one's own sanction to a council above one's assembly."""
    found = sanction_with_id(pk)
    member = signed_in_member(request)
    council = body_named(request.POST.get("council", ""))
    return act(
        request,
        reverse("web:sanction", args=[pk]),
        _("Your appeal is made; the council decides on it."),
        lambda: sanctions.appeal(
            actor=member,
            sanction=found,
            council=council,
            text=request.POST.get("text", "")[:TEXT_LENGTH],
        ),
    )


@require_POST
@member_page
def propose_appeal_decision(request: HttpRequest, pk: int) -> HttpResponse:
    """Propose to the council the motion that lifts the appealed sanction, and go to it."""
    found = appeal_with_id(pk)
    member = reader_of(request, found.council)
    made: list[int] = []

    def propose_it() -> None:
        made.append(
            hearings.propose_appeal_decision(
                actor=member,
                appeal=found,
                text=request.POST.get("text", "")[:TEXT_LENGTH],
            ).pk
        )

    response = act(
        request,
        reverse("web:sanction", args=[found.sanction_id]),
        _("The motion is proposed as a draft: submit it for debate on its page."),
        propose_it,
    )
    if made:
        response["Location"] = reverse("web:motion", args=[made[0]])
    return response


@member_page
def mine(request: HttpRequest) -> HttpResponse:
    """Render the charges against the signed-in member and the sanctions on them."""
    member = signed_in_member(request)
    at = now()
    context = {
        "charges": [{"charge": c, **_steps(c, at)} for c in charges_against(member)],
        "sanctions": sanctions_of(member),
        "now": at,
    }
    return render(request, "web/my_charges.html", context)
