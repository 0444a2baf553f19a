"""`frombelow token`: issue a token shown once, list prefixes, revoke; refusals exit 1. The
operator's acts on a member's account are recorded and told, and a token they issue acts only
once its member confirms it."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail

from frombelow.cli.token import run
from frombelow.db.models import Member, RecordEntry
from frombelow.services import bodies, tokens
from frombelow.services.tokens import user_of_token

pytestmark = pytest.mark.django_db

Capture = Callable[..., AbstractContextManager[Any]]


def test_issue_list_and_revoke(
    capsys: pytest.CaptureFixture[str], django_capture_on_commit_callbacks: Capture
) -> None:
    ana = bodies.register_member(actor="system", name="Ana Ruiz", email="ana@example.org")
    user = User.objects.create_user(username="ana")
    Member.objects.filter(pk=ana.pk).update(user=user)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert run(["issue", "ana", "roll script"]) == 0
    token, note = capsys.readouterr().out.splitlines()
    prefix = token.split("_")[1]
    assert prefix in note
    assert "only time" in note
    # The operator's token does not act as Ana until she confirms it; she is told, and the
    # record says who issued it for whom.
    assert user_of_token(token) is None
    (told,) = mail.outbox
    assert told.to == ["ana@example.org"]
    assert prefix in str(told.body)
    issued = RecordEntry.objects.get(action="token.issued_by_operator")
    assert (issued.actor, issued.subject, issued.data) == (
        "operator",
        f"member:{ana.pk}",
        {"prefix": prefix},
    )
    assert run(["list", "ana"]) == 0
    listing = capsys.readouterr().out
    assert prefix in listing
    assert "not yet confirmed" in listing
    assert token not in listing
    tokens.confirm_token(user=user, prefix=prefix)
    assert user_of_token(token) == user
    run(["list", "ana"])
    assert "live" in capsys.readouterr().out
    assert run(["revoke", "ana", prefix]) == 0
    assert user_of_token(token) is None
    assert RecordEntry.objects.filter(action="token.revoked_by_operator").count() == 1
    run(["list", "ana"])
    assert "revoked" in capsys.readouterr().out


def test_a_token_a_member_issues_themself_acts_at_once_and_is_not_recorded() -> None:
    user = User.objects.create_user(username="ana")
    entries = RecordEntry.objects.count()
    row, token = tokens.issue_token(user=user, name="my phone")
    assert user_of_token(token) == user
    assert row.confirmed_at is not None
    assert not row.by_operator
    assert RecordEntry.objects.count() == entries


def test_refusals_say_why_and_exit_1(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["issue", "nobody", "x"]) == 1
    assert "no user 'nobody'" in capsys.readouterr().err
    User.objects.create_user(username="ana")
    assert run(["revoke", "ana", "abcd"]) == 1
    assert "has no token 'abcd'" in capsys.readouterr().err
    assert run(["issue", "ana", " "]) == 1
    assert "needs a name" in capsys.readouterr().err
