"""Open sign-up: where the installation allows it, a person makes their own account.

Off by default (`FROMBELOW_OPEN_SIGN_UP`): accounts then come by invitation only (a roll, a
founding). Asking stores nothing: the name and address travel in a link signed with the
installation's secret (`django.core.signing`, its own salt), sent to the address, which works for
`FROMBELOW_SIGN_UP_DAYS`. Following it and choosing a password makes the account and registers
the person, who belongs to no body until one admits them or they found one.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.auth.models import User
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from frombelow.core.errors import StandingError
from frombelow.db.models import Member
from frombelow.services import bodies
from frombelow.services.council_foundings import NAME_LENGTH
from frombelow.services.motion_kinds import SYSTEM

log = logging.getLogger(__name__)

SALT = "frombelow.services.sign_up"


class SignUpError(StandingError):
    """A sign-up the installation does not take: closed, a bad address, a link not valid now."""


def is_open() -> bool:
    """Tell whether this installation lets a person make their own account."""
    return bool(getattr(settings, "FROMBELOW_OPEN_SIGN_UP", False))


def _require_open() -> None:
    if not is_open():
        raise SignUpError(
            "this installation makes accounts by invitation only: ask the membership officer "
            "of an assembly, or someone founding one, to invite you"
        )


def _checked(name: str, email: str) -> tuple[str, str]:
    name, email = name.strip(), email.strip()
    if not name or len(name) > NAME_LENGTH:
        raise SignUpError("a name of at most 200 characters, please")
    try:
        validate_email(email)
    except ValidationError:
        raise SignUpError("%(email)r is no e-mail address", email=email) from None
    return name, email


def ask_to_sign_up(*, name: str, email: str) -> EmailMessage:
    """Send the link that confirms the address and makes the account; store nothing.

    The answer is the same whether or not the address has an account already, so that nobody
    learns who has one; the e-mail itself tells its owner.
    """
    _require_open()
    name, email = _checked(name, email)
    accounts = User.objects.filter(username__iexact=email)
    if accounts.exclude(password__startswith=UNUSABLE_PASSWORD_PREFIX).exists():
        body = _(
            "Hello,\n\nsomeone asked to make an account on frombelow with this address, which "
            "has one already: sign in with it. If it was not you, nothing was done.\n"
        )
    else:
        token = signing.dumps({"name": name, "email": email}, salt=SALT, compress=True)
        link = settings.FROMBELOW_BASE_URL.rstrip("/") + reverse(
            "web:sign-up-confirm", args=[token]
        )
        body = _(
            "Hello %(name)s,\n\nfollow this link to confirm your address and choose your "
            "password (it works for %(days)d days):\n\n%(link)s\n\nIf you did not ask for an "
            "account on frombelow, do nothing: none is made.\n"
        ) % {"name": name, "days": settings.FROMBELOW_SIGN_UP_DAYS, "link": link}
    message = EmailMessage(_("Confirm your address for frombelow"), body, to=[email])
    try:
        message.send()
    except OSError:  # smtplib's errors are OSErrors
        log.exception("sending a sign-up confirmation failed")
        raise SignUpError("the confirmation could not be sent now: try again later") from None
    return message


def signed_up_as(token: str) -> tuple[str, str]:
    """Return the name and address a confirmation link holds, refusing one not valid now."""
    _require_open()
    try:
        data = signing.loads(token, salt=SALT, max_age=settings.FROMBELOW_SIGN_UP_DAYS * 86400)
    except signing.BadSignature:  # SignatureExpired is one
        raise SignUpError(
            "this confirmation link has expired or was altered: sign up again"
        ) from None
    return str(data["name"]), str(data["email"])


@transaction.atomic(durable=True)
def confirm_sign_up(*, token: str, password: str) -> User:
    """Make the account the link names, with its password, and register its person."""
    name, email = signed_up_as(token)
    user = User.objects.select_for_update().filter(username__iexact=email).first()
    if user is not None and user.has_usable_password():
        raise SignUpError(
            "an account with the address %(email)s exists already: sign in with it", email=email
        )
    if user is None:
        user = User(username=email, email=email)
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        # Django's validators say what is wrong, already in the reader's language.
        raise SignUpError("%(problem)s", problem=" ".join(error.messages)) from None
    user.set_password(password)
    user.save()
    if not Member.objects.filter(user=user).exists():
        # The confirmed address is the person's own word; the system registers them on it.
        member = bodies.register_member(actor=SYSTEM, name=name, email=email)
        member.user = user
        member.save(update_fields=["user"])
    return user
