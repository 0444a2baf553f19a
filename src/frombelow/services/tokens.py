"""API tokens: issued to a user and shown once, kept only as a hash, revoked by their owner.

A token a user issues themself is a credential, not an act of self-government, so it writes no
record entry: the record holds public acts, and which devices a member uses is theirs alone
(MODEL 8, privacy). A token the installation's operator issues for a user (`frombelow token
issue`) is another matter: with it whoever runs the server could act as the member. So it is a
record entry in the operator's name, the member is told by e-mail, and it acts for them only
once they confirm it on their account page (issue 13); the operator's revoking is recorded too.
"""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from frombelow.core.errors import DomainError
from frombelow.db.models import Member
from frombelow.db.models.tokens import ApiToken
from frombelow.services import clock
from frombelow.services.record import append_entry
from frombelow.services.two_factor import live_factor

# "fb_" tells a leaked token apart in logs and secret scanners; 32 random bytes cannot be guessed,
# so a fast hash at rest suffices (no password stretching is needed for a random secret).
SCHEME = "fb_"
PREFIX_LENGTH = 8


class TokenError(DomainError):
    """A token that cannot be issued: a name empty or too long."""


def digest_of(token: str) -> str:
    """Return the hex SHA-256 by which a token is kept."""
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def issue_token(*, user: User, name: str, proved_factor: int | None = None) -> tuple[ApiToken, str]:
    """Issue a token to the user; return the row and the token, which is never shown again.

    `proved_factor` is the second factor the issuing session signed in with: the token carries it,
    and acts where a statute needs a second factor while that factor stays live.
    """
    name = name.strip()
    if not name or len(name) > 100:
        raise TokenError("a token needs a name of 1 to 100 characters, to tell it apart later")
    live = live_factor(user)
    prefix = secrets.token_hex(PREFIX_LENGTH // 2)
    token = f"{SCHEME}{prefix}_{secrets.token_urlsafe(32)}"
    row = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=prefix,
        digest=digest_of(token),
        created_at=clock.now(),
        second_factor=live if live is not None and live.pk == proved_factor else None,
        confirmed_at=clock.now(),
    )
    return row, token


OPERATOR = "operator"


def _recorded_and_told(row: ApiToken, action: str, subject: str, text: str) -> None:
    """Record the operator's act on the user's token (about the member, where the account is
    one's), and e-mail the user once it commits."""
    user = row.user
    member = Member.objects.filter(user=user).first()
    about = f"member:{member.pk}" if member is not None else f"user:{user.pk}"
    append_entry(actor=OPERATOR, action=action, subject=about, data={"prefix": row.prefix})
    address = (member.email if member is not None else "") or user.email
    if address:
        transaction.on_commit(
            lambda: EmailMessage(subject, text, to=[address]).send(fail_silently=True)
        )


@transaction.atomic
def issue_for_user(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Issue a token for the user as the installation's operator: recorded, told to the user,
    and acting for them only once they confirm it (`confirm_token`)."""
    row, token = issue_token(user=user, name=name)
    row.by_operator, row.confirmed_at = True, None
    row.save(update_fields=["by_operator", "confirmed_at"])
    _recorded_and_told(
        row,
        "token.issued_by_operator",
        _("A token was issued for your account"),
        _(
            "The installation's operator issued an API token for your account (prefix "
            "%(prefix)s, named %(name)s). It acts for you only once you confirm it on your "
            "account's security page; if you did not ask for it, revoke it there.\n\n%(link)s\n"
        )
        % {"prefix": row.prefix, "name": row.name, "link": _security_link()},
    )
    return row, token


@transaction.atomic
def revoke_for_user(*, user: User, prefix: str) -> ApiToken:
    """Revoke one of the user's tokens as the installation's operator: recorded, and told."""
    row = revoke_token(user=user, prefix=prefix)
    _recorded_and_told(
        row,
        "token.revoked_by_operator",
        _("A token of your account was revoked"),
        _("The installation's operator revoked your API token %(prefix)s (%(name)s).\n")
        % {"prefix": row.prefix, "name": row.name},
    )
    return row


@transaction.atomic
def confirm_token(*, user: User, prefix: str) -> ApiToken:
    """Confirm, as its user, a token the operator issued for them: from now on it acts."""
    row = _own_token(user, prefix)
    if row.revoked_at is not None:
        raise TokenError("the token %(prefix)s was revoked", prefix=prefix)
    if row.confirmed_at is None:
        row.confirmed_at = clock.now()
        row.save(update_fields=["confirmed_at"])
    return row


def _security_link() -> str:
    return settings.FROMBELOW_BASE_URL.rstrip("/") + reverse("web:two-factor")


def _own_token(user: User, prefix: str) -> ApiToken:
    """Lock and return the user's token named by its prefix."""
    # No prefix holds a NUL, and PostgreSQL refuses to be asked about one.
    row = None
    if "\x00" not in prefix:
        row = ApiToken.objects.select_for_update().filter(user=user, prefix=prefix).first()
    if row is None:
        # Another user's token is answered as no token at all, so that prefixes leak nothing.
        raise ApiToken.DoesNotExist(f"{user} has no token {prefix!r}")
    return row


@transaction.atomic
def revoke_token(*, user: User, prefix: str) -> ApiToken:
    """Revoke one of the user's own tokens, named by its prefix; it never works again."""
    row = _own_token(user, prefix)
    if row.revoked_at is None:
        row.revoked_at = clock.now()
        row.save(update_fields=["revoked_at"])
    return row


def live_token(token: str) -> ApiToken | None:
    """Return the live token row of an active user, or None."""
    if not token.startswith(SCHEME):
        return None
    row = (
        ApiToken.objects.select_related("user")
        .filter(digest=digest_of(token), revoked_at__isnull=True, confirmed_at__isnull=False)
        .first()
    )
    if row is None or not row.user.is_active:
        return None
    return row


def user_of_token(token: str) -> User | None:
    """Return the active user whose live token this is, or None."""
    row = live_token(token)
    if row is None:
        return None
    user: User = row.user
    return user
