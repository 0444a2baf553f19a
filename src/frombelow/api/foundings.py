"""Founding: the statute templates, convening the founding of an assembly, each founder's answer;
and the founding of a council by its founding bodies' decisions."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.responses import Status

from frombelow.api.auth import acting_member, viewer_of
from frombelow.api.common import ERRORS, iso
from frombelow.api.motions import MotionOut, motion_out
from frombelow.core.errors import StandingError
from frombelow.services import access, clock, founding, motions
from frombelow.services.council_foundings import founding_details
from frombelow.services.founding import Invitee
from frombelow.services.queries.bodies import body_named, body_names
from frombelow.services.queries.foundings import (
    CouncilFoundingState,
    council_founding_state,
    founding_state,
    founding_with_id,
    foundings_of,
    is_founder_of,
)
from frombelow.services.queries.kinds import MotionKindCode
from frombelow.services.queries.motions import motion_with_id
from frombelow.services.statute_templates import TEMPLATES, rules_of, statute_from

if TYPE_CHECKING:
    from frombelow.services.queries.rows import Founding, Member, Motion

router = Router(tags=["founding"])


class TemplateOut(Schema):
    """A first statute to start a founding from: every rule can be changed when convening."""

    code: str
    label: str
    description: str
    statute: dict[str, Any]


class InviteeIn(Schema):
    """A founder to invite, by the address their invitation goes to."""

    name: str = Field(min_length=1, max_length=200)
    email: str = Field(min_length=3, max_length=254)


class FoundingIn(Schema):
    """The founding of an assembly to convene: its name and short name, its first statute (a
    template's, with `rules` changed: each by its name, as a statute's JSON writes it), and the
    founders to invite besides the convenor."""

    name: str = Field(min_length=1, max_length=200)
    slug: str = Field(min_length=1, max_length=100)
    template: str = Field(default="", description="a statute template's code, or none")
    rules: dict[str, Any] = Field(default_factory=dict)
    founders: list[InviteeIn] = Field(min_length=1, max_length=founding.MOST_INVITED)


class MoreFoundersIn(Schema):
    """More founders to invite to a founding under way."""

    founders: list[InviteeIn] = Field(min_length=1, max_length=founding.MOST_INVITED)


class FounderOut(Schema):
    """A founder invited, and their own answer."""

    member: int
    name: str
    invited_at: str
    accepted_at: str | None
    declined_at: str | None


class FoundingOut(Schema):
    """A founding: its first statute, its founders' answers, and where it stands."""

    id: int
    name: str
    slug: str
    template: str
    statute: dict[str, Any]
    convenor: int
    convened_at: str
    lapses_at: str
    status: str = Field(description="open, founded or lapsed")
    accepted: int
    needed: int = Field(description="how many more founders must accept before it exists")
    founders: list[FounderOut]
    body: str | None = Field(description="the assembly's slug, once founded")


def founding_out(row: Founding) -> FoundingOut:
    """Describe a founding with every founder's answer."""
    state = founding_state(row, clock.now())
    return FoundingOut(
        id=row.pk,
        name=row.name,
        slug=row.slug,
        template=row.template,
        statute=dict(row.rules),
        convenor=row.convenor_id,
        convened_at=row.convened_at.isoformat(),
        lapses_at=row.lapses_at.isoformat(),
        status=state.status,
        accepted=state.accepted,
        needed=state.needed,
        founders=[
            FounderOut(
                member=f.member_id,
                name=f.member.name,
                invited_at=f.invited_at.isoformat(),
                accepted_at=iso(f.accepted_at),
                declined_at=iso(f.declined_at),
            )
            for f in state.founders
        ],
        body=row.body.slug if row.body else None,
    )


def _founding(request: HttpRequest, founding_id: int) -> tuple[Founding, Member]:
    """Return the founding and the asking member, refusing who was not invited to it."""
    row = founding_with_id(founding_id)
    member = acting_member(request)
    if not is_founder_of(member, row):
        raise access.AccessError(
            "%(member)s is not among those invited to found %(assembly)s",
            member=member.name,
            assembly=row.name,
        )
    return row, member


