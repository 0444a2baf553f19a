"""Founding on the pages: where a person founds or joins an assembly, convening a founding from a
statute template, each founder's answer; and a council's founding by its founding bodies.

Each act calls one service; a refusal comes back in words, and its transaction stores nothing.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from frombelow.core.errors import DecisionError, DomainError
from frombelow.core.statutes import SINGLE_SEAT_METHODS
from frombelow.services import access, founding, motions
from frombelow.services.council_foundings import founding_details
from frombelow.services.founding import Invitee
from frombelow.services.queries.bodies import body_named, body_names
from frombelow.services.queries.foundings import (
    applications_of,
    assemblies_to_join,
    council_founding_state,
    founding_state,
    founding_with_id,
    foundings_of,
    invitation_of,
)
from frombelow.services.queries.kinds import MotionKindCode
from frombelow.services.queries.motions import motion_with_id
from frombelow.services.refusals import explain
from frombelow.services.statute_templates import TEMPLATES, rules_of, statute_from
from frombelow.web.pages import act, member_page, now, signed_in_member
from frombelow.web.statute_words import method_words, sentences

if TYPE_CHECKING:
    from frombelow.services.queries.rows import Member, Motion

# The rules the convening form shows, each with the kind of field it is typed in; every other
# rule keeps the template's value, and a body amends any of them later by its own vote.
FORM_RULES = (
    ("quorum", "share"),
    ("min_founders", "number"),
    ("officer_admits_members", "check"),
    ("min_voting_hours", "number"),
    ("max_term_days", "number"),
    ("rotation_limit", "optional"),
    ("single_seat_method", "choice"),
)
# The rules the form proposing a council shows: how it decides and how its member bodies mandate
# and ratify; every other rule is the default one, which the council amends by its own vote.
COUNCIL_RULES = (
    ("quorum", "share"),
    ("mandate_deadline_days", "number"),
    ("ratification_days", "number"),
    ("max_term_days", "number"),
    ("rotation_limit", "optional"),
)
# "Ana Ruiz <ana@example.org>" or "Ana Ruiz, ana@example.org", a founder a line.
FOUNDER_LINE = re.compile(r"^(?P<name>[^<,]+?)\s*(?:<(?P<a>[^>]+)>|,\s*(?P<b>\S+))\s*$")


@member_page
def hub(request: HttpRequest) -> HttpResponse:
    """Render where a person founds or joins assemblies: invitations, applications, assemblies."""
    member = signed_in_member(request)
    at = now()
    return render(
        request,
        "web/assemblies.html",
        {
            "foundings": [founding_state(f, at) for f in foundings_of(member)],
            "applications": applications_of(member)[:20],
            "assemblies": assemblies_to_join(member, at),
            "member": member,
        },
    )


def _rules_from(
    request: HttpRequest, shown: tuple[tuple[str, str], ...] = FORM_RULES
) -> dict[str, Any]:
    """Read the statute's rules a form shows, as a statute's JSON writes them."""
    rules: dict[str, Any] = {}
    for name, kind in shown:
        text = request.POST.get(name, "").strip()
        if kind == "check":
            rules[name] = request.POST.get(name) == "on"
        elif kind == "choice" and not text:
            continue  # not chosen: the template's
        elif kind in ("share", "choice"):
            rules[name] = text
        elif kind == "optional" and not text:
            rules[name] = None
        else:
            if not text.isdigit():
                raise DecisionError("%(field)s: %(text)r is no whole number", field=name, text=text)
            rules[name] = int(text)
    return rules


def invitees_from(text: str) -> list[Invitee]:
    """Read the founders typed a line each, as "Name <address>" or "Name, address"."""
    invitees = []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        match = FOUNDER_LINE.match(line.strip())
        if match is None:
            raise DecisionError(
                "line %(n)s: write the founder's name, then their address, as "
                "Ana Ruiz <ana@example.org>",
                n=n,
            )
        invitees.append(Invitee(match["name"], match["a"] or match["b"]))
    return invitees


def _form(request: HttpRequest, error: str = "") -> HttpResponse:
    """Render the convening form, filled from the chosen template or from what was typed."""
    code = request.POST.get("template", request.GET.get("template", ""))
    template = TEMPLATES.get(code)
    rules = rules_of(template.statute if template else statute_from("", {}))
    if request.method == "POST":
        rules.update({name: request.POST.get(name, "") for name, _kind in FORM_RULES})
        rules["officer_admits_members"] = request.POST.get("officer_admits_members") == "on"
    return render(
        request,
        "web/founding_new.html",
        {
            "templates": TEMPLATES.values(),
            "template": template,
            "rules": rules,
            # How one seat is elected: an officer, or a one-seat delegation (its substitutes
            # come from the count, in the order it leaves the candidates).
            "single_seat_methods": [
                (code, method_words(code)) for code in sorted(SINGLE_SEAT_METHODS)
            ],
            "form": request.POST,
            "error": error,
        },
        status=400 if error else 200,
    )


@member_page
def convene(request: HttpRequest) -> HttpResponse:
    """Show the form to convene a founding from a template; convene it, inviting the founders."""
    if request.method != "POST":
        return _form(request)
    member = signed_in_member(request)
    try:
        called = founding.convene_founding(
            actor=member,
            name=request.POST.get("name", ""),
            slug=request.POST.get("slug", "").strip(),
            statute=statute_from(request.POST.get("template", ""), _rules_from(request)),
            invitees=invitees_from(request.POST.get("founders", "")),
            template=request.POST.get("template", ""),
        )
    except DomainError as refusal:
        return _form(request, _("Refused: %(reason)s") % {"reason": explain(refusal)})
    messages.success(
        request,
        _("The founding is convened: each founder is invited by e-mail, and answers here."),
    )
    return HttpResponseRedirect(reverse("web:founding", args=[called.pk]))


def _invited(request: HttpRequest, pk: int) -> tuple[Any, Member]:
    """Return the founding and the signed-in member, refusing who was not invited to it."""
    row = founding_with_id(pk)
    member = signed_in_member(request)
    if invitation_of(member, row) is None:
        raise PermissionDenied(_("Only those invited to found this assembly see its founding."))
    return row, member


@member_page
def founding_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Render a founding: its first statute, its founders' answers, and the reader's own."""
    row, member = _invited(request, pk)
    state = founding_state(row, now())
    mine = invitation_of(member, row)
    return render(
        request,
        "web/founding.html",
        {
            "state": state,
            "founding": row,
            "statute": sentences(state.statute),
            "reader": member,
            "mine": mine,
            "may_answer": state.status == "open"
            and mine is not None
            and mine.accepted_at is None
            and mine.declined_at is None,
            # Its convenor invites more founders, or abandons it, while it is under way.
            "convenes": state.status == "open" and member.pk == row.convenor_id,
        },
    )


