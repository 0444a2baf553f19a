"""My API tokens: list, issue (from a signed-in session only; shown once), revoke, and confirm
one the installation's operator issued for me, which acts only once I do."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import User
from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.responses import Status

from frombelow.api.auth import BY_TOKEN
from frombelow.api.common import ERRORS, iso
from frombelow.core.access import AccessError
from frombelow.services import tokens
from frombelow.services.queries.accounts import tokens_of
from frombelow.services.two_factor import live_factor
from frombelow.services.two_factor_rule import ENROL_PAGE, proved_factor

if TYPE_CHECKING:
    from frombelow.services.queries.rows import ApiToken

router = Router(tags=["tokens"])


class TokenOut(Schema):
    """A token as its owner sees it later: its prefix and name, never the token."""

    prefix: str
    name: str
    created_at: str
    revoked_at: str | None
    by_operator: bool = Field(description="issued for me by the installation's operator")
    confirmed_at: str | None = Field(
        description="when I confirmed it; an operator's token acts for me only from then"
    )


class IssuedToken(TokenOut):
    """A token just issued: the only answer that holds the token itself."""

    token: str


class TokenIn(Schema):
    """What the token is for."""

    name: str = Field(min_length=1, max_length=100)


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User), "the API authenticates every caller here"
    return user


def _out(row: ApiToken) -> TokenOut:
    return TokenOut(
        prefix=row.prefix,
        name=row.name,
        created_at=row.created_at.isoformat(),
        revoked_at=iso(row.revoked_at),
        by_operator=row.by_operator,
        confirmed_at=iso(row.confirmed_at),
    )


@router.get("/tokens", response={200: list[TokenOut], **ERRORS}, summary="List my API tokens")
def list_tokens(request: HttpRequest) -> list[TokenOut]:
    """Return the asking user's tokens, live and revoked."""
    return [_out(row) for row in tokens_of(_user(request))]


@router.post("/tokens", response={201: IssuedToken, **ERRORS}, summary="Issue an API token")
def issue(request: HttpRequest, data: TokenIn) -> Status[IssuedToken]:
    """Issue a token to the signed-in user; the answer is the only time it is shown."""
    if request.META.get(BY_TOKEN):
        # A leaked token must not mint more: issuing needs the person's own session.
        raise AccessError("a token is issued from a signed-in session, not with another token")
    user = _user(request)
    factor = live_factor(user)
    if factor is not None and proved_factor() != factor.pk:
        # A session from before enrolment must not mint tokens that skip the second factor.
        raise AccessError(
            "this account signs in with a second factor: sign in again with its code to issue "
            "a token (%(page)s)",
            page=ENROL_PAGE,
        )
    row, token = tokens.issue_token(user=user, name=data.name, proved_factor=proved_factor())
    return Status(201, IssuedToken(**_out(row).dict(), token=token))


@router.delete(
    "/tokens/{prefix}", response={200: TokenOut, **ERRORS}, summary="Revoke an API token"
)
def revoke(request: HttpRequest, prefix: str) -> TokenOut:
    """Revoke one of the asking user's tokens; it never works again."""
    return _out(tokens.revoke_token(user=_user(request), prefix=prefix))


@router.post(
    "/tokens/{prefix}/confirm",
    response={200: TokenOut, **ERRORS},
    summary="Confirm a token the operator issued for me",
)
def confirm(request: HttpRequest, prefix: str) -> TokenOut:
    """Confirm, from my signed-in session, a token the installation's operator issued for me;
    it acts for me from now on. A revoked one is refused."""
    if request.META.get(BY_TOKEN):
        raise AccessError("a token is confirmed from a signed-in session, not with another token")
    return _out(tokens.confirm_token(user=_user(request), prefix=prefix))
