"""Invitations: a member admitted with an e-mail gets a link to set their password and sign in.

The link carries a token of Django's password-reset kind under its own salt: signed with the
installation's secret, it names the account and hashes its password and last sign-in, so that it
works once (setting the password changes the hash) and expires after `PASSWORD_RESET_TIMEOUT`.
Accounts are technical: creating one is no act of self-government and writes no record entry.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import UTC, datetime

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.models import User
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _

from frombelow.core.errors import StandingError
from frombelow.db.models import Member
from frombelow.services import clock

log = logging.getLogger(__name__)

USERNAME_LIMIT = 150  # Django's user name column


class InvitationError(StandingError):
    """An invitation link that is not valid: altered, used already, or expired."""


class InvitationTokens(PasswordResetTokenGenerator):
    """Tokens for invitation links: apart from any password reset, on the services' clock."""

    key_salt = "frombelow.services.invites"

    def _now(self) -> datetime:
        # The services' clock (tests move it); the generator counts naive seconds since 2001.
        return clock.now().astimezone(UTC).replace(tzinfo=None)


tokens = InvitationTokens()


def prepare_account(member: Member) -> bool:
    """Give a member with an e-mail an account to set up, if they have none; tell if to invite.

    A member whose account has a password already signs in; one invited before who never set
    their password is invited again.
    """
    if not member.email:
        return False
    if member.user_id is not None:
        return not User.objects.get(pk=member.user_id).has_usable_password()
    username = member.email.lower()
    if len(username) > USERNAME_LIMIT or User.objects.filter(username=username).exists():
        username = f"member-{member.pk}"
    # No password: the account cannot sign in until its member follows the invitation.
    user = User.objects.create_user(username=username, email=member.email, password=None)
    Member.objects.filter(pk=member.pk).update(user=user)
    member.user = user
    return True


def invitation_link(user: User) -> str:
    """Return the absolute link by which the account's member sets their password."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    path = reverse("web:invitation", args=[uid, tokens.make_token(user)])
    return settings.FROMBELOW_BASE_URL.rstrip("/") + path


def send_invitations(member_ids: Iterable[int]) -> int:
    """Send each member's invitation by e-mail; return how many were sent."""
    messages = []
    for member in Member.objects.filter(pk__in=list(member_ids), user__isnull=False).select_related(
        "user"
    ):
        assert member.user is not None
        body = _(
            "Hello %(name)s,\n\nyou are on the roll of an assembly on frombelow. Follow this "
            "link to set your password and sign in (it works once, for %(days)d days):\n\n"
            "%(link)s\n\nYour user name is %(username)s.\n"
        ) % {
            "name": member.name,
            "days": settings.PASSWORD_RESET_TIMEOUT // 86400,
            "link": invitation_link(member.user),
            "username": member.user.username,
        }
        messages.append(EmailMessage(_("Your invitation to frombelow"), body, to=[member.email]))
    if not messages:
        return 0
    sent = get_connection().send_messages(messages)
    return sent or 0


def invited_account(uidb64: str, token: str) -> User:
    """Return the account an invitation link names, refusing a link that is not valid now."""
    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
    except (ValueError, TypeError):
        raise InvitationError("this invitation link is not one frombelow sent") from None
    user = User.objects.filter(pk=pk).first()
    if user is None or not tokens.check_token(user, token):
        raise InvitationError(
            "this invitation link has been used, has expired or was altered: ask your "
            "membership officer for a new one"
        )
    return user


@transaction.atomic(durable=True)
def accept_invitation(*, uidb64: str, token: str, password: str) -> User:
    """Set the invited account's password, once; the link stops working."""
    user = invited_account(uidb64, token)
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        raise InvitationError(" ".join(error.messages)) from None
    user.set_password(password)
    user.save(update_fields=["password"])
    return user