@require_POST
@member_page
def invite_more(request: HttpRequest, pk: int) -> HttpResponse:
    """Invite more founders, as the founding's convenor."""
    row, member = _invited(request, pk)
    return act(
        request,
        reverse("web:founding", args=[pk]),
        _("They are invited: each answers by their own act."),
        lambda: founding.invite_founders(
            actor=member, founding=row, invitees=invitees_from(request.POST.get("founders", ""))
        ),
    )


@require_POST
@member_page
def abandon(request: HttpRequest, pk: int) -> HttpResponse:
    """Abandon the founding, as its convenor: it lapses now and frees its name."""
    row, member = _invited(request, pk)
    return act(
        request,
        reverse("web:founding", args=[pk]),
        _("The founding is abandoned: it has lapsed, and its name is free."),
        lambda: founding.abandon_founding(actor=member, founding=row),
    )


@require_POST
@member_page
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    """Accept to found the assembly, as one invited."""
    row, member = _invited(request, pk)
    return act(
        request,
        reverse("web:founding", args=[pk]),
        _("You have accepted to found it."),
        lambda: founding.accept_founding(actor=member, founding=row),
    )


@require_POST
@member_page
def decline(request: HttpRequest, pk: int) -> HttpResponse:
    """Decline to found the assembly, as one invited."""
    row, member = _invited(request, pk)
    return act(
        request,
        reverse("web:founding", args=[pk]),
        _("You have declined to found it."),
        lambda: founding.decline_founding(actor=member, founding=row),
    )


