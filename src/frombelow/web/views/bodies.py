"""A body's page and its record."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from frombelow.db.mapping import statute_json
from frombelow.db.models import (
    Body,
    Decision,
    Motion,
    Petition,
    RecordEntry,
    Session,
    Statement,
    Term,
)
from frombelow.services.queries.bodies import members_at, statute_of
from frombelow.services.standing import MEMBERSHIP_OFFICER, holds_office, terms_held
from frombelow.services.weights import representation_at
from frombelow.web.pages import member_page, now, reader_of

ENTRIES_PER_PAGE = 25


@member_page
def body(request: HttpRequest, slug: str) -> HttpResponse:
    """Render a body: members and weights, statute, office holders, agenda, decisions."""
    found = get_object_or_404(Body, slug=slug)
    reader = reader_of(request, found)
    at = now()
    if found.kind == Body.Kind.ASSEMBLY:
        members = list(members_at(found, at))
        member_bodies = []
    else:
        members = []
        names = dict(Body.objects.values_list("slug", "name"))
        member_bodies = [
            {
                "slug": d.body,
                "name": names.get(d.body, d.body),
                "weight": d.weight,
                "seats": d.seats,
            }
            for d in representation_at(found, at, seed=None).delegations
        ]
    officers = (
        Term.objects.filter(terms_held(at))
        .filter(Q(body=found) | Q(council=found, office="delegate"))
        .select_related("holder", "body", "council", "substitute_for")
        .order_by("office", "body__name", "started_at")
    )
    context = {
        "body": found,
        "members": members,
        "member_bodies": member_bodies,
        "statute": statute_json(statute_of(found)),
        "officers": list(officers),
        "sessions": list(Session.objects.filter(body=found).order_by("-starts_at")[:10]),
        "motions": list(
            Motion.objects.filter(body=found)
            .exclude(status__in=[Motion.Status.DECIDED, Motion.Status.WITHDRAWN])
            .order_by("-pk")[:20]
        ),
        "decisions": list(
            Decision.objects.filter(body=found)
            .select_related("motion")
            .order_by("-decided_at")[:20]
        ),
        "statements": list(
            Statement.objects.filter(body=found, hiding__isnull=True)
            .select_related("tendency", "author")
            .order_by("-published_at")[:10]
        ),
        "petitions": list(Petition.objects.filter(body=found).order_by("-opened_at")[:10]),
        "now": at,
        # Its elected membership officer keeps the roll (and alone sees members' addresses).
        "keeps_roll": found.kind == Body.Kind.ASSEMBLY
        and holds_office(reader, found, MEMBERSHIP_OFFICER, at),
    }
    return render(request, "web/body.html", context)


@member_page
def record(request: HttpRequest, slug: str) -> HttpResponse:
    """Render a body's record, newest entries first, a page at a time."""
    found = get_object_or_404(Body, slug=slug)
    reader_of(request, found)
    entries = RecordEntry.objects.filter(body=found).order_by("-seq")
    page = Paginator(entries, ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "web/record.html", {"body": found, "page": page})
