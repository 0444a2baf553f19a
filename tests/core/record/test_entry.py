"""The record entry: one canonical byte form (RFC 8785 subset), and refusal of what has none."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from frombelow.core.record.entry import (
    Entry,
    JsonValue,
    canonical_bytes,
    entry_from_bytes,
    format_timestamp,
)
from frombelow.core.record.error import RecordError


def _entry(**changes: Any) -> Entry:
    fields: dict[str, Any] = {
        "sequence": 7,
        "timestamp": "2025-05-01T18:30:00Z",
        "actor": "member:42",
        "action": "delegate.recalled",
        "body": "body:3",
        "subject": "mandate:19",
        "data": {"before": {"delegate": "member:8"}, "after": {"delegate": None}},
    }
    fields.update(changes)
    return Entry(**fields)


def test_canonical_bytes_sort_keys_and_leave_no_whitespace() -> None:
    assert canonical_bytes(_entry()) == (
        b'{"action":"delegate.recalled","actor":"member:42","body":"body:3",'
        b'"data":{"after":{"delegate":null},"before":{"delegate":"member:8"}},'
        b'"sequence":7,"subject":"mandate:19","timestamp":"2025-05-01T18:30:00Z"}'
    )


def test_keys_sort_by_utf16_code_units_as_in_rfc_8785() -> None:
    # The sorting example of RFC 8785 section 3.2.3: by UTF-16 code units, the emoji (a
    # surrogate pair, D83D DE00) sorts before U+FB33, unlike by code points.
    keys = ["\u20ac", "\r", "\ufb33", "1", "\U0001f600", "\u0080", "\u00f6"]
    data = json.loads(canonical_bytes(_entry(data=dict.fromkeys(keys, 0))))["data"]
    assert list(data) == [
        "\r",
        "1",
        "\u0080",
        "\u00f6",
        "\u20ac",
        "\U0001f600",
        "\ufb33",
    ]


def test_strings_are_escaped_as_ecmascript_does() -> None:
    # RFC 8785 3.2.2.2: short escapes, \u00xx in lower case for other controls, the rest as is.
    text = 'quote " back \\ tab \t nl \n ff \f cr \r bs \b ctl \x0f\x1f del \x7f € \u2028 😀'
    data = canonical_bytes(_entry(data={"s": text}))
    assert (
        b'"data":{"s":"quote \\" back \\\\ tab \\t nl \\n ff \\f cr \\r bs \\b ctl \\u000f\\u001f '
        b'del \x7f \xe2\x82\xac \xe2\x80\xa8 \xf0\x9f\x98\x80"}' in data
    )


def test_integers_booleans_and_null_keep_their_types() -> None:
    data = canonical_bytes(_entry(data={"n": -(2**53 - 1), "t": True, "f": False, "z": None}))
    assert b'"data":{"f":false,"n":-9007199254740991,"t":true,"z":null}' in data


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"share": 0.5}, "float"),
        ({"nested": [{"x": 1e3}]}, "float"),
        ({"big": 2**53}, "write it as a string"),
        ({"exact": Decimal("1.5")}, "Decimal is not a JSON value"),
        ({1: "one"}, "key 1 is not a string"),
        ({"s": "\ud800"}, "not valid Unicode"),
        ({"set": {1, 2}}, "set is not a JSON value"),
    ],
)
def test_data_without_a_canonical_form_is_refused(data: dict[Any, Any], message: str) -> None:
    with pytest.raises(RecordError, match=message):
        _entry(data=data)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"sequence": -1}, "sequence"),
        ({"sequence": True}, "sequence"),
        ({"timestamp": "2025-05-01 18:30:00Z"}, "not of the form"),
        ({"timestamp": "2025-05-01T18:30:00+00:00"}, "not of the form"),
        ({"timestamp": "2025-05-01T18:30:00.5Z"}, "not of the form"),
        ({"timestamp": "2025-13-01T18:30:00Z"}, "month"),
        ({"timestamp": "2025-05-01T18:30:00.000000Z"}, "zero fraction"),
        ({"timestamp": "\u0662\u0660\u0662\u0665-05-01T18:30:00Z"}, "not of the form"),
        ({"actor": ""}, "actor"),
        ({"action": "Recalled"}, "noun.verb"),
        ({"action": "delegate recalled"}, "noun.verb"),
        ({"body": ""}, "body"),
        ({"data": ["not", "a", "mapping"]}, "data must be a mapping"),
    ],
)
def test_malformed_fields_are_refused(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(RecordError, match=message):
        _entry(**changes)


def test_an_entry_does_not_change_when_its_data_source_does() -> None:
    source: dict[str, Any] = {"after": {"members": ["a", "b"]}}
    entry = _entry(data=source)
    before = canonical_bytes(entry)
    source["after"]["members"].append("c")
    assert canonical_bytes(entry) == before
    with pytest.raises(TypeError):
        entry.data["after"] = 1  # type: ignore[index]  # a Mapping: the write is the test


def test_timestamps_are_written_in_utc() -> None:
    moment = datetime(2025, 5, 1, 20, 30, tzinfo=timezone(timedelta(hours=2)))
    assert format_timestamp(moment) == "2025-05-01T18:30:00Z"
    assert format_timestamp(moment.replace(microsecond=250)) == "2025-05-01T18:30:00.000250Z"
    _entry(timestamp=format_timestamp(datetime.now(UTC)))
    with pytest.raises(RecordError, match="no time zone"):
        format_timestamp(datetime(2025, 5, 1))


def test_reading_canonical_bytes_gives_back_the_entry() -> None:
    entry = _entry()
    assert entry_from_bytes(canonical_bytes(entry)) == entry


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'{"sequence": 7}', "keys"),
        (
            b'{"action":"a.b","actor":"x","body":null,"data":{},"sequence":1,'
            b'"subject":"","timestamp":"2025-05-01T18:30:00Z" }',
            "not in canonical form",
        ),
        (
            b'{"actor":"x","action":"a.b","body":null,"data":{},"sequence":1,'
            b'"subject":"","timestamp":"2025-05-01T18:30:00Z"}',
            "not in canonical form",
        ),
        (
            b'{"action":"a.b","actor":"x","body":null,"data":{"v":1.0},"sequence":1,'
            b'"subject":"","timestamp":"2025-05-01T18:30:00Z"}',
            "only integers",
        ),
        (
            b'{"action":"a.b","actor":"x","body":null,"data":{"v":1,"v":2},"sequence":1,'
            b'"subject":"","timestamp":"2025-05-01T18:30:00Z"}',
            "twice",
        ),
        (b'{"data":NaN}', "not JSON"),
        (b"\xff", "not JSON"),
        (b"[]", "not a JSON object"),
    ],
)
def test_reading_other_serialisations_is_refused(data: bytes, message: str) -> None:
    with pytest.raises(RecordError, match=message):
        entry_from_bytes(data)


_SAFE = st.integers(-(2**53 - 1), 2**53 - 1)
_TEXT = st.text(st.characters(codec="utf-8"), max_size=8)
_JSON: st.SearchStrategy[JsonValue] = st.recursive(
    st.none() | st.booleans() | _SAFE | _TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_TEXT, inner, max_size=4),
    max_leaves=12,
)


def _thaw(value: object) -> object:
    """Return plain dicts and lists, to compare with what json.loads gives."""
    if isinstance(value, tuple | list):
        return [_thaw(item) for item in value]
    if hasattr(value, "items"):
        return {key: _thaw(item) for key, item in value.items()}
    return value


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(_TEXT, _JSON, max_size=5), st.integers(0, 2**53 - 1), _TEXT)
def test_canonical_bytes_are_json_that_reads_back_to_the_same_entry(
    data: dict[str, JsonValue], sequence: int, subject: str
) -> None:
    entry = _entry(data=data, sequence=sequence, subject=subject)
    raw = canonical_bytes(entry)
    assert json.loads(raw)["data"] == _thaw(data)
    assert entry_from_bytes(raw) == entry
    # No whitespace outside strings: compact JSON in the same key order is the same text.
    compact = json.dumps(json.loads(raw), separators=(",", ":"), ensure_ascii=False)
    assert compact.encode("utf-8") == raw
