"""A body's page and its record."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from frombelow.services.queries.bodies import body_named, body_names, members_at, statute_history
from frombelow.services.queries.decisions import latest_decisions
from frombelow.services.queries.entries import entries_of
from frombelow.services.queries.kinds import BodyKind
from frombelow.services.queries.motions import undecided_motions
from frombelow.services.queries.petitions import latest_petitions
from frombelow.services.queries.sessions import latest_sessions
from frombelow.services.queries.statements import latest_statements
from frombelow.services.queries.terms import office_holders_at
from frombelow.services.sessions import may_act_as_secretary
from frombelow.services.standing import MEMBERSHIP_OFFICER, holds_office, takes_part
from frombelow.services.weights import representation_at
from frombelow.web.pages import member_page, now, reader_of
from frombelow.web.statute_words import sentences
from frombelow.web.views.elections import elections_panel
from frombelow.web.views.joining import membership_panel
from frombelow.web.views.sessions import ratifications_panel

if TYPE_CHECKING:
    from frombelow.services.queries.rows import Body

ENTRIES_PER_PAGE = 25


@member_page
def body(request: HttpRequest, slug: str) -> HttpResponse:
    """Render a body: members and weights, statute, office holders, agenda, decisions."""
    found = body_named(slug)
    reader = reader_of(request, found)
    at = now()
    if found.kind == BodyKind.ASSEMBLY:
        members = list(members_at(found, at))
        member_bodies = []
    else:
        members = []
        names = body_names()
        member_bodies = [
            {
                "slug": d.body,
                "name": names.get(d.body, d.body),
                "weight": d.weight,
                "seats": d.seats,
            }
            for d in representation_at(found, at, seed=None).delegations
        ]
    context = {
        "body": found,
        "members": members,
        "member_bodies": member_bodies,
        **statute_panel(found),
        "officers": office_holders_at(found, at),
        "sessions": latest_sessions(found, 10),
        # A council's secretary schedules its sessions (its delegates, while it has none).
        "may_schedule": may_act_as_secretary(reader, found, at, meeting=True),
        "motions": undecided_motions(found, 20),
        "decisions": latest_decisions(found, 20),
        "statements": latest_statements(found, 10),
        "petitions": latest_petitions(found, 10),
        "now": at,
        # Its elected membership officer keeps the roll (and alone sees members' addresses).
        "keeps_roll": found.kind == BodyKind.ASSEMBLY
        and holds_office(reader, found, MEMBERSHIP_OFFICER, at),
        # The reader resigns their own terms from here, and calls elections where they take part.
        "reader": reader,
        **elections_panel(found, reader, at),
        # A member body answers its councils' provisional decisions by its own vote.
        **ratifications_panel(found, reader, at),
        # A member proposes to an assembly they belong to; a delegate to the council they sit in.
        "may_propose": takes_part(reader, found, at),
        # Applications to join, leaving, and the councils this body is asked to found.
        **membership_panel(found, reader, at),
    }
    return render(request, "web/body.html", context)


@member_page
def record(request: HttpRequest, slug: str) -> HttpResponse:
    """Render a body's record, newest entries first, a page at a time."""
    found = body_named(slug)
    reader_of(request, found)
    entries = entries_of(found, newest_first=True)
    page = Paginator(entries, ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "web/record.html", {"body": found, "page": page})


def statute_panel(body: Body) -> dict[str, Any]:
    """The statute in force as sentences, and its history: each version, the decision that
    adopted it, and the sentences it changed."""
    history = statute_history(body)
    versions = []
    before: list[str] = []
    for version, statute in history:
        said = [sentence for _, group in sentences(statute) for sentence in group]
        changed = [sentence for sentence in said if sentence not in before] if before else []
        versions.append({"version": version, "changed": changed})
        before = said
    return {
        "statute": sentences(history[-1][1]) if history else [],
        "rules": history[-1][1] if history else None,
        "statute_versions": list(reversed(versions)),
    }
