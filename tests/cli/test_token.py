"""`frombelow token`: issue a token shown once, list prefixes, revoke; refusals exit 1."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from frombelow.cli.token import run
from frombelow.services.tokens import user_of_token

pytestmark = pytest.mark.django_db


def test_issue_list_and_revoke(capsys: pytest.CaptureFixture[str]) -> None:
    ana = User.objects.create_user(username="ana")
    assert run(["issue", "ana", "roll script"]) == 0
    token, note = capsys.readouterr().out.splitlines()
    assert user_of_token(token) == ana
    prefix = token.split("_")[1]
    assert prefix in note
    assert "only time" in note
    assert run(["list", "ana"]) == 0
    listing = capsys.readouterr().out
    assert prefix in listing
    assert "live" in listing
    assert token not in listing
    assert run(["revoke", "ana", prefix]) == 0
    assert user_of_token(token) is None
    run(["list", "ana"])
    assert "revoked" in capsys.readouterr().out


def test_refusals_say_why_and_exit_1(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["issue", "nobody", "x"]) == 1
    assert "no user 'nobody'" in capsys.readouterr().err
    User.objects.create_user(username="ana")
    assert run(["revoke", "ana", "abcd"]) == 1
    assert "has no token 'abcd'" in capsys.readouterr().err
    assert run(["issue", "ana", " "]) == 1
    assert "needs a name" in capsys.readouterr().err
