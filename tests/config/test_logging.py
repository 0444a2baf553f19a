"""A page's server error leaves its traceback in the log, on stderr (issue 16: there was none)."""

from __future__ import annotations

import pytest
from django.test import Client

from frombelow.web.views import home

pytestmark = pytest.mark.django_db


def test_a_page_error_is_logged_with_its_traceback_to_stderr(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the landing page broke")

    monkeypatch.setattr(home, "render", broken)
    response = Client(raise_request_exception=False).get("/")
    assert response.status_code == 500
    logged = capsys.readouterr().err
    assert "Internal Server Error: /" in logged
    assert "Traceback (most recent call last)" in logged
    assert "RuntimeError: the landing page broke" in logged


def test_a_page_not_found_is_not_logged_as_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    # Every stray URL a crawler tries would fill the log; the access log has them.
    assert Client().get("/no-such-page/").status_code == 404
    assert "Not Found" not in capsys.readouterr().err
