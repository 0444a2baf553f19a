"""API tokens: shown once, kept as a hash, revoked by their owner; keyed answers kept once."""

from __future__ import annotations

import hashlib

import pytest
from django.contrib.auth.models import User

from frombelow.core.errors import DomainError
from frombelow.db.models import ApiToken, IdempotentRequest
from frombelow.services import idempotency, tokens
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


def test_a_twin_that_acted_first_is_answered_with_its_answer() -> None:
    user = User.objects.create_user(username="ana")
    digest = idempotency.request_digest("POST", "/x", b"")

    def twin() -> Answer:
        return 201, {"by": "twin"}

    def refused_after_twin() -> Answer:
        # The twin request cast and kept its answer while this one was on its way; the
        # database then refuses this one's second ballot.
        idempotency.answer_once(user=user, key="k", digest=digest, act=twin)
        raise DomainError("already voted")

    def done_beside_twin() -> Answer:
        idempotency.answer_once(user=user, key="j", digest=digest, act=twin)
        return 201, {"by": "me"}

    assert idempotency.answer_once(user=user, key="k", digest=digest, act=refused_after_twin) == (
        201,
        {"by": "twin"},
    )
    # Both acted (an act that is not a ballot): the first answer kept is the one given.
    assert idempotency.answer_once(user=user, key="j", digest=digest, act=done_beside_twin) == (
        201,
        {"by": "twin"},
    )
    assert IdempotentRequest.objects.count() == 2
