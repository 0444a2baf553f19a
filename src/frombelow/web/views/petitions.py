"""Petitions from below: open one (a recall with its reason, a referendum, a reopening), sign it,
and see the count against the threshold.

Where an open petition already asks the same, the page links to it instead of offering to open
another: a second petition would only split the signatures (the service refuses it too).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from frombelow.http.ratelimit import limited
from frombelow.services import petitions
from frombelow.services.queries.bodies import body_named, statute_of
from frombelow.services.queries.decisions import decision_with_id
from frombelow.services.queries.kinds import BodyKind, PetitionKind
from frombelow.services.queries.petitions import (
    has_signed,
    latest_petitions,
    motion_opened_by,
    motion_under_way,
    open_recall_petition,
    petition_with_id,
    referendum_opened_by,
    reopenable_decisions,
    signatures_of,
)
from frombelow.services.queries.terms import term_with_id
from frombelow.services.standing import members_under
from frombelow.web.pages import act, member_page, now, reader_of, signed_in_member

REASON_LENGTH = 5000


@member_page
def petition(request: HttpRequest, pk: int) -> HttpResponse:
    """Render a petition: what it asks and why, signatures against the threshold, the button."""
    found = petition_with_id(pk)
    member = reader_of(request, found.body)
    context = {
        "petition": found,
        "signatures": signatures_of(found),
        "signed": has_signed(found, member),
        # What the petition opened once it reached its threshold.
        "opened_motion": motion_opened_by(found) if found.reached_at else None,
        "opened_referendum": referendum_opened_by(found),
        "now": now(),
    }
    return render(request, "web/petition.html", context)


@require_POST
@member_page
@limited("sign")
def sign(request: HttpRequest, pk: int) -> HttpResponse:
    """Sign a petition as the signed-in member."""
    found = petition_with_id(pk)
    member = signed_in_member(request)
    return act(
        request,
        reverse("web:petition", args=[found.pk]),
        _("Your signature is counted."),
        lambda: petitions.sign_petition(actor=member, petition=found),
    )


@member_page
@limited("petition")
def recall(request: HttpRequest, term: int) -> HttpResponse:
    """Ask the reason for recalling the holder of a term, and open the petition with it; or, where
    a petition or a vote to recall them is under way, link to it instead."""
    held = term_with_id(term)
    member = reader_of(request, held.body)
    here = reverse("web:recall-petition", args=[held.pk])
    if request.method == "POST":
        opened: list[int] = []

        def open_it() -> None:
            made = petitions.open_petition(
                actor=member,
                kind=PetitionKind.RECALL,
                body=held.body,
                question=_("Recall %(name)s") % {"name": held.holder.name},
                text=request.POST.get("reason", "")[:REASON_LENGTH],
                term=held,
            )
            opened.append(made.pk)

        response = act(request, here, _("The petition is open, with your signature."), open_it)
        if opened:
            response["Location"] = reverse("web:petition", args=[opened[0]])
        return response
    at = now()
    context = {
        "term": held,
        "body": held.body,
        "open_petition": open_recall_petition(held),
        "under_way": motion_under_way(PetitionKind.RECALL, term=held),
        "required": statute_of(held.body).recall_petition.required(
            len(members_under(held.body, at))
        ),
        "reason_length": REASON_LENGTH,
    }
    return render(request, "web/recall_petition.html", context)


@member_page
def body_petitions(request: HttpRequest, slug: str) -> HttpResponse:
    """Render a body's petitions, and the forms to open a referendum or a reopening petition."""
    body = body_named(slug)
    reader_of(request, body)
    at = now()
    statute = statute_of(body)
    context = {
        "body": body,
        "petitions": [
            {"petition": p, "signatures": signatures_of(p)} for p in latest_petitions(body, 100)
        ],
        "may_ask_referendum": body.kind == BodyKind.COUNCIL,
        "reopenable": reopenable_decisions(body, at),
        "reopening_after_days": statute.reopening_after_days,
        "reason_length": REASON_LENGTH,
    }
    return render(request, "web/body_petitions.html", context)


@require_POST
@member_page
@limited("petition")
def open_petition(request: HttpRequest, slug: str) -> HttpResponse:
    """Open a referendum or reopening petition to a body, signed by its opener, and go to it."""
    body = body_named(slug)
    member = reader_of(request, body)
    kind = request.POST.get("kind", "")
    chosen = request.POST.get("decision", "")
    opened: list[int] = []

    def open_it() -> None:
        decision = decision_with_id(int(chosen)) if chosen.isdigit() else None
        question = request.POST.get("question", "").strip()
        if kind == PetitionKind.REOPENING and not question and decision and decision.motion:
            question = _("Reopen: %(title)s") % {"title": decision.motion.title}
        made = petitions.open_petition(
            actor=member,
            kind=kind,
            body=body,
            question=question[:300],
            text=request.POST.get("reason", "")[:REASON_LENGTH],
            decision=decision,
        )
        opened.append(made.pk)

    back = reverse("web:body-petitions", args=[body.slug])
    response = act(request, back, _("The petition is open, with your signature."), open_it)
    if opened:
        response["Location"] = reverse("web:petition", args=[opened[0]])
    return response
