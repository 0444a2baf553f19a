"""Idempotent requests: a retried request with the same key changes nothing and gets the same
answer.

Only answers to acts that succeeded are kept, so that a retry after a refusal is judged afresh.
The database, not this module, keeps one ballot per voter: a twin request racing the first is
refused by the vote's constraint and then answered with the first's kept answer.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction

from frombelow.core.errors import DomainError
from frombelow.db.models.tokens import IdempotentRequest
from frombelow.services import clock

Answer = tuple[int, dict[str, Any]]


class KeyReusedError(DomainError):
    """An idempotency key sent again with another request than the one it first came with."""


def request_digest(method: str, path: str, body: bytes) -> str:
    """Return the SHA-256 of what a request asks, to tell a retry from another request."""
    return hashlib.sha256(b"\n".join((method.encode(), path.encode(), body))).hexdigest()


def _kept(user: User, key: str, digest: str) -> Answer | None:
    row = IdempotentRequest.objects.filter(user=user, key=key).first()
    if row is None:
        return None
    if row.request_digest != digest:
        raise KeyReusedError(
            f"the idempotency key {key!r} was first sent with another request; use a new key"
        )
    answer: dict[str, Any] = row.answer
    return row.status, answer


def answer_once(*, user: User, key: str, digest: str, act: Callable[[], Answer]) -> Answer:
    """Answer a keyed request: the kept answer if the key was seen, else act and keep its answer."""
    if not key or len(key) > 200:
        raise DomainError("an idempotency key has 1 to 200 characters")
    kept = _kept(user, key, digest)
    if kept is not None:
        return kept
    try:
        status, answer = act()
    except DomainError:
        # A twin of this request may have acted first: then this one is its retry.
        kept = _kept(user, key, digest)
        if kept is not None:
            return kept
        raise
    try:
        with transaction.atomic():
            IdempotentRequest.objects.create(
                user=user,
                key=key,
                request_digest=digest,
                status=status,
                answer=answer,
                created_at=clock.now(),
            )
    except IntegrityError:
        kept = _kept(user, key, digest)
        if kept is not None:
            return kept
        raise
    return status, answer
