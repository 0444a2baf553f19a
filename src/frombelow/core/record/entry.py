"""The record entry and its canonical bytes: what each leaf of the record's Merkle tree hashes.

Source: RFC 8785 "JSON Canonicalization Scheme (JCS)", section 3.2 (serialization), for the subset
of JSON an entry may hold: objects, arrays, strings, integers in the I-JSON range (RFC 7493
section 2.2), true, false and null. Floating-point numbers are refused rather than serialised, so
that no two programs can disagree on a digit; exact decimals go in as strings. The shape is
documented in docs/record.md for the database layer and for independent verifiers.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Any, TypeAlias

from frombelow.core.record.error import RecordError

JsonValue: TypeAlias = "bool | int | str | Sequence[JsonValue] | Mapping[str, JsonValue] | None"

# I-JSON (RFC 7493 2.2): integers beyond 2**53 - 1 are not exact in every JSON reader.
MAX_SAFE_INTEGER = 2**53 - 1
# Canonical timestamps: UTC, "T" and "Z", whole seconds or six fractional digits, not all zero.
_TIMESTAMP = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{6})?Z")
# An action is "noun.verb" in lower case, e.g. "member.admitted", "delegate.recalled".
_ACTION = re.compile(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+")
SYSTEM = "system"  # the actor of acts no person did: scheduled terms, derived counts


def format_timestamp(moment: datetime) -> str:
    """Write an aware datetime as the record's canonical UTC timestamp."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise RecordError(f"timestamp {moment.isoformat()} has no time zone")
    utc = moment.astimezone(UTC)
    spec = "microseconds" if utc.microsecond else "seconds"
    return utc.replace(tzinfo=None).isoformat(timespec=spec) + "Z"


def _check_text(where: str, value: str) -> None:
    """Refuse a string that cannot be written as UTF-8 (a lone surrogate)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        raise RecordError(f"{where}: string is not valid Unicode ({error.reason})") from None


def _freeze(where: str, value: object) -> JsonValue:
    """Check a JSON-compatible value and return a copy that cannot be changed."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        if abs(value) > MAX_SAFE_INTEGER:
            raise RecordError(
                f"{where}: integer {value} is beyond ±(2**53 - 1); write it as a string"
            )
        return int(value)
    if isinstance(value, float):
        raise RecordError(f"{where}: {value!r} is a float; write exact numbers as strings")
    if isinstance(value, str):
        _check_text(where, value)
        return str(value)
    if isinstance(value, Mapping):
        frozen: dict[str, JsonValue] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise RecordError(f"{where}: key {key!r} is not a string")
            _check_text(f"{where}: key {key!r}", key)
            frozen[key] = _freeze(f"{where}.{key}", item)
        return MappingProxyType(frozen)
    if isinstance(value, list | tuple):
        return tuple(_freeze(f"{where}[{i}]", item) for i, item in enumerate(value))
    raise RecordError(f"{where}: {type(value).__name__} is not a JSON value")


@dataclass(frozen=True)
class Entry:
    """One act in the record: who did what, in which body, to what, with what before and after."""

    sequence: int  # the leaf index in the record's Merkle tree, from 0
    timestamp: str  # UTC, e.g. "2025-05-01T18:30:00Z"; see format_timestamp
    actor: str  # a member's or officer's stable id, or SYSTEM
    action: str  # "noun.verb" from the glossary: "member.admitted", "vote.cast", ...
    body: str | None  # the body's stable id, or None for acts of the installation
    subject: str  # what the act concerns (a member's, motion's ... stable id), or "" for the body
    data: Mapping[str, JsonValue]  # the before and after that matter, JSON-compatible

    def __post_init__(self) -> None:
        """Refuse an entry that has no canonical form, and freeze its data."""
        where = f"entry {self.sequence!r}"
        if (
            isinstance(self.sequence, bool)
            or not isinstance(self.sequence, int)
            or not 0 <= self.sequence <= MAX_SAFE_INTEGER
        ):
            raise RecordError(f"{where}: sequence must be an integer from 0 to 2**53 - 1")
        if not isinstance(self.timestamp, str) or not _TIMESTAMP.fullmatch(self.timestamp):
            raise RecordError(
                f"{where}: timestamp {self.timestamp!r} is not of the form "
                "YYYY-MM-DDTHH:MM:SS[.ffffff]Z"
            )
        try:
            datetime.fromisoformat(self.timestamp[:-1])
        except ValueError as error:
            raise RecordError(f"{where}: timestamp {self.timestamp!r}: {error}") from None
        if self.timestamp.endswith(".000000Z"):
            # One instant, one text: whole seconds are written without a fraction.
            raise RecordError(f"{where}: timestamp {self.timestamp!r} has a zero fraction")
        if not isinstance(self.actor, str) or not self.actor:
            raise RecordError(f"{where}: actor must be a non-empty string")
        _check_text(f"{where}: actor", self.actor)
        if not isinstance(self.subject, str):
            raise RecordError(f"{where}: subject must be a string")
        _check_text(f"{where}: subject", self.subject)
        if not isinstance(self.action, str) or not _ACTION.fullmatch(self.action):
            raise RecordError(
                f"{where}: action {self.action!r} is not a lower-case 'noun.verb' name"
            )
        if self.body is not None:
            if not isinstance(self.body, str) or not self.body:
                raise RecordError(f"{where}: body must be a non-empty string or None")
            _check_text(f"{where}: body", self.body)
        if not isinstance(self.data, Mapping):
            raise RecordError(f"{where}: data must be a mapping, not {type(self.data).__name__}")
        object.__setattr__(self, "data", _freeze(f"{where}: data", self.data))


