"""The account's security page: enrol a second factor, confirm it, see what is left, disable it;
and confirm or revoke the API tokens the installation's operator issued for the account.

Enrolment and disabling are account security, not governance: nothing here is in the record.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import ObjectDoesNotExist
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from frombelow.services import tokens, two_factor
from frombelow.services.queries.accounts import tokens_of
from frombelow.services.refusals import explain
from frombelow.web.pages import member_page
from frombelow.web.second_factor import SESSION_FACTOR, session_factor


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User), "member_page lets only a signed-in account here"
    return user


@never_cache  # it may show a secret to enrol: no browser or proxy keeps a copy
@member_page
def security(request: HttpRequest) -> HttpResponse:
    """Show the account's second factor: none, an enrolment to confirm, or the live one."""
    user = _user(request)
    live = two_factor.live_factor(user)
    pending = None if live is not None else two_factor.pending_factor(user)
    context = {
        "live": live,
        "pending": pending,
        "uri": None if pending is None else two_factor.provisioning_uri(pending),
        "codes_left": None if live is None else two_factor.recovery_codes_left(live),
        "proved": live is not None and session_factor(request) == live.pk,
        # Tokens the operator issued for this account: none acts until its user confirms it.
        "operator_tokens": [
            row for row in tokens_of(user) if row.by_operator and row.revoked_at is None
        ],
    }
    return render(request, "web/account/security.html", context)


@member_page
@require_POST
def begin(request: HttpRequest) -> HttpResponse:
    """Make a new secret to enrol, and show it on the security page."""
    try:
        two_factor.begin_enrolment(user=_user(request))
    except two_factor.TwoFactorError as refusal:
        messages.error(request, _("Refused: %(reason)s") % {"reason": explain(refusal)})
    return redirect("web:two-factor")


@never_cache  # the recovery codes: shown in this answer only, kept nowhere else
@member_page
@require_POST
def confirm(request: HttpRequest) -> HttpResponse:
    """Confirm the secret with a code; show the recovery codes, this once."""
    try:
        factor, codes = two_factor.confirm_enrolment(
            user=_user(request), code=request.POST.get("code", "")
        )
    except two_factor.TwoFactorError as refusal:
        messages.error(request, _("Refused: %(reason)s") % {"reason": explain(refusal)})
        return redirect("web:two-factor")
    # The code just given proves the factor for this session, as signing in with it would.
    request.session[SESSION_FACTOR] = factor.pk
    # Rendered, not redirected: the codes exist in this answer only and are never shown again.
    return render(request, "web/account/recovery_codes.html", {"codes": codes})


@member_page
@require_POST
def disable(request: HttpRequest) -> HttpResponse:
    """Disable the live second factor on a current code or a recovery code."""
    try:
        two_factor.disable(user=_user(request), code=request.POST.get("code", ""))
    except two_factor.TwoFactorError as refusal:
        messages.error(request, _("Refused: %(reason)s") % {"reason": explain(refusal)})
    else:
        request.session.pop(SESSION_FACTOR, None)
        messages.success(request, _("The second factor is disabled."))
    return redirect("web:two-factor")


@member_page
@require_POST
def confirm_token(request: HttpRequest, prefix: str) -> HttpResponse:
    """Confirm a token the operator issued for this account: it acts for its user from now."""
    return _token_act(
        request,
        lambda: tokens.confirm_token(user=_user(request), prefix=prefix),
        _("The token is confirmed: it acts for you from now on."),
    )


@member_page
@require_POST
def revoke_token(request: HttpRequest, prefix: str) -> HttpResponse:
    """Revoke one of this account's tokens: it never acts again."""
    return _token_act(
        request,
        lambda: tokens.revoke_token(user=_user(request), prefix=prefix),
        _("The token is revoked: it never acts again."),
    )


def _token_act(request: HttpRequest, act: Callable[[], object], done: str) -> HttpResponse:
    """Do an act on one of the account's tokens; say it is done, or why it was refused."""
    try:
        act()
    except tokens.TokenError as refusal:
        messages.error(request, _("Refused: %(reason)s") % {"reason": explain(refusal)})
    except ObjectDoesNotExist:  # another account's token is no token at all here
        messages.error(request, _("Refused: %(reason)s") % {"reason": _("no such token")})
    else:
        messages.success(request, done)
    return redirect("web:two-factor")
