"""Reads about user accounts: one by its id or name, and its API tokens."""

from __future__ import annotations

from django.contrib.auth.models import User

from frombelow.db.models import ApiToken


def user_with_id(pk: int) -> User | None:
    """Return the user account with this id, if there is one."""
    return User.objects.filter(pk=pk).first()


def user_named(username: str) -> User | None:
    """Return the user account with this user name, if there is one."""
    return User.objects.filter(username=username).first()


def tokens_of(user: User) -> list[ApiToken]:
    """Return the user's API tokens, live and revoked."""
    return list(ApiToken.objects.filter(user=user))