def _write(value: JsonValue, out: list[str]) -> None:
    """Append the JCS serialisation of a checked value (RFC 8785 3.2.2, 3.2.3)."""
    if value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, int):
        out.append(str(value))
    elif isinstance(value, str):
        # Python escapes exactly as ECMAScript JSON.stringify does (RFC 8785 3.2.2.2): '"', '\\',
        # \b \t \n \f \r, other controls as \u00xx in lower case, everything else as itself.
        out.append(json.dumps(value, ensure_ascii=False))
    elif isinstance(value, Mapping):
        # JCS sorts keys by their UTF-16 code units (RFC 8785 3.2.3), which is the byte order of
        # UTF-16BE; Python's own str order (code points) differs beyond the BMP.
        out.append("{")
        for position, key in enumerate(sorted(value, key=lambda k: k.encode("utf-16-be"))):
            if position:
                out.append(",")
            out.append(json.dumps(key, ensure_ascii=False))
            out.append(":")
            _write(value[key], out)
        out.append("}")
    else:
        out.append("[")
        for position, item in enumerate(value):
            if position:
                out.append(",")
            _write(item, out)
        out.append("]")


def entry_fields(entry: Entry) -> dict[str, JsonValue]:
    """Return the entry as the JSON object whose canonical bytes are hashed."""
    return {
        "sequence": entry.sequence,
        "timestamp": entry.timestamp,
        "actor": entry.actor,
        "action": entry.action,
        "body": entry.body,
        "subject": entry.subject,
        "data": entry.data,
    }


def canonical_bytes(entry: Entry) -> bytes:
    """Return the entry's canonical JSON (RFC 8785 subset) as UTF-8 bytes."""
    out: list[str] = []
    _write(entry_fields(entry), out)
    return "".join(out).encode("utf-8")


def _refuse_constant(name: str) -> Any:
    """Refuse NaN and Infinity, which JSON does not have."""
    raise RecordError(f"entry bytes hold {name}, which is not JSON")


def _refuse_float(text: str) -> Any:
    """Refuse a JSON number with a fraction or exponent."""
    raise RecordError(f"entry bytes hold the number {text}; only integers are allowed")


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """Refuse an object with a key given twice."""
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise RecordError(f"entry bytes hold the key {key!r} twice in one object")
        result[key] = value
    return result


def entry_from_bytes(data: bytes) -> Entry:
    """Read an entry from its canonical bytes, refusing any other serialisation of it."""
    try:
        parsed = json.loads(
            data.decode("utf-8"),
            parse_float=_refuse_float,
            parse_constant=_refuse_constant,
            object_pairs_hook=_unique_keys,
        )
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise RecordError(f"entry bytes are not JSON: {error}") from None
    if not isinstance(parsed, dict):
        raise RecordError("entry bytes are not a JSON object")
    expected = {"sequence", "timestamp", "actor", "action", "body", "subject", "data"}
    if set(parsed) != expected:
        raise RecordError(f"entry bytes have the keys {sorted(parsed)}, not {sorted(expected)}")
    entry = Entry(**parsed)
    if canonical_bytes(entry) != data:
        raise RecordError(f"entry {entry.sequence}: bytes are not in canonical form")
    return entry
