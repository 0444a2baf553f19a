"""What the API stories share: a client acting as a member, and the check of each answer."""

from __future__ import annotations

from typing import Any

from frombelow.db.models import Member
from frombelow.services.tokens import issue_token
from tests.api.conftest import ApiClient
from tests.web.scene import account


def client_of(member: Member, username: str) -> ApiClient:
    """Return an API client acting as the member (an account and a token are outside the acts)."""
    user = member.user or account(member, username)
    return ApiClient(issue_token(user=user, name="story")[1])


def ok(response: Any, status: int = 201) -> Any:
    """Return the response's JSON, failing with its error when the status is not `status`."""
    assert response.status_code == status, response.json()
    return response.json()
