"""Check every weight snapshot of an export against its roll, and every roll against the record.

A roll snapshot (who belonged to which assembly when a council's session opened) is exported from
the membership tables, which the operator could alter. So the verifier rebuilds each assembly's
roll from the record's own entries up to the session's `session.opened` entry: the founders of an
assembly (`body.founded`), admissions (`member.admitted`), leavings (`member.left`), expulsions
(`member.sanctioned` with "expulsion") and readmissions when an expulsion is lifted on appeal
(`sanction.lifted`, whose member and assembly its `sanction.appealed` entry names). The snapshot's
weights are then recomputed from the roll with `federation.weigh` (MODEL.md sections 3 and 8).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from frombelow.core.federation import Body, Federation, Roll, weigh
from frombelow.core.record.entry import Entry
from frombelow.core.record.verify_common import (
    WEIGHTS,
    Json,
    Record,
    VerifyError,
    data_of,
    json_lines,
)
from frombelow.core.statutes import Statute

Pair = tuple[int, str]  # (member, assembly)


def _member(label: str) -> int:
    """Read "member:N" as N."""
    kind, _, number = label.partition(":")
    if kind != "member" or not number.isdigit():
        raise ValueError(f"{label!r} names no member")
    return int(number)


class _Rolls:
    """The rolls of every assembly, rebuilt entry by entry in the record's order."""

    def __init__(self, record: Record) -> None:
        self.entries: Iterator[Entry] = iter(record.entries)
        self.record = record
        self.members: set[Pair] = set()
        self.expelled: set[Pair] = set()  # expelled and not readmitted
        self.upto = 0  # entries before this sequence have been applied

    def at(self, sequence: int) -> set[Pair]:
        """Return the memberships as the entries before `sequence` leave them."""
        while self.upto < sequence:
            entry = next(self.entries, None)
            if entry is None:
                break
            self._apply(entry)
            self.upto = entry.sequence + 1
        return self.members

    def _apply(self, entry: Entry) -> None:
        action, body = entry.action, entry.body or ""
        if action == "body.founded" and entry.data.get("kind") == "assembly":
            self.members |= {(_member(str(m)), body) for m in data_of(entry)["founders"]}
        elif action == "member.admitted":
            self.members.add((_member(entry.subject), body))
        elif action == "member.left":
            self.members.discard((_member(entry.subject), body))
        elif action == "member.sanctioned" and entry.data.get("sanction") == "expulsion":
            pair = (_member(entry.subject), body)
            self.members.discard(pair)
            self.expelled.add(pair)
        elif action == "sanction.lifted":
            appealed = self.record.on("sanction.appealed", entry.subject)
            if len(appealed) != 1:
                raise VerifyError(entry.sequence, f"lifts {entry.subject}, never appealed")
            pair = (_member(appealed[0].actor), str(appealed[0].data["assembly"]))
            if pair in self.expelled:  # a lifted suspension changes no roll
                self.expelled.discard(pair)
                self.members.add(pair)


def _check_roll(row: Json, rolls: _Rolls, at: int) -> None:
    """Compare the exported roll with the one rebuilt from the record before entry `at`."""
    roll = row["roll"]
    assemblies = {slug for slug, kind in roll["bodies"] if kind == "assembly"}
    rebuilt = {pair for pair in rolls.at(at) if pair[1] in assemblies}
    exported = {(int(member), str(assembly)) for member, assembly in roll["pairs"]}
    if len(exported) != len(roll["pairs"]) or rebuilt != exported:
        extra = sorted(exported - rebuilt)[:3]
        lacking = sorted(rebuilt - exported)[:3]
        raise VerifyError(
            at,
            f"the roll of weight snapshot {row['snapshot']} is not the one the record's "
            f"admissions and leavings give: it adds {extra} and lacks {lacking} "
            "(member, assembly), or lists one twice",
        )


def _weigh(row: Json) -> tuple[dict[str, int], int]:
    roll = row["roll"]
    federation = Federation.of(
        (Body(slug, kind) for slug, kind in roll["bodies"]),
        ((m, c) for m, c in roll["affiliations"]),
    )
    statutes = {
        slug: Statute(member_counting=counting)
        for slug, counting in roll["member_counting"].items()
    }
    taken_at = datetime.fromisoformat(row["taken_at"])
    weights = weigh(federation, Roll.from_pairs(roll["pairs"], taken_at), statutes)
    return dict(weights.weights), weights.members


def check_weights(directory: Path, record: Record) -> list[str]:
    """Rebuild every roll snapshot from the record and recompute its weights from it."""
    rolls = _Rolls(record)
    snapshots = 0
    rows = json_lines(directory / WEIGHTS)
    opened = {
        row["snapshot"]: record.about("session.opened", "weights", row["snapshot"]) for row in rows
    }
    for row in sorted(rows, key=lambda r: [e.sequence for e in opened[r["snapshot"]]] or [-1]):
        found = opened[row["snapshot"]]
        if len(found) != 1:
            raise VerifyError(
                None, f"weight snapshot {row['snapshot']} was taken by {len(found)} sessions"
            )
        at = found[0].sequence
        _check_roll(row, rolls, at)
        weights, members = _weigh(row)
        if weights != row["weights"] or members != row["members"]:
            changed = sorted(
                b
                for b in set(row["weights"]) | set(weights)
                if row["weights"].get(b) != weights.get(b)
            )
            raise VerifyError(
                at,
                f"weight snapshot {row['snapshot']} gives {row['body']!r}'s subtree weights "
                f"its roll does not (bodies {changed}, members {row['members']} against "
                f"{members})",
            )
        seated = data_of(found[0]).get("delegations") or {}
        for body, delegation in seated.items():
            if delegation["weight"] != row["weights"].get(body):
                raise VerifyError(at, f"delegation {body!r} is seated with another weight")
        snapshots += 1
    return [
        f"{snapshots} roll snapshots rebuilt from the record's admissions, leavings and "
        "expulsions before their session opened",
        f"{snapshots} weight snapshots recomputed from their roll snapshots",
    ]
