"""The membership roll, for the officer an assembly elected to keep it: import, preview, export.

Uploading shows the preview and stores nothing; the preview's rows travel back in a signed token
in the confirm form (not in the session, not in any table), and confirming admits them all in one
act. Every bad row is named by its line and why, in the reader's language.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from frombelow.core.errors import DomainError
from frombelow.http.ratelimit import limited
from frombelow.services import invites, roll
from frombelow.services.queries.bodies import body_named, memberships_at, statute_of
from frombelow.services.queries.kinds import BodyKind
from frombelow.services.queries.members import member_with_id
from frombelow.services.refusals import explain
from frombelow.services.standing import MEMBERSHIP_OFFICER, holds_office
from frombelow.web.pages import member_page, now, signed_in_member

if TYPE_CHECKING:
    from frombelow.services.queries.rows import Body

# The largest file the form reads: a roll of the core's row limit at generous widths.
UPLOAD_LIMIT = 2_000_000


def reasons() -> dict[str, str]:
    """Return why a row is refused, by the core's reason, in the reader's language."""
    return {
        "missing-name": _("the name is missing"),
        "bad-email": _("the e-mail address is not valid"),
        "duplicate": _("it repeats an e-mail address or member number of an earlier line"),
        "already-member": _("already a member of this assembly"),
        "columns": _("more cells than the roll's columns"),
        "too-long": _("a cell is longer than the roll keeps"),
    }


def _officer_body(request: HttpRequest, slug: str) -> Body:
    """Return the assembly if the signed-in member keeps its roll now, else answer 403."""
    found = body_named(slug)
    member = signed_in_member(request)
    if found.kind != BodyKind.ASSEMBLY or not holds_office(
        member, found, MEMBERSHIP_OFFICER, now()
    ):
        raise PermissionDenied(
            _("Only the membership officer this assembly elected keeps its roll.")
        )
    return found


def _page(request: HttpRequest, body: Body, **context: object) -> HttpResponse:
    return render(
        request,
        "web/roll.html",
        {
            "body": body,
            "size": memberships_at(body, now()).count(),
            "may_admit": statute_of(body).officer_admits_members,
            "not_signed_up": invites.not_signed_up(body),
            **context,
        },
        status=400 if context.get("error") else 200,
    )


@member_page
def roll_page(request: HttpRequest, slug: str) -> HttpResponse:
    """Render the roll's page: its size, the export, and the form to import a roll file."""
    return _page(request, _officer_body(request, slug))


@require_POST
@member_page
def preview(request: HttpRequest, slug: str) -> HttpResponse:
    """Read an uploaded roll file and show what importing it would do; store nothing."""
    body = _officer_body(request, slug)
    upload = request.FILES.get("roll")
    if upload is None:
        return _page(request, body, error=_("Choose a CSV file to import."))
    if upload.size is not None and upload.size > UPLOAD_LIMIT:
        return _page(
            request, body, error=_("The file is larger than %(n)d bytes.") % {"n": UPLOAD_LIMIT}
        )
    try:
        seen = roll.preview_roll(actor=signed_in_member(request), assembly=body, data=upload.read())
    except DomainError as refusal:
        return _page(request, body, error=_("Refused: %(reason)s") % {"reason": explain(refusal)})
    words = reasons()
    # The line has its own column, so the reason is said without it.
    bad = [(b.line, words.get(b.reason, b.reason), explain(b.why)) for b in seen.bad]
    return render(request, "web/roll_preview.html", {"body": body, "preview": seen, "bad": bad})


@require_POST
@member_page
def confirm(request: HttpRequest, slug: str) -> HttpResponse:
    """Admit the rows of a preview, in one act, and go back to the roll's page."""
    body = _officer_body(request, slug)
    back = reverse("web:roll", args=[body.slug])
    try:
        admitted = roll.import_roll(
            actor=signed_in_member(request), assembly=body, token=request.POST.get("token", "")
        )
    except DomainError as refusal:
        messages.error(request, _("Refused: %(reason)s") % {"reason": explain(refusal)})
    else:
        messages.success(
            request,
            ngettext("%(n)d member admitted.", "%(n)d members admitted.", len(admitted))
            % {"n": len(admitted)},
        )
        if any(m.member.invitation_due for m in admitted):
            messages.info(request, _("Their invitations will be sent by e-mail shortly."))
    return HttpResponseRedirect(back)


@require_POST
@member_page
@limited("invite")
def invite_again(request: HttpRequest, slug: str, member: int) -> HttpResponse:
    """Send a member who has not set a password their invitation again."""
    body = _officer_body(request, slug)
    invited = member_with_id(member)
    try:
        invites.invite_again(actor=signed_in_member(request), assembly=body, member=invited)
    except DomainError as refusal:
        messages.error(request, _("Refused: %(reason)s") % {"reason": explain(refusal)})
    else:
        messages.success(
            request,
            _("The invitation to %(name)s will be sent again shortly.") % {"name": invited.name},
        )
    return HttpResponseRedirect(reverse("web:roll", args=[body.slug]))


@member_page
def export(request: HttpRequest, slug: str) -> HttpResponse:
    """Answer the assembly's roll as a CSV file."""
    body = _officer_body(request, slug)
    text = roll.export_roll(actor=signed_in_member(request), assembly=body)
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    stamp = now().strftime("%Y-%m-%d")
    response["Content-Disposition"] = f'attachment; filename="{body.slug}-roll-{stamp}.csv"'
    return response
