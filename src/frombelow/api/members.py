"""My member profile and the bodies I belong to or serve; applying to join an assembly, its answer
by the membership officer or the assembly's vote, and leaving."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.responses import Status

from frombelow.api.auth import acting_member
from frombelow.api.bodies import TermOut, term_out
from frombelow.api.common import ERRORS, Done, iso, reading
from frombelow.services import access, bodies, clock, joining, motions
from frombelow.services.bodies import Admission
from frombelow.services.queries.bodies import body_named
from frombelow.services.queries.foundings import (
    admission_motion,
    application_with_id,
    applications_of,
    applications_to,
    assemblies_to_join,
    open_applications,
)
from frombelow.services.queries.kinds import MotionKindCode
from frombelow.services.queries.terms import terms_held_by

if TYPE_CHECKING:
    from frombelow.services.queries.rows import MembershipApplication

router = Router(tags=["members"])


class MyBody(Schema):
    """A body I read, and what I am there."""

    slug: str
    name: str
    kind: str
    member: bool
    suspended: bool
    takes_part: bool


class MotionRef(Schema):
    """A motion made: its id and status."""

    id: int
    status: str


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


class JoinableOut(Schema):
    """An assembly one may apply to join, and where one stands with it."""

    slug: str
    name: str
    member: bool
    application: int | None = Field(description="one's open application to it, if any")


class ApplicationIn(Schema):
    """An application to join: what the assembly's members read before they decide."""

    statement: str = Field(default="", max_length=joining.STATEMENT_LENGTH)


class ApplicationOut(Schema):
    """A person's application to join an assembly, and its answer once given."""

    id: int
    assembly: str
    member: int
    name: str
    statement: str
    applied_at: str
    outcome: str = Field(description="empty while open; admitted, refused or withdrawn")
    closed_at: str | None
    decision: int | None = Field(description="the assembly's decision on it, if it voted")
    motion: int | None = Field(description="the latest motion to admit the applicant, if any")


class AdmissionsIn(Schema):
    """Applications to admit in one act, by id: every one, or none."""

    applications: list[int] = Field(min_length=1, max_length=1000)


def application_out(row: MembershipApplication) -> ApplicationOut:
    """Describe an application to join."""
    motion = admission_motion(row)
    return ApplicationOut(
        id=row.pk,
        assembly=row.assembly.slug,
        member=row.member_id,
        name=row.member.name,
        statement=row.statement,
        applied_at=row.applied_at.isoformat(),
        outcome=row.outcome,
        closed_at=iso(row.closed_at),
        decision=row.decision_id,
        motion=motion.pk if motion else None,
    )


def _application(request: HttpRequest, application_id: int) -> MembershipApplication:
    """Return an application to its applicant, or to a reader of its assembly."""
    row = application_with_id(application_id)
    if row.member_id != acting_member(request).pk:
        reading(request, row.assembly)
    return row


@router.get(
    "/assemblies",
    response={200: list[JoinableOut], **ERRORS},
    summary="List the assemblies to join",
)
def list_assemblies(request: HttpRequest) -> list[JoinableOut]:
    """Return every assembly by name, whether I am a member, and my open application to it."""
    member = acting_member(request)
    return [
        JoinableOut(
            slug=j.body.slug,
            name=j.body.name,
            member=j.member,
            application=j.applied.pk if j.applied else None,
        )
        for j in assemblies_to_join(member, clock.now())
    ]


@router.get(
    "/applications", response={200: list[ApplicationOut], **ERRORS}, summary="List my applications"
)
def my_applications(request: HttpRequest) -> list[ApplicationOut]:
    """Return my applications to join assemblies, newest first."""
    return [application_out(a) for a in applications_of(acting_member(request))]


@router.post(
    "/bodies/{slug}/applications",
    response={201: ApplicationOut, **ERRORS},
    summary="Apply to join an assembly",
)
def apply(request: HttpRequest, slug: str, data: ApplicationIn) -> Status[ApplicationOut]:
    """Apply to join an assembly; its members decide by their vote, or its elected membership
    officer admits where its statute lets the officer."""
    row = joining.apply_to_join(
        actor=acting_member(request), assembly=body_named(slug), statement=data.statement
    )
    return Status(201, application_out(row))


@router.get(
    "/bodies/{slug}/applications",
    response={200: list[ApplicationOut], **ERRORS},
    summary="List the open applications to an assembly",
)
def list_applications(request: HttpRequest, slug: str) -> list[ApplicationOut]:
    """Return the applications to join the assembly that no one has answered, oldest first."""
    body = body_named(slug)
    reading(request, body)
    return [application_out(a) for a in open_applications(body)]


@router.post(
    "/applications/{application_id}/withdraw",
    response={200: ApplicationOut, **ERRORS},
    summary="Withdraw my application",
)
def withdraw(request: HttpRequest, application_id: int) -> ApplicationOut:
    """Withdraw one's own application while no one has answered it."""
    row = joining.withdraw_application(
        actor=acting_member(request), application=_application(request, application_id)
    )
    return application_out(row)


@router.post(
    "/applications/{application_id}/admit",
    response={201: ApplicationOut, **ERRORS},
    summary="Admit an applicant as membership officer",
)
def admit(request: HttpRequest, application_id: int) -> Status[ApplicationOut]:
    """Admit the applicant, as the membership officer the assembly elected, where its statute
    lets the officer admit; the officer never refuses alone: the assembly's vote does."""
    row = _application(request, application_id)
    bodies.admit_member(actor=acting_member(request), assembly=row.assembly, member=row.member)
    return Status(201, application_out(application_with_id(application_id)))


@router.post(
    "/bodies/{slug}/admissions",
    response={201: list[ApplicationOut], **ERRORS},
    summary="Admit several applicants as membership officer",
)
def admit_many(request: HttpRequest, slug: str, data: AdmissionsIn) -> Status[list[ApplicationOut]]:
    """Admit the open applications named, in one act, as the assembly's membership officer."""
    body = body_named(slug)
    rows = applications_to(body, data.applications)
    bodies.admit_members(
        actor=acting_member(request),
        assembly=body,
        admissions=[Admission(row.member) for row in rows],
    )
    return Status(201, [application_out(application_with_id(row.pk)) for row in rows])


@router.post(
    "/applications/{application_id}/motion",
    response={201: MotionRef, **ERRORS},
    summary="Propose admitting an applicant",
)
def propose_admission(request: HttpRequest, application_id: int) -> Status[MotionRef]:
    """Propose to the assembly, as one of its members, that it admit the applicant by its vote;
    the motion is a draft its proposer submits, as any motion."""
    row = _application(request, application_id)
    motion = motions.propose_motion(
        actor=acting_member(request),
        body=row.assembly,
        title=_("Admit %(name)s") % {"name": row.member.name},
        text=row.statement or _("%(name)s applies to join.") % {"name": row.member.name},
        kind=MotionKindCode.ADMIT_MEMBER,
        member=row.member,
    )
    return Status(201, MotionRef(id=motion.pk, status=motion.status))


@router.post("/bodies/{slug}/leave", response={200: Done, **ERRORS}, summary="Leave an assembly")
def leave(request: HttpRequest, slug: str) -> Done:
    """Leave an assembly: one's own act, always allowed; one's terms in it end."""
    row = bodies.leave_assembly(actor=acting_member(request), assembly=body_named(slug))
    return Done(done="member.left", id=str(row.member_id))
