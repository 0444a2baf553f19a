"""A refusal in the reader's language: the edges' one way to put a `DomainError` into words.

The services raise refusals as an English template and its values (see `frombelow.core.errors`);
the template is the catalogue's key. `explain` looks it up in the active language (the one the
request chose) and fills it, so a page or an API answer says why in Spanish to a Spanish reader,
while `str(error)`, logs and the record keep the English words.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TypeVar

from django.db.models import Choices
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext

from frombelow.core.errors import DomainError, Words

_Choice = TypeVar("_Choice", bound=Choices)
# How much of a value a refusal quotes: enough to tell which, not a 2 MB option sent back whole to
# whoever sent it (issue 16).
QUOTE_LIMIT = 500


def explain(refusal: DomainError) -> str:
    """Return why the rules refused, in the active language (English where no catalogue says).

    A value that is itself a refusal (a roll row's reason inside "line 3: ..."), is marked as
    `Words` (the act refused, an office), is a stored code's choice, or is a date, is said in the
    same language.
    """
    words = gettext(refusal.template)
    if not refusal.params:
        return words
    return words % {name: _said(value) for name, value in refusal.params.items()}


def choice(kind: type[_Choice], value: str) -> _Choice | str:
    """Return a stored code (a motion's status or kind) as its choice, which `explain` says by its
    label; a code the choices lack, as it is. In English the code itself is said, as before."""
    try:
        return kind(value)
    except ValueError:
        return value


def _said(value: object) -> object:
    if isinstance(value, DomainError):
        return explain(value)
    if isinstance(value, Words):
        return gettext(value)
    if isinstance(value, datetime):
        # A moment as the reader's language writes one, in the installation's time zone.
        return date_format(localtime(value), "DATETIME_FORMAT")
    if isinstance(value, date):
        return date_format(value, "DATE_FORMAT")
    if isinstance(value, Choices):
        # The label, which the catalogue translates, in the lower case of the middle of a sentence.
        return str(value.label).lower()
    if isinstance(value, str | list | tuple | dict | set | frozenset):
        return _Cut(value)
    return value


class _Cut:
    """A value a refusal quotes, cut short past QUOTE_LIMIT characters, as %s or as %r."""

    def __init__(self, value: object) -> None:
        self.value = value

    def __str__(self) -> str:
        return _cut(str(self.value))

    def __repr__(self) -> str:
        return _cut(repr(self.value))


def _cut(text: str) -> str:
    return text if len(text) <= QUOTE_LIMIT else text[:QUOTE_LIMIT] + "…"
