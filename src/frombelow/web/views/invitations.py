"""Following an invitation: the invited member sets their password and is signed in."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from frombelow.http.ratelimit import limited
from frombelow.services import invites
from frombelow.services.invites import InvitationError
from frombelow.services.refusals import explain

# The account signs in by its password, as through the sign-in form.
BACKEND = "django.contrib.auth.backends.ModelBackend"


@never_cache
# Setting a password hashes it, which costs the server on purpose: a script posting to links,
# valid or not, is stopped per address (FROMBELOW_RATES["sign-up"]) before any of it is done.
@limited("sign-up")
def invitation(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """Show the form to set a password from an invitation link, and set it."""
    try:
        user = invites.invited_account(uidb64, token)
    except InvitationError:
        return render(request, "registration/invitation.html", {"invalid": True}, status=400)
    error = ""
    if request.method == "POST":
        password = request.POST.get("password", "")
        if password != request.POST.get("password_again", ""):
            error = _("The two passwords differ.")
        else:
            try:
                user = invites.accept_invitation(uidb64=uidb64, token=token, password=password)
            except InvitationError as refusal:
                error = explain(refusal)
            else:
                login(request, user, backend=BACKEND)
                messages.success(request, _("Your password is set: welcome."))
                return HttpResponseRedirect(reverse("web:home"))
    return render(
        request,
        "registration/invitation.html",
        {"username": user.get_username(), "error": error},
        status=400 if error else 200,
    )
