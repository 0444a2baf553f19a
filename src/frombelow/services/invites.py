"""Invitations: a member admitted with an e-mail gets a link to set their password and sign in.

The link carries a token of Django's password-reset kind under its own salt: signed with the
installation's secret, it names the account and hashes its password and last sign-in, so that it
works once (setting the password changes the hash) and expires after `PASSWORD_RESET_TIMEOUT`.
Accounts are technical: creating one is no act of self-government and writes no record entry.

Admitting does not send: it marks the member's invitation due (`Member.invitation_due`), in the
admitting transaction, and `send_due_invitations` (run by `frombelow notify`, every minute beside
`frombelow serve`) sends it. A roll of 5,000 is thus admitted in its request without 5,000 e-mails
in it, and an admission rolled back leaves no invitation due.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.auth.models import User
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import connection, transaction
from django.db.models import Field, Q, QuerySet
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _

from frombelow.core.errors import DomainError, FederationError, StandingError
from frombelow.db.models import Body, Founder, Founding, Member
from frombelow.services import clock
from frombelow.services.queries.bodies import memberships_at
from frombelow.services.record import Actor
from frombelow.services.standing import MEMBERSHIP_OFFICER, require_officer

log = logging.getLogger(__name__)

USERNAME_LIMIT = 150  # Django's user name column
# Invitations one sender takes, sends and marks sent at a time: a sender that dies mid-way
# resends at most this many (see `send_due_invitations`).
BATCH = 100
# A sender that took invitations and did not mark them sent within this time died: another takes
# them again. Far longer than sending one batch takes.
TAKE_TIMEOUT = timedelta(minutes=15)


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
    """Give a member with an e-mail an account to set up, if they have none; tell if invited.

    A member whose account has a password already signs in; one invited before who never set
    their password is invited again. The invitation is due, not sent (`send_due_invitations`).
    """
    return bool(prepare_accounts([member]))


def prepare_accounts(members: Sequence[Member]) -> list[Member]:
    """Give each member with an e-mail and no account one to set up; mark their invitation due.

    Return the members invited. A whole roll at once: a few queries, however many members. The
    invitation is written in the member's language, or else in the one active now (the officer's
    request).
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
        User(username=_username(m, name, taken), email=m.email, password=_no_password())
        for m, name in zip(new, wanted, strict=True)
    ]
    for member, user in zip(new, User.objects.bulk_create(users), strict=True):
        member.user = user
    invited = again + new
    _ask(invited)
    return invited


def _no_password() -> str:
    """Return an unusable password, as `make_password(None)` does, in one call for randomness."""
    # make_password(None) draws its 40 characters one `secrets.choice` at a time: a second
    # and a half for a roll of 5,000. The random part only makes each account's hash differ.
    return UNUSABLE_PASSWORD_PREFIX + secrets.token_urlsafe(30)


def _ask(members: Sequence[Member]) -> None:
    """Store each member's account and mark their invitation due: one statement, run per member."""
    # bulk_update builds one CASE per row, which costs seconds at a roll's size; a prepared
    # UPDATE run for each member costs milliseconds. Table and columns come from the model.
    now = clock.now()
    language = _active_language()
    ops = connection.ops
    table = ops.quote_name(Member._meta.db_table)
    fields = ("user", "invitation_due", "invitation_language", "invitation_taken")
    columns = ", ".join(f"{ops.quote_name(_column(name))} = %s" for name in fields)
    key = ops.quote_name(Member._meta.pk.column)
    due = ops.adapt_datetimefield_value(now)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET {columns} WHERE {key} = %s",
            [(m.user_id, due, language, None, m.pk) for m in members],
        )
    for member in members:
        member.invitation_due, member.invitation_language = now, language
        member.invitation_taken = None


def _column(name: str) -> str:
    field = Member._meta.get_field(name)
    assert isinstance(field, Field)
    assert field.column is not None
    return field.column


def _active_language() -> str:
    """Return the language active now (the request's) as one the site offers."""
    active = translation.get_language() or settings.LANGUAGE_CODE
    try:
        return translation.get_supported_language_variant(active)
    except LookupError:
        return str(settings.LANGUAGE_CODE)


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


def send_due_invitations() -> int:
    """Send every invitation due, each once; return how many were sent.

    A batch is taken (marked taken in its own transaction), sent after that commits, then marked
    sent. Taking first means two senders running at once never send one invitation twice; marking
    sent only after sending means a sender that dies in between loses nothing: its batch, never
    marked sent, is taken again after `TAKE_TIMEOUT` and sent again. That repeat (at most one batch,
    only after a crash) is the price of never losing an invitation: an e-mail and a database
    cannot commit together. A mail server that refuses gives the batch back at once.
    """
    sent = 0
    while True:
        taken_at, batch = _take()
        if not batch:
            return sent
        try:
            sent += _send(batch)
        except OSError:  # smtplib's errors are OSErrors
            log.exception("sending %d invitations failed; they stay due", len(batch))
            Member.objects.filter(pk__in=batch, invitation_taken=taken_at).update(
                invitation_taken=None
            )
            return sent
        # Sent: no longer due, unless the officer asked again meanwhile (a new, untaken ask).
        Member.objects.filter(pk__in=batch, invitation_taken=taken_at).update(
            invitation_due=None, invitation_taken=None
        )


