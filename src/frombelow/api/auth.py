"""Who is asking: a bearer token for scripts and apps, or the pages' session with its CSRF token."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from frombelow.services import access, clock
from frombelow.services.access import Viewer
from frombelow.services.queries.members import member_of_user
from frombelow.services.tokens import live_token
from frombelow.services.two_factor_rule import prove

if TYPE_CHECKING:
    from frombelow.services.queries.rows import Member

# Set in `request.META` when the request came with a bearer token rather than a session.
BY_TOKEN = "frombelow.by_token"


class BearerToken(HttpBearer):
    """Authenticate a request by an API token in `Authorization: Bearer fb_...`."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        """Return the token's user, or None to refuse."""
        row = live_token(token)
        if row is None:
            return None
        # Downstream code reads the user from the request, whichever way it came.
        request.user = row.user
        request.META[BY_TOKEN] = True
        # The token proves the second factor its issuing session signed in with, not the
        # session's (if the request carries a cookie too): the token is who acts.
        prove(row.second_factor_id)
        return row.user


# Session auth checks the CSRF token on unsafe methods (django-ninja's SessionAuth does so).
AUTH = [BearerToken(), SessionAuth()]


def member_of(request: HttpRequest) -> Member | None:
    """Return the member the authenticated user is, or None for a user who is no member."""
    user = request.user
    if not user.is_authenticated:
        return None
    # Asked more than once in a request (to read a body, then to act in it): read it once.
    kept = request.__dict__
    if "frombelow_member" not in kept:
        kept["frombelow_member"] = member_of_user(user.pk)
    member: Member | None = kept["frombelow_member"]
    return member


def acting_member(request: HttpRequest) -> Member:
    """Return the member who acts, refusing a user who is no member."""
    member = member_of(request)
    if member is None:
        raise access.AccessError(
            "the account %(account)s is no member of any body", account=str(request.user)
        )
    return member


def viewer_of(request: HttpRequest) -> Viewer:
    """Return where the asking member stands now."""
    return access.viewer_at(member_of(request), clock.now())
