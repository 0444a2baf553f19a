"""What every router needs: its error answers, and refusing unreadable bodies."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.http import HttpRequest
from ninja import Schema

from frombelow.api.auth import viewer_of
from frombelow.services import access, clock
from frombelow.services.access import Viewer

if TYPE_CHECKING:
    from frombelow.services.queries.rows import Body


class Error(Schema):
    """A refusal or failure: what kind, and why in words."""

    error: str
    detail: str


class Done(Schema):
    """An act done: what it was, and the id of what it made or changed."""

    done: str
    id: str


# The error answers every endpoint may give, for the OpenAPI document.
ERRORS: dict[int, type[Schema]] = {
    400: Error,
    401: Error,
    403: Error,
    404: Error,
    409: Error,
    # A request body beyond DATA_UPLOAD_MAX_MEMORY_SIZE; only those with a body meet it.
    413: Error,
    422: Error,
}
# And those of an act limited per requester (frombelow.http.ratelimit): too many, wait.
LIMITED: dict[int, type[Schema]] = {**ERRORS, 429: Error}


def reading(request: HttpRequest, body: Body) -> Viewer:
    """Return the asking viewer if they may read the body's internal items, else refuse."""
    viewer = viewer_of(request)
    access.require_read(viewer, body, clock.now())
    return viewer


def iso(moment: datetime | None) -> str | None:
    """Write a moment as ISO 8601, or None."""
    return None if moment is None else moment.isoformat()
