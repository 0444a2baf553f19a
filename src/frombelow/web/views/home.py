"""The front page: a landing for visitors, a member's home for members."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from frombelow.services.queries.members import home_of
from frombelow.web.pages import member_of, now


def home(request: HttpRequest) -> HttpResponse:
    """Render the member's home, or the landing page for a visitor."""
    member = member_of(request)
    if member is None:
        return render(request, "web/landing.html")
    at = now()
    return render(
        request, "web/home.html", {"member": member, "home": home_of(member, at), "now": at}
    )