@router.get(
    "/statute-templates",
    response={200: list[TemplateOut], **ERRORS},
    summary="List the statute templates",
)
def list_templates(request: HttpRequest) -> list[TemplateOut]:
    """Return the first statutes a founding may start from."""
    acting_member(request)
    return [
        TemplateOut(
            code=t.code,
            label=t.label,
            description=t.description,
            statute=rules_of(t.statute),
        )
        for t in TEMPLATES.values()
    ]


@router.get("/foundings", response={200: list[FoundingOut], **ERRORS}, summary="List my foundings")
def list_foundings(request: HttpRequest) -> list[FoundingOut]:
    """Return the foundings I convened or was invited to, newest first."""
    return [founding_out(f) for f in foundings_of(acting_member(request))]


@router.post("/foundings", response={201: FoundingOut, **ERRORS}, summary="Convene a founding")
def convene(request: HttpRequest, data: FoundingIn) -> Status[FoundingOut]:
    """Convene the founding of an assembly and invite its founders by e-mail; the convenor is
    its first founder, and holds no office until the founders elect one."""
    row = founding.convene_founding(
        actor=acting_member(request),
        name=data.name,
        slug=data.slug,
        statute=statute_from(data.template, data.rules),
        invitees=[Invitee(i.name, i.email) for i in data.founders],
        template=data.template,
    )
    return Status(201, founding_out(row))


@router.get(
    "/foundings/{founding_id}", response={200: FoundingOut, **ERRORS}, summary="Read a founding"
)
def read_founding(request: HttpRequest, founding_id: int) -> FoundingOut:
    """Return a founding to one of those invited to it."""
    row, _ = _founding(request, founding_id)
    return founding_out(row)


@router.post(
    "/foundings/{founding_id}/accept",
    response={201: FoundingOut, **ERRORS},
    summary="Accept to found an assembly",
)
def accept(request: HttpRequest, founding_id: int) -> Status[FoundingOut]:
    """Accept, as an invited founder; the acceptance that reaches the statute's minimum founds
    the assembly, with those who accepted, and calls its first officers' elections."""
    row, member = _founding(request, founding_id)
    founding.accept_founding(actor=member, founding=row)
    return Status(201, founding_out(founding_with_id(founding_id)))


@router.post(
    "/foundings/{founding_id}/decline",
    response={201: FoundingOut, **ERRORS},
    summary="Decline to found an assembly",
)
def decline(request: HttpRequest, founding_id: int) -> Status[FoundingOut]:
    """Decline, as an invited founder: one is then never among its founders."""
    row, member = _founding(request, founding_id)
    founding.decline_founding(actor=member, founding=row)
    return Status(201, founding_out(founding_with_id(founding_id)))


@router.post(
    "/foundings/{founding_id}/founders",
    response={201: FoundingOut, **ERRORS},
    summary="Invite more founders",
)
def invite_founders(
    request: HttpRequest, founding_id: int, data: MoreFoundersIn
) -> Status[FoundingOut]:
    """Invite more founders to a founding under way, as its convenor; each answers by their
    own act. One already invited is refused, naming them."""
    row, member = _founding(request, founding_id)
    founding.invite_founders(
        actor=member, founding=row, invitees=[Invitee(i.name, i.email) for i in data.founders]
    )
    return Status(201, founding_out(founding_with_id(founding_id)))


@router.post(
    "/foundings/{founding_id}/abandon",
    response={201: FoundingOut, **ERRORS},
    summary="Abandon a founding",
)
def abandon(request: HttpRequest, founding_id: int) -> Status[FoundingOut]:
    """Abandon a founding under way, as its convenor: it lapses now, for everyone invited, and
    frees its short name for another."""
    row, member = _founding(request, founding_id)
    founding.abandon_founding(actor=member, founding=row)
    return Status(201, founding_out(founding_with_id(founding_id)))


