"""The second factor a page's session signed in with, told to the services for each request.

The sign-in's second step and enrolment store the factor's id in the session; this middleware
opens the services' `proving` block around the request, so that the statute's rule for officers
and delegates (services/two_factor_rule.py) sees it. The API's bearer tokens say their own.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from frombelow.services.two_factor_rule import proving

# The session's key for the id of the second factor it signed in with.
SESSION_FACTOR = "frombelow.second_factor"


def session_factor(request: HttpRequest) -> int | None:
    """Return the id of the factor this session proved, if any."""
    session = getattr(request, "session", None)
    factor = None if session is None else session.get(SESSION_FACTOR)
    return factor if isinstance(factor, int) else None


def second_factor_middleware(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    """Run each request inside `proving` with the factor its session signed in with."""

    def middleware(request: HttpRequest) -> HttpResponse:
        with proving(session_factor(request)):
            return get_response(request)

    return middleware
