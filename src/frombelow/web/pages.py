"""What every page needs: the signed-in member, the services' clock, and refusals as messages."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

from frombelow.core.errors import DomainError, UnknownBodyError
from frombelow.services import access, clock
from frombelow.services.queries.lookup import NotFoundError
from frombelow.services.queries.members import member_of_user
from frombelow.services.refusals import explain
from frombelow.services.two_factor_rule import SecondFactorRequiredError

if TYPE_CHECKING:
    from frombelow.services.queries.rows import Body, Member

View = Callable[..., HttpResponse]


def now() -> datetime:
    """Return the services' time, so that a page shows what the services decide by."""
    return clock.now()


def member_of(request: HttpRequest) -> Member | None:
    """Return the member whose account is signed in, if the account belongs to one."""
    if not request.user.is_authenticated:
        return None
    return member_of_user(request.user.pk)


def signed_in_member(request: HttpRequest) -> Member:
    """Return the signed-in member, or answer 404 for an account that is no member."""
    member = member_of(request)
    if member is None:
        raise Http404(_("This account belongs to no member."))
    return member


def reader_of(request: HttpRequest, body: Body) -> Member:
    """Return the signed-in member if the access rules let them read the body, else answer 403."""
    member = signed_in_member(request)
    at = now()
    try:
        access.require_read(access.viewer_at(member, at), body, at)
    except access.AccessError as refusal:
        raise PermissionDenied(explain(refusal)) from None
    return member


def member_page(view: View) -> View:
    """Let only a signed-in account see the page; answer 404 where a row it names is not there."""

    @functools.wraps(view)
    def page(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except (NotFoundError, UnknownBodyError) as missing:
            # The queries say what is missing; a page answers it as Django's own "not found".
            raise Http404(str(missing)) from None

    return login_required(page)


def act(request: HttpRequest, back: str, done: str, service: Callable[[], object]) -> HttpResponse:
    """Run one service; say `done` if it acted, or why it refused; then go back to `back`.

    The service runs in its own transaction, so a refusal stores nothing.
    """
    try:
        service()
    except DomainError as refusal:
        # The rule's own words say which rule refused; the frame around them is translated.
        messages.error(request, _("Refused: %(reason)s") % {"reason": explain(refusal)})
        if isinstance(refusal, SecondFactorRequiredError):
            messages.info(
                request,
                _(
                    "Enrol a second factor on your account security page (%(url)s), then sign in "
                    "with its code."
                )
                % {"url": reverse("web:two-factor")},
            )
    else:
        messages.success(request, done)
    return HttpResponseRedirect(back)
