"""The front page: a landing for visitors, a member's home for members."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from frombelow.services.queries.members import home_of
from frombelow.services.work import work_of
from frombelow.web.pages import member_of, now


def home(request: HttpRequest) -> HttpResponse:
    """Render the member's home, or the landing page for a visitor: what needs them now, their
    bodies and their delegates."""
    member = member_of(request)
    if member is None:
        return render(request, "web/landing.html")
    at = now()
    home = home_of(member, at)
    work = work_of(member, at, (home.assemblies, home.councils))
    return render(
        request, "web/home.html", {"member": member, "home": home, "work": work, "now": at}
    )
