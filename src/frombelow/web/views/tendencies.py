"""Tendencies on the pages: every tendency, founding one, joining and leaving it, and publishing
its statements to the bodies one belongs to.

A tendency's page shows how many adhere, not who: a member's current of opinion is theirs to tell.
Its statements show to the readers of the bodies they were addressed to; a hidden one keeps its
title and the decision that hid it.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from frombelow.services import access, tendencies
from frombelow.services.queries.bodies import body_named
from frombelow.services.queries.members import bodies_of
from frombelow.services.queries.tendencies import (
    adherents_of,
    adheres,
    candidacies_for,
    statements_of,
    tendencies_by_name,
    tendency_with_slug,
)
from frombelow.web.pages import act, member_page, now, signed_in_member


@member_page
def tendency_list(request: HttpRequest) -> HttpResponse:
    """Render every tendency with how many adhere, and the form to found one; found it."""
    if request.method == "POST":
        return _found(request)
    signed_in_member(request)
    context = {
        "tendencies": tendencies_by_name(),
        "name_length": tendencies.NAME_LENGTH,
    }
    return render(request, "web/tendencies.html", context)


def _found(request: HttpRequest) -> HttpResponse:
    """Found a tendency, its founder its first adherent, and go to its page."""
    member = signed_in_member(request)
    made: list[str] = []

    def found_it() -> None:
        made.append(tendencies.found_tendency(actor=member, name=request.POST.get("name", "")).slug)

    response = act(
        request,
        reverse("web:tendencies"),
        _("The tendency is founded; you adhere to it."),
        found_it,
    )
    if made:
        response["Location"] = reverse("web:tendency", args=[made[0]])
    return response


@member_page
def tendency(request: HttpRequest, slug: str) -> HttpResponse:
    """Render a tendency: how many adhere, its statements and candidates where the reader reads,
    and the acts the reader may do: join or leave, publish a statement."""
    found_one = tendency_with_slug(slug)
    member = signed_in_member(request)
    at = now()
    readable = access.readable_bodies(access.viewer_at(member, at), at)
    assemblies, councils = bodies_of(member, at)
    context = {
        "tendency": found_one,
        "adherents": adherents_of(found_one),
        "adheres": adheres(member, found_one),
        "statements": statements_of(found_one, readable),
        "candidacies": candidacies_for(found_one, readable),
        # A statement goes to a body its author belongs to, or to a council above one.
        "bodies": [*assemblies, *councils],
        "title_length": tendencies.TITLE_LENGTH,
        "text_length": tendencies.TEXT_LENGTH,
    }
    return render(request, "web/tendency.html", context)


def _page(slug: str) -> str:
    return reverse("web:tendency", args=[slug])


@require_POST
@member_page
def join(request: HttpRequest, slug: str) -> HttpResponse:
    """Adhere to the tendency, by one's own act."""
    found_one = tendency_with_slug(slug)
    member = signed_in_member(request)
    return act(
        request,
        _page(slug),
        _("You adhere to this tendency."),
        lambda: tendencies.adhere(actor=member, tendency=found_one),
    )


@require_POST
@member_page
def leave(request: HttpRequest, slug: str) -> HttpResponse:
    """Leave the tendency, by one's own act."""
    found_one = tendency_with_slug(slug)
    member = signed_in_member(request)
    return act(
        request,
        _page(slug),
        _("You have left this tendency."),
        lambda: tendencies.leave_tendency(actor=member, tendency=found_one),
    )


@require_POST
@member_page
def publish(request: HttpRequest, slug: str) -> HttpResponse:
    """Publish the tendency's statement to a body the author belongs to."""
    found_one = tendency_with_slug(slug)
    member = signed_in_member(request)
    body = body_named(request.POST.get("body", ""))
    return act(
        request,
        _page(slug),
        _("The statement is published."),
        lambda: tendencies.publish_statement(
            actor=member,
            tendency=found_one,
            body=body,
            title=request.POST.get("title", ""),
            text=request.POST.get("text", ""),
        ),
    )
