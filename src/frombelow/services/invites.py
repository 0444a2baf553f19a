"""Invitations: a member admitted with an e-mail gets a link to set their password and sign in.

The link carries a token of Django's password-reset kind under its own salt: signed with the
installation's secret, it names the account and hashes its password and last sign-in, so that it
works once (setting the password changes the hash) and expires after `PASSWORD_RESET_TIMEOUT`.
Accounts are technical: creating one is no act of self-government and writes no record entry.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.auth.models import User
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import connection, transaction
from django.urls import reverse
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _

from frombelow.core.errors import StandingError
from frombelow.db.models import Member
from frombelow.services import clock

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
    return bool(prepare_accounts([member]))


def prepare_accounts(members: Sequence[Member]) -> list[Member]:
    """Give each member with an e-mail and no account one to set up; return those to invite.

    A whole roll at once: a few queries, however many members.
    """
    addressed = [m for m in members if m.email]
    if not addressed:
        return []  # the demo's people, and members admitted without an address: no query
    # Invited before, never set a password: invite again.
    unset = set(
        User.objects.filter(
            pk__in=[m.user_id for m in addressed if m.user_id is not None],
            password__startswith=UNUSABLE_PASSWORD_PREFIX,
        ).values_list("pk", flat=True)
    )
    again = [m for m in addressed if m.user_id in unset]
    new = [m for m in addressed if m.user_id is None]
    wanted = [m.email.lower() for m in new]
    taken = set(User.objects.filter(username__in=wanted).values_list("username", flat=True))
    users = [
        # No password: the account cannot sign in until its member follows the invitation.
        User(
            username=name
            if len(name) <= USERNAME_LIMIT and name not in taken
            else f"member-{m.pk}",
            email=m.email,
            password=_no_password(),
        )
        for m, name in zip(new, wanted, strict=True)
    ]
    for member, user in zip(new, User.objects.bulk_create(users), strict=True):
        member.user = user
    _link_accounts(new)
    return again + new


def _no_password() -> str:
    """Return an unusable password, as `make_password(None)` does, in one call for randomness."""
    # make_password(None) draws its 40 characters one `secrets.choice` at a time: a second
    # and a half for a roll of 5,000. The random part only makes each account's hash differ.
    return UNUSABLE_PASSWORD_PREFIX + secrets.token_urlsafe(30)


def _link_accounts(members: Sequence[Member]) -> None:
    """Store each member's new account: one statement run for every member."""
    # bulk_update builds one CASE per row, which costs seconds at a roll's size; a prepared
    # UPDATE run for each pair costs milliseconds. Table and columns come from the model.
    table = connection.ops.quote_name(Member._meta.db_table)
    user = connection.ops.quote_name(Member._meta.get_field("user").column)
    key = connection.ops.quote_name(Member._meta.pk.column)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET {user} = %s WHERE {key} = %s",
            [(m.user_id, m.pk) for m in members],
        )


def _username(member: Member, address: str, taken: set[str]) -> str:
    """Return the member's address as their user name, or `member-<id>` if it cannot be."""
    if len(address) <= USERNAME_LIMIT and address not in taken:
        return address
    return f"member-{member.pk}"


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
