"""Rate limits on the acts a script could flood: casting, signing and opening petitions, signing up.

Shared by the pages and the API (which may not import each other), counted by django-ratelimit
per member when signed in, else per client address, with the rates in `settings.FROMBELOW_RATES`
(one per group). A request over its group's rate is answered 429 with Retry-After; the act is not
attempted. Only POSTs count: reading is never limited here.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any, ParamSpec

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django_ratelimit.core import get_usage

from frombelow.http.client import client_address

P = ParamSpec("P")
View = Callable[P, Any]
Refusal = Callable[[HttpRequest, int], HttpResponse]


def requester(group: str, request: HttpRequest) -> str:
    """Return whom a request is counted against: its signed-in user, else its address."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return f"address:{client_address(request)}"


def rate_of(group: str, request: HttpRequest) -> str | None:
    """Return the group's rate from the settings ("30/m"), or None where it is not limited."""
    rates: dict[str, str] = getattr(settings, "FROMBELOW_RATES", {})
    return rates.get(group)


def refuse_page(request: HttpRequest, retry_after: int) -> HttpResponse:
    """Answer a page's form post that came too often."""
    message = _("Too many requests: please wait %(seconds)d seconds and try again.") % {
        "seconds": retry_after
    }
    return HttpResponse(message, status=429, content_type="text/plain; charset=utf-8")


def refuse_json(request: HttpRequest, retry_after: int) -> HttpResponse:
    """Answer an API call that came too often, in the API's error shape."""
    detail = f"too many requests: retry after {retry_after} seconds"
    return JsonResponse({"error": "rate_limited", "detail": detail}, status=429)


def limited(group: str, refuse: Refusal = refuse_page) -> Callable[[View[P]], View[P]]:
    """Refuse a requester's POSTs to the wrapped view beyond the group's rate."""

    def decorate(view: View[P]) -> View[P]:
        @functools.wraps(view)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> Any:
            request = args[0]
            assert isinstance(request, HttpRequest), "a view's first argument is its request"
            usage = get_usage(
                request, group=group, key=requester, rate=rate_of, method="POST", increment=True
            )
            if usage is not None and usage["should_limit"]:
                response = refuse(request, max(int(usage["time_left"]), 1))
                response["Retry-After"] = str(max(int(usage["time_left"]), 1))
                return response
            return view(*args, **kwargs)

        # django-ninja reads a handler's parameters from its signature and resolves string
        # annotations in the function's own module: give it the view's, already resolved.
        signature = inspect.signature(view, eval_str=True)
        wrapper.__signature__ = signature  # type: ignore[attr-defined]  # not in typeshed
        return wrapper

    return decorate
