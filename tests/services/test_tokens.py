"""API tokens: shown once, kept as a hash, revoked by their owner; keyed answers kept once."""

from __future__ import annotations

import hashlib

import pytest
from django.contrib.auth.models import User
from django.db import OperationalError

from frombelow.core.errors import DomainError
from frombelow.db.models import ApiToken, IdempotentRequest
from frombelow.services import clock, idempotency, tokens
from frombelow.services.idempotency import Answer, KeyReusedError
from frombelow.services.tokens import TokenError

pytestmark = pytest.mark.django_db


def test_a_token_is_kept_only_as_its_hash_and_finds_its_user() -> None:
    user = User.objects.create_user(username="ana")
    row, token = tokens.issue_token(user=user, name="phone")
    assert token.startswith(f"fb_{row.prefix}_")
    stored = ApiToken.objects.get()
    assert stored.digest == hashlib.sha256(token.encode()).hexdigest()
    assert token not in {stored.name, stored.prefix, stored.digest}
    assert tokens.user_of_token(token) == user
    assert tokens.user_of_token(token + "x") is None
    assert tokens.user_of_token("Basic something") is None


def test_a_revoked_token_or_an_inactive_users_finds_no_one() -> None:
    ana, ben = User.objects.create_user(username="ana"), User.objects.create_user(username="ben")
    row, token = tokens.issue_token(user=ana, name="script")
    with pytest.raises(ApiToken.DoesNotExist, match="ben has no token"):
        tokens.revoke_token(user=ben, prefix=row.prefix)
    assert tokens.user_of_token(token) == ana
    tokens.revoke_token(user=ana, prefix=row.prefix)
    assert tokens.user_of_token(token) is None
    _, other = tokens.issue_token(user=ben, name="script")
    User.objects.filter(pk=ben.pk).update(is_active=False)
    assert tokens.user_of_token(other) is None


@pytest.mark.parametrize("name", ["", "   ", "x" * 101])
def test_a_token_needs_a_name(name: str) -> None:
    with pytest.raises(TokenError, match="needs a name"):
        tokens.issue_token(user=User.objects.create_user(username="ana"), name=name)
    assert not ApiToken.objects.exists()


def test_a_keyed_request_acts_once_and_refuses_its_key_for_another() -> None:
    user = User.objects.create_user(username="ana")
    acts: list[int] = []

    def act() -> Answer:
        acts.append(1)
        return 201, {"n": len(acts)}

    digest = idempotency.request_digest("POST", "/x", b"{}")
    assert idempotency.answer_once(user=user, key="k", digest=digest, act=act) == (201, {"n": 1})
    assert idempotency.answer_once(user=user, key="k", digest=digest, act=act) == (201, {"n": 1})
    assert acts == [1]
    other = idempotency.request_digest("POST", "/x", b'{"a": 1}')
    with pytest.raises(KeyReusedError):
        idempotency.answer_once(user=user, key="k", digest=other, act=act)
    assert IdempotentRequest.objects.count() == 1


def test_a_refused_act_keeps_no_answer_and_may_be_retried() -> None:
    user = User.objects.create_user(username="ana")

    def refuse() -> Answer:
        raise DomainError("not now")

    digest = idempotency.request_digest("POST", "/x", b"")
    with pytest.raises(DomainError, match="not now"):
        idempotency.answer_once(user=user, key="k", digest=digest, act=refuse)
    assert not IdempotentRequest.objects.exists()
    assert idempotency.answer_once(user=user, key="k", digest=digest, act=lambda: (201, {})) == (
        201,
        {},
    )


def _twin_kept(user: User, key: str, digest: str) -> None:
    IdempotentRequest.objects.create(
        user=user,
        key=key,
        request_digest=digest,
        status=201,
        answer={"by": "twin"},
        created_at=clock.now(),
    )


def test_a_twin_that_acted_first_is_answered_with_its_answer(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    user = User.objects.create_user(username="ana")
    digest = idempotency.request_digest("POST", "/x", b"")
    real_kept = idempotency._kept
    looks: list[str] = []

    def kept_after_the_first_look(user: User, key: str, digest: str) -> Answer | None:
        # The twin request commits its cast and answer just after this one first looked.
        looks.append(key)
        return None if looks.count(key) == 1 else real_kept(user, key, digest)

    monkeypatch.setattr(idempotency, "_kept", kept_after_the_first_look)

    _twin_kept(user, "k", digest)

    def refused_after_twin() -> Answer:
        raise DomainError("already voted")  # what the database says of this one's ballot

    assert idempotency.answer_once(user=user, key="k", digest=digest, act=refused_after_twin) == (
        201,
        {"by": "twin"},
    )


def test_an_act_and_the_answer_kept_for_its_key_commit_together(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    user = User.objects.create_user(username="ana")
    digest = idempotency.request_digest("POST", "/x", b"")

    def act() -> Answer:
        User.objects.create_user(username="acted")
        return 201, {"by": "me"}

    # The server dies between the act and keeping its answer: the act is not kept either, so a
    # retry acts afresh and is not told it already did.
    def dies(**_: object) -> None:
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(IdempotentRequest.objects, "create", dies)
    with pytest.raises(OperationalError):
        idempotency.answer_once(user=user, key="k", digest=digest, act=act)
    assert not User.objects.filter(username="acted").exists()
    monkeypatch.undo()
    # The retry acts and keeps its answer. (A twin that takes the key while this one acts, from
    # another connection, undoes this one's act too: tests/server/test_concurrency.py.)
    assert idempotency.answer_once(user=user, key="k", digest=digest, act=act) == (
        201,
        {"by": "me"},
    )
    assert User.objects.filter(username="acted").count() == 1