@require_POST
@member_page
def propose_council(request: HttpRequest, slug: str) -> HttpResponse:
    """Propose to a body that it found a council with the bodies named, as the others will."""
    body = body_named(slug)
    member = signed_in_member(request)
    made: list[Motion] = []

    def propose() -> None:
        details = founding_details(
            name=request.POST.get("name", ""),
            slug=request.POST.get("council_slug", "").strip(),
            statute=statute_from("", _rules_from(request, COUNCIL_RULES)),
            founders=[slug, *request.POST.getlist("founders")],
        )
        made.append(
            motions.propose_motion(
                actor=member,
                body=body,
                title=details["name"],
                text=request.POST.get("text", "") or details["name"],
                kind=MotionKindCode.FOUND_COUNCIL,
                details=details,
            )
        )

    response = act(
        request,
        reverse("web:body", args=[slug]),
        _("The founding is proposed: submit it, and ask the other founding bodies to decide it."),
        propose,
    )
    if made:
        response["Location"] = reverse("web:council-founding", args=[made[0].pk])
    return response


def _council_founding(request: HttpRequest, pk: int) -> tuple[Motion, Any, Member]:
    """Return a founding motion, its founding, and the member, who reads a founding body."""
    motion = motion_with_id(pk)
    state = council_founding_state(motion)
    member = signed_in_member(request)
    at = now()
    viewer = access.viewer_at(member, at)
    if not any(access.may_read(viewer, body_named(b.slug), at) for b in state.bodies):
        raise PermissionDenied(_("The members of its founding bodies read a council's founding."))
    return motion, state, member


@member_page
def council_founding(request: HttpRequest, pk: int) -> HttpResponse:
    """Render a council's founding: its statute, and each founding body's decision on it."""
    motion, state, member = _council_founding(request, pk)
    at = now()
    viewer = access.viewer_at(member, at)
    names = body_names()
    return render(
        request,
        "web/council_founding.html",
        {
            "motion": motion,
            "state": state,
            "names": names,
            "bodies": [
                {
                    "slug": b.slug,
                    "name": names.get(b.slug, b.slug),
                    "motion": b.motion,
                    "status": b.status,
                    # A member proposes it to a founding body they take part in, where none is
                    # before it now.
                    "may_propose": b.status in ("none", "lost", "withdrawn", "inquorate")
                    and access.may_act(viewer, body_named(b.slug), at),
                }
                for b in state.bodies
            ],
        },
    )


@require_POST
@member_page
def second(request: HttpRequest, pk: int) -> HttpResponse:
    """Propose the same council's founding to another founding body the member takes part in."""
    motion, state, member = _council_founding(request, pk)
    slug = request.POST.get("body", "")

    def propose() -> None:
        if slug not in {b.slug for b in state.bodies}:
            raise DecisionError(
                "%(body)r is not among the founding bodies of %(council)r",
                body=slug,
                council=state.founding.slug,
            )
        motions.propose_motion(
            actor=member,
            body=body_named(slug),
            title=motion.title,
            text=motion.text,
            kind=MotionKindCode.FOUND_COUNCIL,
            details=dict(motion.details),
        )

    return act(
        request,
        reverse("web:council-founding", args=[pk]),
        _("The founding is proposed to your body: submit it there, for its members to decide."),
        propose,
    )
