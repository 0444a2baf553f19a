"""Finding one row by its id: the row, or `NotFoundError`, which the edges answer as 404."""

from __future__ import annotations

from typing import TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, QuerySet

M = TypeVar("M", bound=Model)


class NotFoundError(ObjectDoesNotExist):
    """No row has the id asked for: a page or an API answer says 404."""


def one(rows: QuerySet[M], pk: int | str) -> M:
    """Return the row of `rows` with this id, or say what is missing."""
    row = rows.filter(pk=pk).first()
    if row is None:
        raise NotFoundError(f"there is no {rows.model._meta.verbose_name} {pk}")
    return row