class CouncilFoundingIn(Schema):
    """A council to propose founding: its name and short name, its first statute (a template's,
    with `rules` changed), and its founding bodies by slug, this one among them."""

    name: str = Field(min_length=1, max_length=200)
    slug: str = Field(min_length=1, max_length=100)
    template: str = ""
    rules: dict[str, Any] = Field(default_factory=dict)
    founders: list[str] = Field(min_length=2, max_length=200)


class FoundingBodyOut(Schema):
    """A founding body and where its decision stands."""

    slug: str
    name: str
    motion: int | None
    status: str = Field(description="none, draft, submitted, voting, carried, lost or withdrawn")


class CouncilFoundingOut(Schema):
    """A council some bodies propose to found; it exists once every founding body carried it."""

    name: str
    slug: str
    statute: dict[str, Any]
    founders: list[FoundingBodyOut]
    council: str | None = Field(description="the council's slug, once founded")


class MotionBodyIn(Schema):
    """The body, by slug, whose members are asked to decide."""

    body: str = Field(min_length=1, max_length=100)


def council_founding_out(state: CouncilFoundingState) -> CouncilFoundingOut:
    """Describe a council's founding and each founding body's decision."""
    names = body_names()
    return CouncilFoundingOut(
        name=state.founding.name,
        slug=state.founding.slug,
        statute=state.rules,
        founders=[
            FoundingBodyOut(
                slug=b.slug,
                name=names.get(b.slug, b.slug),
                motion=b.motion.pk if b.motion else None,
                status=b.status,
            )
            for b in state.bodies
        ],
        council=state.council.slug if state.council else None,
    )


def _council_founding(request: HttpRequest, motion_id: int) -> tuple[Motion, CouncilFoundingState]:
    """Return a founding motion and its founding, to a reader of one of its founding bodies."""
    motion = motion_with_id(motion_id)
    state = council_founding_state(motion)
    viewer, now = viewer_of(request), clock.now()
    if not any(access.may_read(viewer, body_named(b.slug), now) for b in state.bodies):
        raise access.AccessError(
            "the founding of %(council)r is read by the members of its founding bodies",
            council=state.founding.slug,
        )
    return motion, state


@router.post(
    "/bodies/{slug}/council-foundings",
    response={201: MotionOut, **ERRORS},
    summary="Propose founding a council",
)
def propose_council(request: HttpRequest, slug: str, data: CouncilFoundingIn) -> Status[MotionOut]:
    """Propose to a body one takes part in that it found a council with the bodies named; each
    founding body decides the same motion, and the last to carry it founds the council."""
    body = body_named(slug)
    details = founding_details(
        name=data.name,
        slug=data.slug,
        statute=statute_from(data.template, data.rules),
        founders=data.founders,
    )
    motion = motions.propose_motion(
        actor=acting_member(request),
        body=body,
        title=data.name,
        text=data.name,
        kind=MotionKindCode.FOUND_COUNCIL,
        details=details,
    )
    return Status(201, motion_out(motion))


@router.get(
    "/council-foundings/{motion_id}",
    response={200: CouncilFoundingOut, **ERRORS},
    summary="Read a council's founding",
)
def read_council_founding(request: HttpRequest, motion_id: int) -> CouncilFoundingOut:
    """Return the council a founding motion proposes, and where each founding body's decision
    stands."""
    _, state = _council_founding(request, motion_id)
    return council_founding_out(state)


@router.post(
    "/council-foundings/{motion_id}/motions",
    response={201: MotionOut, **ERRORS},
    summary="Propose the same founding to another founding body",
)
def second(request: HttpRequest, motion_id: int, data: MotionBodyIn) -> Status[MotionOut]:
    """Propose, to a founding body one takes part in, the very council another body proposed."""
    motion, state = _council_founding(request, motion_id)
    if data.body not in {b.slug for b in state.bodies}:
        raise StandingError(
            "%(body)r is not among the founding bodies of %(council)r",
            body=data.body,
            council=state.founding.slug,
        )
    proposed = motions.propose_motion(
        actor=acting_member(request),
        body=body_named(data.body),
        title=motion.title,
        text=motion.text,
        kind=MotionKindCode.FOUND_COUNCIL,
        details=dict(motion.details),
    )
    return Status(201, motion_out(proposed))