@transaction.atomic(durable=True)
def _take() -> tuple[datetime, list[int]]:
    """Mark a batch of due invitations taken by this sender; return when, and whose."""
    now = clock.now()
    free = Q(invitation_taken__isnull=True) | Q(invitation_taken__lt=now - TAKE_TIMEOUT)
    # skip_locked: a second sender passes over the rows the first is taking.
    batch = list(
        Member.objects.select_for_update(skip_locked=True)
        .filter(free, invitation_due__isnull=False)
        .order_by("invitation_due", "pk")
        .values_list("pk", flat=True)[:BATCH]
    )
    Member.objects.filter(pk__in=batch).update(invitation_taken=now)
    return now, batch


def _send(member_ids: list[int]) -> int:
    """Send the members' invitations, each in the member's language; return how many."""
    messages = []
    for member in Member.objects.filter(pk__in=member_ids, user__isnull=False).select_related(
        "user"
    ):
        user = member.user
        assert user is not None
        if not member.email or user.has_usable_password():
            continue  # the address was removed, or the member set a password meanwhile
        language = member.language or member.invitation_language or settings.LANGUAGE_CODE
        with translation.override(language):
            messages.append(_invitation(member, user))
    if not messages:
        return 0
    return get_connection().send_messages(messages) or 0


def _invitation(member: Member, user: User) -> EmailMessage:
    founder = (
        Founder.objects.filter(
            member=member,
            accepted_at__isnull=True,
            declined_at__isnull=True,
            founding__body__isnull=True,
        )
        .select_related("founding__convenor")
        .order_by("-pk")
        .first()
    )
    if founder is not None and not member.memberships.exists():
        return _founding_invitation(member, user, founder.founding)
    body = _(
        "Hello %(name)s,\n\nyou are on the roll of an assembly on frombelow. Follow this "
        "link to set your password and sign in (it works once, for %(days)d days):\n\n"
        "%(link)s\n\nYour user name is %(username)s.\n"
    ) % {
        "name": member.name,
        "days": settings.PASSWORD_RESET_TIMEOUT // 86400,
        "link": invitation_link(user),
        "username": user.username,
    }
    return EmailMessage(_("Your invitation to frombelow"), body, to=[member.email])


def _founding_invitation(member: Member, user: User, founding: Founding) -> EmailMessage:
    """Invite someone with no account yet to found an assembly (services/founding)."""
    base = settings.FROMBELOW_BASE_URL.rstrip("/")
    body = _(
        "Hello %(name)s,\n\n%(convenor)s invites you to found the assembly %(assembly)s "
        "together on frombelow. Follow this link to set your password and sign in (it works "
        "once, for %(days)d days):\n\n%(link)s\n\nYour user name is %(username)s. Then read "
        "its first statute and accept or decline, here:\n\n%(founding)s\n"
    ) % {
        "name": member.name,
        "convenor": founding.convenor.name,
        "assembly": founding.name,
        "days": settings.PASSWORD_RESET_TIMEOUT // 86400,
        "link": invitation_link(user),
        "username": user.username,
        "founding": base + reverse("web:founding", args=[founding.pk]),
    }
    return EmailMessage(
        _("You are invited to found %(assembly)s") % {"assembly": founding.name},
        body,
        to=[member.email],
    )


def not_signed_up(assembly: Body) -> QuerySet[Member]:
    """Return the assembly's members now with an address who have set no password, by name."""
    on_roll = memberships_at(assembly, clock.now()).values("member_id")
    return (
        Member.objects.filter(pk__in=on_roll)
        .exclude(email="")
        .filter(Q(user__isnull=True) | Q(user__password__startswith=UNUSABLE_PASSWORD_PREFIX))
        .order_by("name", "pk")
    )


@transaction.atomic(durable=True)
def invite_again(*, actor: Actor, assembly: Body, member: Member) -> Member:
    """Mark a member's invitation due again, at the request of the assembly's membership officer.

    For a member on the assembly's roll with an address who has not set a password (the e-mail
    was lost, or its link expired).
    """
    require_officer(actor, assembly, MEMBERSHIP_OFFICER, clock.now(), "inviting a member again")
    if not memberships_at(assembly, clock.now()).filter(member=member).exists():
        raise FederationError(
            "%(member)s is not on the roll of %(assembly)r",
            member=member.name,
            assembly=assembly.slug,
        )
    # Neither is about a link (InvitationError): nothing to send, for now.
    if not member.email:
        raise DomainError(
            "%(member)s has no e-mail address to send an invitation to", member=member.name
        )
    if not prepare_account(member):
        raise DomainError(
            "%(member)s has set a password already and signs in with it", member=member.name
        )
    return member


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
        # Django's validators say what is wrong, already in the reader's language.
        raise InvitationError("%(problem)s", problem=" ".join(error.messages)) from None
    user.set_password(password)
    user.save(update_fields=["password"])
    return user
