"""My member profile and the bodies I belong to or serve."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from frombelow.api.auth import acting_member
from frombelow.api.bodies import TermOut, term_out
from frombelow.api.common import ERRORS
from frombelow.services import access, clock
from frombelow.services.queries.terms import terms_held_by

router = Router(tags=["members"])


class MyBody(Schema):
    """A body I read, and what I am there."""

    slug: str
    name: str
    kind: str
    member: bool
    suspended: bool
    takes_part: bool


class Me(Schema):
    """Who I am, my bodies and the seats and offices I hold."""

    id: int
    name: str
    email: str
    bodies: list[MyBody]
    terms: list[TermOut]


@router.get("/me", response={200: Me, **ERRORS}, summary="Read my profile and bodies")
def me(request: HttpRequest) -> Me:
    """Return the asking member, the bodies they read, and the terms they hold now."""
    member = acting_member(request)
    now = clock.now()
    viewer = access.viewer_at(member, now)
    bodies = [
        MyBody(
            slug=b.slug,
            name=b.name,
            kind=b.kind,
            member=b.slug in viewer.assemblies,
            suspended=b.slug in viewer.suspended,
            takes_part=access.may_act(viewer, b, now),
        )
        for b in access.readable_bodies(viewer, now)
    ]
    terms = terms_held_by(member, now)
    return Me(
        id=member.pk,
        name=member.name,
        email=member.email,
        bodies=bodies,
        terms=[term_out(t) for t in terms],
    )
