"""Exports written by the core alone, for the verifier's tests: entries, checkpoints, votes, rolls.

A test appends entries as the services would, adds the rows the export writes beside them
(votes.jsonl, weights.jsonl), and writes the folder; `verify_export` then reads it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from frombelow.core.record.checkpoint import (
    Checkpoint,
    chain_extension,
    generate_signer,
    load_signer,
    sign_checkpoint,
)
from frombelow.core.record.entry import Entry, canonical_bytes
from frombelow.core.record.merkle import MerkleLog, leaf_hash
from frombelow.core.record.verify import CHECKPOINTS, ENTRIES, VERIFIER, VOTES, WEIGHTS

ORIGIN = "test.frombelow/record"
SIGNER_TEXT, VERIFIER_TEXT = generate_signer(ORIGIN)
TAKEN_AT = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)


class Export:
    """An export being written: entries signed one checkpoint each, and the rows beside them."""

    def __init__(self, signer_text: str = SIGNER_TEXT, chained: bool = True) -> None:
        self.signer = load_signer(signer_text)
        self.chained = chained
        self.log = MerkleLog()
        self.lines: list[bytes] = []
        self.notes: list[dict[str, Any]] = []
        self.votes: list[dict[str, Any]] = []
        self.weights: list[dict[str, Any]] = []

    def add(
        self,
        action: str,
        data: Mapping[str, Any],
        *,
        actor: str = "system",
        body: str | None = None,
        subject: str = "",
        sign: bool = True,
    ) -> int:
        """Append an entry (and sign a checkpoint of the record with it); return its sequence."""
        sequence = len(self.lines)
        entry = Entry(sequence, "2026-11-25T10:00:00Z", actor, action, body, subject, data)
        line = canonical_bytes(entry)
        self.lines.append(line)
        self.log.append(leaf_hash(line))
        if sign:
            self.sign()
        return sequence

    def sign(self) -> None:
        """Sign a checkpoint of the record as it stands, numbered and chained to the last."""
        previous = self.notes[-1]["size"] if self.notes else None
        chain = (chain_extension(len(self.notes), previous),) if self.chained else ()
        checkpoint = Checkpoint(ORIGIN, self.log.size, self.log.root(), chain)
        self.notes.append({"size": self.log.size, "note": sign_checkpoint(checkpoint, self.signer)})

    def write(self, folder: Path) -> Path:
        """Write the export's files into `folder`."""
        folder.mkdir(parents=True, exist_ok=True)
        (folder / ENTRIES).write_bytes(b"".join(line + b"\n" for line in self.lines))
        (folder / CHECKPOINTS).write_text("".join(json.dumps(n) + "\n" for n in self.notes))
        (folder / VERIFIER).write_text(VERIFIER_TEXT + "\n")
        (folder / VOTES).write_text("".join(json.dumps(v) + "\n" for v in self.votes))
        (folder / WEIGHTS).write_text("".join(json.dumps(w) + "\n" for w in self.weights))
        return folder


def opened_vote(
    *,
    method: str,
    options: list[str],
    session: int | None = None,
    item: int | None = None,
    seats: int = 1,
    electorate: int = 0,
    ballot: str = "open",
) -> dict[str, Any]:
    """Return a `vote.opened` entry's data, as `votes.create_vote` writes it."""
    return {
        "method": method,
        "options": options,
        "seats": seats,
        "ballot": ballot,
        "mode": "online",
        "quorum": "0",
        "threshold": {"share": "1/2", "base": "cast", "strict": True},
        "by_consent": False,
        "electorate": electorate,
        "motion": None,
        "item": item,
        "session": session,
    }


def exported_vote(pk: int, decision: Mapping[str, Any], count: Any, **rows: Any) -> dict[str, Any]:
    """Return a votes.jsonl row: the decision as stored, and the ballots, casts and rows given."""
    row: dict[str, Any] = {
        "vote": pk,
        "ballots": [],
        "tally": None,
        "delegation_votes": [],
        "casts": [],
        "decision": {
            "id": pk,
            "outcome": decision["outcome"],
            "winners": decision["winners"],
            "turnout": decision["turnout"],
            "count": count,
        },
    }
    row.update(rows)
    return row
