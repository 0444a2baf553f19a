"""The signed-in member's choice of notices by e-mail, by kind, and of the daily digest."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from frombelow.services import notices
from frombelow.services.digest import DIGEST_HOUR
from frombelow.services.queries.kinds import NoticeKind
from frombelow.web.pages import member_page, signed_in_member


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
    kinds = [
        (kind, label, chosen[kind])
        for kind, label in notices.LABELS.items()
        if kind != NoticeKind.DIGEST
    ]
    context = {
        "kinds": kinds,
        "digest": (NoticeKind.DIGEST, chosen[NoticeKind.DIGEST]),
        "hour": f"{DIGEST_HOUR:02d}:00",
        "email": member.email,
    }
    return render(request, "web/notices.html", context)
