"""API tokens: issued to a user and shown once, kept only as a hash, revoked by their owner.

A token is a credential, not an act of self-government, so it writes no record entry: the
record holds public acts, and which devices a member uses is theirs alone (MODEL 8, privacy).
"""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import User
from django.db import transaction

from frombelow.core.errors import DomainError
from frombelow.db.models.tokens import ApiToken
from frombelow.services import clock
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
    )
    return row, token


@transaction.atomic
def revoke_token(*, user: User, prefix: str) -> ApiToken:
    """Revoke one of the user's own tokens, named by its prefix; it never works again."""
    # No prefix holds a NUL, and PostgreSQL refuses to be asked about one.
    row = None
    if "\x00" not in prefix:
        row = ApiToken.objects.select_for_update().filter(user=user, prefix=prefix).first()
    if row is None:
        # Another user's token is answered as no token at all, so that prefixes leak nothing.
        raise ApiToken.DoesNotExist(f"{user} has no token {prefix!r}")
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
        .filter(digest=digest_of(token), revoked_at__isnull=True)
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
