"""Petitions from below: sign, and see the count against the threshold."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from frombelow.config.ratelimit import limited
from frombelow.core.errors import DomainError
from frombelow.db.models import Motion, Petition, Referendum, Term
from frombelow.services import petitions
from frombelow.services.refusals import explain
from frombelow.web.pages import act, member_page, now, reader_of, signed_in_member


@member_page
def petition(request: HttpRequest, pk: int) -> HttpResponse:
    """Render a petition: what it asks, signatures against the threshold, the sign button."""
    found = get_object_or_404(Petition.objects.select_related("body", "term__holder"), pk=pk)
    member = reader_of(request, found.body)
    signatures = found.signatures.count()
    context = {
        "petition": found,
        "signatures": signatures,
        "signed": found.signatures.filter(member=member).exists(),
        # What the petition opened once it reached its threshold.
        "opened_motion": Motion.objects.filter(details__petition=found.pk).first()
        if found.reached_at
        else None,
        "opened_referendum": Referendum.objects.filter(petition=found).first(),
        "now": now(),
    }
    return render(request, "web/petition.html", context)


@require_POST
@member_page
@limited("sign")
def sign(request: HttpRequest, pk: int) -> HttpResponse:
    """Sign a petition as the signed-in member."""
    found = get_object_or_404(Petition, pk=pk)
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
    held = get_object_or_404(Term.objects.select_related("holder", "body"), pk=term)
    member = signed_in_member(request)
    try:
        opened = petitions.open_petition(
            actor=member,
            kind=Petition.Kind.RECALL,
            body=held.body,
            question=_("Recall %(name)s") % {"name": held.holder.name},
            text=request.POST.get("text", ""),
            term=held,
        )
    except DomainError as refusal:
        messages.error(request, _("Refused: %(reason)s") % {"reason": explain(refusal)})
        return HttpResponseRedirect(reverse("web:body", args=[held.body.slug]))
    return HttpResponseRedirect(reverse("web:petition", args=[opened.pk]))
