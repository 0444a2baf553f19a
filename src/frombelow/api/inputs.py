"""What a JSON body may hold: I-JSON (RFC 7493), the JSON that every store behind the API can keep.

A motion's details go into the record, which writes no fractional numbers and no integers beyond
±(2**53 - 1) (they would not read back the same everywhere); PostgreSQL keeps no NUL character in
text; no store keeps half of a surrogate pair; and an object names each member once (a repeated
key says two things at once, and `json.loads` would keep the last silently). A body that holds any
of these is refused as a whole, naming where, before a handler sees it, instead of failing halfway
as a server error.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest
from ninja.parser import Parser

from frombelow.core.errors import DomainError

MAX_SAFE_INTEGER = 2**53 - 1
# Deeper than any schema of the API; json.loads would otherwise recurse until Python stops it.
MAX_DEPTH = 32


class UnacceptableJsonError(DomainError):
    """A body that is JSON but not I-JSON, or nested too deeply; the message says where."""


def check_text(where: str, text: str) -> None:
    """Refuse text that holds a NUL character or half of a surrogate pair."""
    if "\x00" in text:
        raise UnacceptableJsonError("%(where)s: text holds a NUL character (\\u0000)", where=where)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise UnacceptableJsonError(
            "%(where)s: text holds half of a surrogate pair, which is not Unicode", where=where
        ) from None


def check_value(where: str, value: Any, depth: int = 0) -> None:
    """Refuse a parsed JSON value that is not I-JSON, naming the first place that is not."""
    if depth > MAX_DEPTH:
        raise UnacceptableJsonError(
            "%(where)s: nested deeper than %(depth)d levels", where=where, depth=MAX_DEPTH
        )
    if isinstance(value, bool) or value is None:
        return
    if isinstance(value, int):
        if abs(value) > MAX_SAFE_INTEGER:
            raise UnacceptableJsonError(
                "%(where)s: %(value)d is beyond ±(2**53 - 1); write it as a string",
                where=where,
                value=value,
            )
    elif isinstance(value, float):
        raise UnacceptableJsonError(
            "%(where)s: %(value)r is not a whole number; write exact decimals as strings",
            where=where,
            value=value,
        )
    elif isinstance(value, str):
        check_text(where, value)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            check_value(f"{where}[{index}]", item, depth + 1)
    elif isinstance(value, dict):
        for key, item in value.items():
            check_text(f"{where}: key {key!r}", key)
            check_value(f"{where}.{key}", item, depth + 1)


class _Members(list[tuple[str, Any]]):
    """An object's members as written, repeats included, until `_objects` makes it a dict."""


def _objects(where: str, value: Any, depth: int = 0) -> Any:
    """Return the parsed value with its objects as dicts, refusing a key an object repeats."""
    if depth > MAX_DEPTH:
        raise UnacceptableJsonError(
            "%(where)s: nested deeper than %(depth)d levels", where=where, depth=MAX_DEPTH
        )
    if isinstance(value, _Members):
        built: dict[str, Any] = {}
        for key, item in value:
            if key in built:
                raise UnacceptableJsonError(
                    "%(where)s: the key %(key)r appears twice; an object names each member once",
                    where=where,
                    key=key,
                )
            built[key] = _objects(f"{where}.{key}", item, depth + 1)
        return built
    if isinstance(value, list):
        return [_objects(f"{where}[{index}]", item, depth + 1) for index, item in enumerate(value)]
    return value


class IJsonParser(Parser):
    """Django Ninja's JSON parser, refusing what is not I-JSON."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        """Parse the body; Ninja answers any error here 400, with our message as its cause."""
        try:
            members = json.loads(request.body, object_pairs_hook=_Members)
        except RecursionError:
            raise UnacceptableJsonError(
                "%(where)s: nested deeper than %(depth)d levels", where="body", depth=MAX_DEPTH
            ) from None
        data = _objects("body", members)
        check_value("body", data)
        return data  # type: ignore[no-any-return]  # a schema checks its shape next
