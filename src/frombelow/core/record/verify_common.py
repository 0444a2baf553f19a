"""What the verifier's checks share: the export's files, the error naming an entry, the entries.

The layout of an export is in docs/record.md, "Export"; the checks are in `verify.py` (the tree
and checkpoints), `verify_votes.py` (counts, delegation votes, casts) and `verify_roll.py`
(rolls and weights).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from frombelow.core.counting.result import plain
from frombelow.core.record.entry import Entry

# The files of an export (docs/record.md, "Export").
ENTRIES = "entries.jsonl"  # one entry's canonical bytes a line, in sequence order
CHECKPOINTS = "checkpoints.jsonl"  # {"size": n, "note": signed note} a line
VERIFIER = "verifier.txt"  # the log's verifier key; its name is the log's origin
VOTES = "votes.jsonl"  # each closed vote: its rules, ballots or tally, delegation votes, decision
WEIGHTS = "weights.jsonl"  # each weight snapshot with the roll it was computed from

Json = dict[str, Any]


class VerifyError(Exception):
    """The export is not what the record says; `entry` names the entry at fault, if one is."""

    def __init__(self, entry: int | None, what: str) -> None:
        super().__init__(what)
        self.entry = entry
        self.what = what

    def __str__(self) -> str:
        return f"entry {self.entry}: {self.what}" if self.entry is not None else self.what


@dataclasses.dataclass(frozen=True)
class Report:
    """What was checked, and the first problem found (None when everything holds)."""

    checked: tuple[str, ...]
    problem: VerifyError | None

    @property
    def ok(self) -> bool:
        """Say whether everything holds."""
        return self.problem is None


def ballot_list_hash(ballots: Sequence[tuple[str, Sequence[Sequence[str]]]]) -> str:
    """Return the hex SHA-256 of a secret vote's ballot list: [tracker hash, ranking] sorted."""
    rows = sorted([tracker, [list(group) for group in ranking]] for tracker, ranking in ballots)
    text = json.dumps(rows, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def data_of(entry: Entry) -> Json:
    """Return an entry's data as plain JSON values."""
    data: Json = plain(entry.data)
    return data


def lines_of(path: Path) -> Iterator[tuple[int, bytes]]:
    """Yield each line of a file without its newline, numbered from 1."""
    with path.open("rb") as lines:
        for number, line in enumerate(lines, start=1):
            yield number, line.rstrip(b"\n")


def json_lines(path: Path) -> list[Json]:
    """Read a JSON-lines file; a missing file holds nothing."""
    if not path.exists():
        return []
    rows = []
    for number, line in lines_of(path):
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            raise VerifyError(None, f"{path.name} line {number} is not JSON: {error}") from None
        if not isinstance(row, dict):
            raise VerifyError(None, f"{path.name} line {number} is not a JSON object")
        rows.append(row)
    return rows


class Record:
    """The entries of an export, indexed by what the other checks look up."""

    def __init__(self, entries: Sequence[Entry]) -> None:
        self.entries = entries
        self.by_action: dict[str, list[Entry]] = {}
        self._by_subject: dict[tuple[str, str], list[Entry]] = {}
        for entry in entries:
            self.by_action.setdefault(entry.action, []).append(entry)
            self._by_subject.setdefault((entry.action, entry.subject), []).append(entry)
        # (action, data key) -> data value -> entries, built on first use: each vote's checks
        # look up its own entries, and a scan per vote would grow with the square of the record.
        self._by_data: dict[tuple[str, str], dict[object, list[Entry]]] = {}

    def about(self, action: str, key: str, value: object) -> list[Entry]:
        """Return the entries of an action whose data holds `key: value`, in the record's order."""
        index = self._by_data.get((action, key))
        if index is None:
            index = {}
            for entry in self.by_action.get(action, ()):
                found = entry.data.get(key)
                if isinstance(found, int | str | bool) or found is None:
                    index.setdefault(found, []).append(entry)
            self._by_data[(action, key)] = index
        if not (isinstance(value, int | str | bool) or value is None):
            return [e for e in self.by_action.get(action, ()) if e.data.get(key) == value]
        return [e for e in index.get(value, ()) if e.data.get(key) == value]

    def on(self, action: str, subject: str) -> list[Entry]:
        """Return the entries of an action about a subject, in the record's order."""
        return list(self._by_subject.get((action, subject), ()))

    def one(self, action: str, key: str, value: object, what: str) -> Entry:
        """Return the one entry of an action about `value`, or say that the record lacks it."""
        found = self.about(action, key, value)
        if len(found) != 1:
            raise VerifyError(None, f"the record has {len(found)} {action!r} entries for {what}")
        return found[0]

    def one_on(self, action: str, subject: str, near: Entry) -> Entry:
        """Return the one entry of an action about a subject, or name `near` as lacking it."""
        found = self.on(action, subject)
        if len(found) != 1:
            raise VerifyError(
                near.sequence, f"the record has {len(found)} {action!r} entries for {subject}"
            )
        return found[0]
