"""Idempotent requests: a retried request with the same key changes nothing and gets the same
answer.

Only answers to acts that succeeded are kept, so that a retry after a refusal is judged afresh.
The act and its kept answer commit in one transaction: a server that dies between the two would
otherwise leave a ballot whose retry is told "already voted" instead of the first answer. The
database, not this module, keeps one ballot per voter: a twin request racing the first is refused
by the vote's constraint and then answered with the first's kept answer.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any, ParamSpec, TypeVar

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction

from frombelow.core.errors import DomainError
from frombelow.db.models.tokens import IdempotentRequest
from frombelow.services import clock

Answer = tuple[int, dict[str, Any]]
P = ParamSpec("P")
R = TypeVar("R")

# Set while `answer_once` holds the transaction that an act and its kept answer share.
_keyed: ContextVar[bool] = ContextVar("keyed_act", default=False)


def atomic_act(service: Callable[P, R]) -> Callable[P, R]:
    """Run a service that can be asked for under an idempotency key in one durable transaction,
    or, under `answer_once`, in the transaction it shares with the answer kept for the key."""

    @functools.wraps(service)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        with transaction.atomic(durable=not _keyed.get()):
            return service(*args, **kwargs)

    return run


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
            "the idempotency key %(key)r was first sent with another request; use a new key",
            key=key,
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
        with transaction.atomic(durable=True):
            token = _keyed.set(True)
            try:
                status, answer = act()
            finally:
                _keyed.reset(token)
            IdempotentRequest.objects.create(
                user=user,
                key=key,
                request_digest=digest,
                status=status,
                answer=answer,
                created_at=clock.now(),
            )
    except (DomainError, IntegrityError):
        # A twin of this request may have acted first (its ballot refused this one's, or its
        # answer took the key): then this one is its retry, and nothing of this one was kept.
        kept = _kept(user, key, digest)
        if kept is not None:
            return kept
        raise
    return status, answer
