"""Signing in: the password, then, for an account with a second factor, its code.

After the password, an account with a live second factor is not signed in yet: the session keeps
who is half-way for a few minutes, and the second step asks for a code from the app or a recovery
code. A wrong code counts as a failed sign-in for django-axes, like a wrong password, so that the
same lockout (per user name and address) stops guessing codes.
"""

from __future__ import annotations

import time
from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.contrib import messages
from django.contrib.auth import login, user_login_failed
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from frombelow.services import two_factor
from frombelow.services.queries.accounts import user_with_id
from frombelow.web.second_factor import SESSION_FACTOR

# The session's key for a sign-in whose password was right and whose code is awaited.
PENDING = "frombelow.pending_sign_in"
# How long the password step stays good for the code step.
PENDING_SECONDS = 300


class SignInView(LoginView):
    """The password step: signs in at once, or hands over to the code step."""

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        """Sign in an account without a second factor; send one with a factor to the code step."""
        user = form.get_user()
        if two_factor.live_factor(user) is None:
            return super().form_valid(form)
        self.request.session[PENDING] = {
            "user": user.pk,
            "username": user.get_username(),
            "backend": getattr(user, "backend", ""),
            "next": self.get_success_url(),
            "since": time.time(),
        }
        return redirect("web:sign-in-code")


def _pending(request: HttpRequest) -> dict[str, Any] | None:
    pending = request.session.get(PENDING)
    if not isinstance(pending, dict) or time.time() - pending["since"] > PENDING_SECONDS:
        return None
    return pending


def sign_in_code(request: HttpRequest) -> HttpResponse:
    """Ask for the second factor's code, and sign in when it matches."""
    pending = _pending(request)
    user = None if pending is None else user_with_id(pending["user"])
    if pending is None or user is None:
        request.session.pop(PENDING, None)
        messages.error(request, _("Enter your user name and password first."))
        return redirect("web:login")
    credentials = {"username": pending["username"]}
    if AxesProxyHandler.is_locked(request, credentials):
        lockout: HttpResponse = get_lockout_response(request, None, credentials)
        return lockout
    error = None
    if request.method == "POST":
        factor = two_factor.check_code(user=user, code=request.POST.get("code", ""))
        if factor is not None:
            del request.session[PENDING]
            login(request, user, backend=pending["backend"] or None)
            request.session[SESSION_FACTOR] = factor.pk
            return HttpResponseRedirect(_safe_next(request, pending["next"]))
        # Counted like a wrong password; on the last allowed failure axes's middleware answers
        # with the lockout instead of this page.
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        error = _(
            "That code does not match. Enter the code your app shows now, or a recovery code."
        )
    return render(request, "registration/sign_in_code.html", {"error": error})


def _safe_next(request: HttpRequest, target: str) -> str:
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("web:home")
