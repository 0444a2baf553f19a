"""A request's schema problems in the reader's language.

Pydantic words each problem in English only; its `type` is stable, and its `ctx` holds the
values. The problems a client of this API meets are said here through the catalogue; any other
keeps pydantic's English words.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext, gettext_noop

# Pydantic's problem type -> its words, with the `ctx` values pydantic gives as placeholders.
PROBLEMS: Mapping[str, str] = {
    "missing": gettext_noop("this field is required"),
    "extra_forbidden": gettext_noop("this field is not one the request takes"),
    "string_type": gettext_noop("text is required here"),
    "string_too_short": gettext_noop("at least %(min_length)s characters are required"),
    "string_too_long": gettext_noop("at most %(max_length)s characters are allowed"),
    "int_type": gettext_noop("a whole number is required here"),
    "int_parsing": gettext_noop("a whole number is required here"),
    "int_from_float": gettext_noop("a whole number is required here"),
    "bool_type": gettext_noop("true or false is required here"),
    "bool_parsing": gettext_noop("true or false is required here"),
    "list_type": gettext_noop("a list is required here"),
    "dict_type": gettext_noop("an object is required here"),
    "model_type": gettext_noop("an object is required here"),
    "model_attributes_type": gettext_noop("an object is required here"),
    "too_short": gettext_noop("at least %(min_length)s items are required"),
    "too_long": gettext_noop("at most %(max_length)s items are allowed"),
    "greater_than": gettext_noop("a number greater than %(gt)s is required"),
    "greater_than_equal": gettext_noop("a number of at least %(ge)s is required"),
    "less_than": gettext_noop("a number less than %(lt)s is required"),
    "less_than_equal": gettext_noop("a number of at most %(le)s is required"),
    "literal_error": gettext_noop("one of %(expected)s is required"),
    "enum": gettext_noop("one of %(expected)s is required"),
    "datetime_type": gettext_noop("a date and time (ISO 8601) is required here"),
    "datetime_parsing": gettext_noop("a date and time (ISO 8601) is required here"),
    "datetime_from_date_parsing": gettext_noop("a date and time (ISO 8601) is required here"),
    "date_parsing": gettext_noop("a date (ISO 8601, YYYY-MM-DD) is required here"),
    "date_from_datetime_parsing": gettext_noop("a date (ISO 8601, YYYY-MM-DD) is required here"),
    "timezone_aware": gettext_noop("a date and time with its time zone is required here"),
    "uuid_type": gettext_noop("a UUID is required here"),
    "uuid_parsing": gettext_noop("a UUID is required here"),
}


def field_problem(error: Mapping[str, Any]) -> str:
    """Return one schema problem in the active language (pydantic's words for an unknown one)."""
    words = PROBLEMS.get(str(error.get("type", "")))
    if words is None:
        return str(error.get("msg", ""))
    try:
        return gettext(words) % dict(error.get("ctx") or {})
    except (KeyError, TypeError, ValueError):
        # A pydantic version whose context lacks a value: its own words still say what is wrong.
        return str(error.get("msg", ""))
