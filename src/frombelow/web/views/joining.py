"""Joining and leaving on the pages: apply to an assembly, withdraw the application; the elected
membership officer admits, or a member proposes the admission to the assembly's vote; a member
leaves by their own act."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from frombelow.core.errors import DecisionError
from frombelow.core.statutes import Statute
from frombelow.services import bodies, joining, motions
from frombelow.services.bodies import Admission
from frombelow.services.queries.bodies import body_named, body_names, is_member, statute_of
from frombelow.services.queries.foundings import (
    application_with_id,
    applications_to,
    council_foundings_naming,
    open_applications,
)
from frombelow.services.queries.kinds import BodyKind, MotionKindCode
from frombelow.services.standing import MEMBERSHIP_OFFICER, holds_office
from frombelow.services.statute_templates import rules_of
from frombelow.web.pages import act, member_page, reader_of, signed_in_member

if TYPE_CHECKING:
    from frombelow.services.queries.rows import Body, Member, MembershipApplication, Motion


@require_POST
@member_page
def apply(request: HttpRequest, slug: str) -> HttpResponse:
    """Apply to join an assembly, with a statement for its members."""
    body = body_named(slug)
    member = signed_in_member(request)
    return act(
        request,
        reverse("web:assemblies"),
        _("Your application is made: the assembly decides, or its membership officer admits."),
        lambda: joining.apply_to_join(
            actor=member, assembly=body, statement=request.POST.get("statement", "")
        ),
    )


@require_POST
@member_page
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """Withdraw one's own application."""
    application = application_with_id(pk)
    member = signed_in_member(request)
    return act(
        request,
        reverse("web:assemblies"),
        _("Your application is withdrawn."),
        lambda: joining.withdraw_application(actor=member, application=application),
    )


def _read_application(request: HttpRequest, pk: int) -> tuple[MembershipApplication, Member]:
    """Return the application and the member, who reads its assembly."""
    application = application_with_id(pk)
    return application, reader_of(request, application.assembly)


@require_POST
@member_page
def admit(request: HttpRequest, pk: int) -> HttpResponse:
    """Admit an applicant, as the assembly's elected membership officer."""
    application, member = _read_application(request, pk)
    return act(
        request,
        reverse("web:body", args=[application.assembly.slug]),
        _("%(name)s is admitted.") % {"name": application.member.name},
        lambda: bodies.admit_member(
            actor=member, assembly=application.assembly, member=application.member
        ),
    )


@require_POST
@member_page
def admit_many(request: HttpRequest, slug: str) -> HttpResponse:
    """Admit the applicants ticked, in one act, as the assembly's membership officer."""
    body = body_named(slug)
    member = reader_of(request, body)
    ids = request.POST.getlist("applications")

    def admit_them() -> None:
        if not all(i.isdigit() for i in ids):
            raise DecisionError("applications: %(value)r is no application's number", value=ids)
        rows = applications_to(body, [int(i) for i in ids])
        bodies.admit_members(
            actor=member, assembly=body, admissions=[Admission(r.member) for r in rows]
        )

    return act(
        request,
        reverse("web:body", args=[slug]),
        ngettext("%(n)d applicant admitted.", "%(n)d applicants admitted.", len(ids))
        % {"n": len(ids)},
        admit_them,
    )


@require_POST
@member_page
def propose_admission(request: HttpRequest, pk: int) -> HttpResponse:
    """Propose to the assembly that it admit the applicant by its vote."""
    application, member = _read_application(request, pk)
    made: list[Motion] = []
    name = application.member.name

    def propose() -> None:
        made.append(
            motions.propose_motion(
                actor=member,
                body=application.assembly,
                title=_("Admit %(name)s") % {"name": name},
                text=application.statement or _("%(name)s applies to join.") % {"name": name},
                kind=MotionKindCode.ADMIT_MEMBER,
                member=application.member,
            )
        )

    response = act(
        request,
        reverse("web:body", args=[application.assembly.slug]),
        _("The admission is proposed: submit it for the assembly's vote."),
        propose,
    )
    if made:
        response["Location"] = reverse("web:motion", args=[made[0].pk])
    return response


@require_POST
@member_page
def leave(request: HttpRequest, slug: str) -> HttpResponse:
    """Leave an assembly, by one's own act; then home, since its pages are no longer one's own.

    Leaving signs the member out everywhere (services/accounts), so that no page goes on showing
    them what only members see.
    """
    body = body_named(slug)
    member = signed_in_member(request)
    return act(
        request,
        reverse("web:home"),
        _("You have left %(name)s.") % {"name": body.name},
        lambda: bodies.leave_assembly(actor=member, assembly=body),
    )


def membership_panel(body: Body, reader: Member, at: datetime) -> dict[str, object]:
    """Return what a body's page shows of joining, leaving and founding councils."""
    assembly = body.kind == BodyKind.ASSEMBLY
    return {
        "applications": list(open_applications(body)) if assembly else [],
        # The elected membership officer admits where the statute lets them; a member proposes
        # the admission to the assembly's vote.
        "may_admit": assembly
        and statute_of(body).officer_admits_members
        and holds_office(reader, body, MEMBERSHIP_OFFICER, at),
        "on_roll": assembly and is_member(reader, body, at),
        "council_foundings": council_foundings_naming(body),
        # The form proposing a council starts from the default statute's rules.
        "council_rules": rules_of(Statute()),
        "other_bodies": [
            (s, n) for s, n in sorted(body_names().items(), key=lambda p: p[1]) if s != body.slug
        ],
    }
