"""Open sign-up, where the installation allows it: ask for the confirmation link, then confirm.

Both answer anyone (no credentials: one has no account yet), limited per address like the pages'
sign-up; where the installation makes accounts by invitation only, both are refused (403).
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.responses import Status

from frombelow.api.common import LIMITED, Done
from frombelow.http.ratelimit import limited, refuse_json
from frombelow.services import sign_up

router = Router(tags=["accounts"])


class SignUpIn(Schema):
    """Who signs up: a name, and the address the confirmation link goes to."""

    name: str = Field(min_length=1, max_length=200)
    email: str = Field(min_length=3, max_length=254)


class ConfirmIn(Schema):
    """The token of the confirmation link, and the password chosen."""

    token: str = Field(min_length=1, max_length=2000)
    password: str = Field(min_length=1, max_length=4096)


@router.post(
    "/sign-up", response={202: Done, **LIMITED}, auth=None, summary="Ask to make an account"
)
@limited("sign-up", refuse_json)
def ask(request: HttpRequest, data: SignUpIn) -> Status[Done]:
    """Send a link to the address that confirms it and makes the account (202); nothing is
    stored until then, and the answer is the same for an address that has an account."""
    sign_up.ask_to_sign_up(name=data.name, email=data.email)
    return Status(202, Done(done="sign-up.asked", id=""))


@router.post(
    "/sign-up/confirm",
    response={201: Done, **LIMITED},
    auth=None,
    summary="Confirm an address and make the account",
)
@limited("sign-up", refuse_json)
def confirm(request: HttpRequest, data: ConfirmIn) -> Status[Done]:
    """Make the account the link names, with its password; its person belongs to no body
    until one admits them or they found one. Then sign in, or ask for a token."""
    user = sign_up.confirm_sign_up(token=data.token, password=data.password)
    return Status(201, Done(done="account.made", id=user.get_username()))
