"""Open sign-up on the pages, where the installation allows it: ask for the link, then confirm."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from frombelow.http.ratelimit import limited
from frombelow.services import sign_up
from frombelow.services.refusals import explain
from frombelow.services.sign_up import SignUpError

# The account signs in by its password, as through the sign-in form.
BACKEND = "django.contrib.auth.backends.ModelBackend"


@never_cache
@limited("sign-up")
def ask(request: HttpRequest) -> HttpResponse:
    """Show the sign-up form, and send the confirmation link to the address typed."""
    if not sign_up.is_open():
        return render(request, "registration/sign_up.html", {"closed": True}, status=404)
    error, sent = "", False
    if request.method == "POST":
        try:
            sign_up.ask_to_sign_up(
                name=request.POST.get("name", ""), email=request.POST.get("email", "")
            )
        except SignUpError as refusal:
            error = explain(refusal)
        else:
            sent = True
    return render(
        request,
        "registration/sign_up.html",
        {"error": error, "sent": sent, "form": request.POST},
        status=400 if error else 200,
    )


@never_cache
# Setting a password hashes it, which costs the server on purpose: limited per address.
@limited("sign-up")
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """Show the form to choose a password from a confirmation link; make the account."""
    try:
        name, email = sign_up.signed_up_as(token)
    except SignUpError as refusal:
        return render(
            request, "registration/sign_up_confirm.html", {"invalid": explain(refusal)}, status=400
        )
    error = ""
    if request.method == "POST":
        password = request.POST.get("password", "")
        if password != request.POST.get("password_again", ""):
            error = _("The two passwords differ.")
        else:
            try:
                user = sign_up.confirm_sign_up(token=token, password=password)
            except SignUpError as refusal:
                error = explain(refusal)
            else:
                login(request, user, backend=BACKEND)
                messages.success(
                    request,
                    _("Your account is made: found an assembly, or apply to join one."),
                )
                return HttpResponseRedirect(reverse("web:assemblies"))
    return render(
        request,
        "registration/sign_up_confirm.html",
        {"name": name, "email": email, "error": error},
        status=400 if error else 200,
    )
