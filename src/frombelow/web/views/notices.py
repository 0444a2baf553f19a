"""The signed-in member's choice of notices by e-mail."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from frombelow.services import notices
from frombelow.services.queries.kinds import NoticeKind
from frombelow.web.pages import member_page, signed_in_member


def labels() -> dict[str, str]:
    """Return what each kind of notice tells, in the reader's language."""
    return {
        NoticeKind.VOTE_OPENED: _("A vote opens in one of my bodies"),
        NoticeKind.VOTE_CLOSING: _("A day before a vote I have not cast closes"),
        NoticeKind.MANDATE_DECIDED: _("My body's mandate on a council's item is decided"),
        NoticeKind.RECALL_PETITION: _("A petition to recall my body's delegate or officer opens"),
    }


@member_page
def notices_page(request: HttpRequest) -> HttpResponse:
    """Show which notices the member gets, and save their choice."""
    member = signed_in_member(request)
    if request.method == "POST":
        notices.choose_notices(
            member=member,
            wanted=[kind for kind in NoticeKind.values if request.POST.get(kind) == "on"],
        )
        messages.success(request, _("Your choice of notices is saved."))
        return HttpResponseRedirect(reverse("web:notices"))
    chosen = notices.choices_of(member)
    kinds = [(kind, label, chosen[kind]) for kind, label in labels().items()]
    return render(request, "web/notices.html", {"kinds": kinds, "email": member.email})
