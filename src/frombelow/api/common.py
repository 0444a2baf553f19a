"""What every router needs: finding an item or answering 404, and refusing unreadable bodies."""

from __future__ import annotations

from datetime import datetime
from typing import TypeVar

from django.db.models import Model
from django.http import Http404, HttpRequest
from ninja import Schema

from frombelow.api.auth import viewer_of
from frombelow.db.models import Body
from frombelow.services import access, clock
from frombelow.services.access import Viewer


class Error(Schema):
    """A refusal or failure: what kind, and why in words."""

    error: str
    detail: str


class Done(Schema):
    """An act done: what it was, and the id of what it made or changed."""

    done: str
    id: str


M = TypeVar("M", bound=Model)

# The error answers every endpoint may give, for the OpenAPI document.
ERRORS: dict[int, type[Schema]] = {
    400: Error,
    401: Error,
    403: Error,
    404: Error,
    409: Error,
    422: Error,
}
# And those of an act limited per requester (frombelow.config.ratelimit): too many, wait.
LIMITED: dict[int, type[Schema]] = {**ERRORS, 429: Error}


def found(model: type[M], pk: int | str, *related: str) -> M:
    """Return the row, or answer 404 naming what is missing."""
    row = model._default_manager.filter(pk=pk).select_related(*related).first()
    if row is None:
        raise Http404(f"there is no {model._meta.verbose_name} {pk}")
    return row


def reading(request: HttpRequest, body: Body) -> Viewer:
    """Return the asking viewer if they may read the body's internal items, else refuse."""
    viewer = viewer_of(request)
    access.require_read(viewer, body, clock.now())
    return viewer


def iso(moment: datetime | None) -> str | None:
    """Write a moment as ISO 8601, or None."""
    return None if moment is None else moment.isoformat()
