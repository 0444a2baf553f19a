"""A referendum: the ballot, and the result rolled up the federation as a tree."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from frombelow.http.ratelimit import limited
from frombelow.services import referendums
from frombelow.services.queries.bodies import member_bodies_at
from frombelow.services.queries.kinds import BodyKind
from frombelow.services.queries.referendums import has_taken_part, referendum_with_id
from frombelow.web.pages import act, member_page, now, reader_of, signed_in_member

if TYPE_CHECKING:
    from frombelow.services.queries.rows import Body

BAR = 200  # SVG units of a node's share bar


@dataclass(frozen=True)
class Node:
    """A body in the roll-up: its subtree's ballots by option, its share, its member bodies."""

    body: Body
    counts: dict[str, int]
    electorate: int
    voters: int
    share: float  # of the first option among the ballots under it, 0 to 1
    share_text: str
    bar: float
    children: tuple[Node, ...]


def roll_up_tree(
    council: Body, at: datetime, by_body: dict[str, dict[str, Any]], options: list[str]
) -> Node:
    """Build the tree of bodies under the council as it stood at `at`, with their results."""

    def node(body: Body, path: frozenset[int]) -> Node:
        result = by_body.get(body.slug, {})
        counts = {o: int(result.get(o, 0)) for o in options}
        voters = sum(counts.values())
        share = counts[options[0]] / voters if voters and options else 0.0
        children = (
            tuple(
                node(child, path | {child.pk})
                for child in member_bodies_at(body, at).order_by("name")
                if child.pk not in path
            )
            if body.kind == BodyKind.COUNCIL
            else ()
        )
        return Node(
            body,
            counts,
            int(result.get("electorate", 0)),
            voters,
            share,
            f"{share:.0%}",
            share * BAR,
            children,
        )

    return node(council, frozenset({council.pk}))


@member_page
def referendum(request: HttpRequest, pk: int) -> HttpResponse:
    """Render a referendum: the ballot while open; the rolled-up result once counted."""
    found = referendum_with_id(pk)
    member = reader_of(request, found.council)
    at = now()
    result = getattr(found, "result", None)
    voted = has_taken_part(found, member)
    context = {
        "referendum": found,
        "result": result,
        "voted": voted,
        "may_vote": result is None and found.closes_at > at and not voted,
        "may_count": result is None and found.closes_at <= at,
        "tree": roll_up_tree(found.council, found.opened_at, result.by_body, found.options)
        if result is not None
        else None,
        "bar": BAR,
        "now": at,
    }
    return render(request, "web/referendum.html", context)


@require_POST
@member_page
@limited("cast")
def vote(request: HttpRequest, pk: int) -> HttpResponse:
    """Cast the signed-in member's referendum ballot."""
    found = referendum_with_id(pk)
    member = signed_in_member(request)
    option = request.POST.get("choice", "")
    return act(
        request,
        reverse("web:referendum", args=[found.pk]),
        _("Your ballot is cast."),
        lambda: referendums.cast_referendum_ballot(actor=member, referendum=found, option=option),
    )


@require_POST
@member_page
def count(request: HttpRequest, pk: int) -> HttpResponse:
    """Count a referendum after it closes (anyone may ask)."""
    found = referendum_with_id(pk)
    member = signed_in_member(request)
    return act(
        request,
        reverse("web:referendum", args=[found.pk]),
        _("The referendum is counted."),
        lambda: referendums.close_referendum(actor=member, referendum=found),
    )
