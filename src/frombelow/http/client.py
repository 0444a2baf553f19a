"""Who is asking: the client's address behind the reverse proxies this installation trusts."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """Return the client's address as the outermost trusted proxy received it."""
    remote = str(request.META.get("REMOTE_ADDR", ""))
    proxies: int = getattr(settings, "FROMBELOW_PROXY_COUNT", 0)
    if proxies <= 0:
        return remote
    forwarded = [
        address.strip()
        for address in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")
        if address.strip()
    ]
    # Each trusted proxy appends the address it received the request from; what stands to the
    # left of those entries came from the client and may be forged, so it is never taken.
    if len(forwarded) < proxies:
        return remote
    return forwarded[-proxies]
