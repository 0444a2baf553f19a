"""Petitions from below: sign, and see the count against the threshold."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from frombelow.core.errors import DomainError
from frombelow.http.ratelimit import limited
from frombelow.services import petitions
from frombelow.services.queries.kinds import PetitionKind
from frombelow.services.queries.petitions import (
    has_signed,
    motion_opened_by,
    petition_with_id,
    referendum_opened_by,
)
from frombelow.services.queries.terms import term_with_id
from frombelow.services.refusals import explain
from frombelow.web.pages import act, member_page, now, reader_of, signed_in_member


@member_page
def petition(request: HttpRequest, pk: int) -> HttpResponse:
    """Render a petition: what it asks, signatures against the threshold, the sign button."""
    found = petition_with_id(pk)
    member = reader_of(request, found.body)
    signatures = found.signatures.count()
    context = {
        "petition": found,
        "signatures": signatures,
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


@require_POST
@member_page
@limited("petition")
def recall(request: HttpRequest, term: int) -> HttpResponse:
    """Open a petition to recall the holder of a term, and go to it."""
    held = term_with_id(term)
    member = signed_in_member(request)
    try:
        opened = petitions.open_petition(
            actor=member,
            kind=PetitionKind.RECALL,
            body=held.body,
            question=_("Recall %(name)s") % {"name": held.holder.name},
            text=request.POST.get("text", ""),
            term=held,
        )
    except DomainError as refusal:
        messages.error(request, _("Refused: %(reason)s") % {"reason": explain(refusal)})
        return HttpResponseRedirect(reverse("web:body", args=[held.body.slug]))
    return HttpResponseRedirect(reverse("web:petition", args=[opened.pk]))
