"""Verify an exported record with nothing but the core: the tree, its checkpoints, every count.

Sources: RFC 9162 section 2.1 (the tree over the entries' canonical bytes, see merkle.py), C2SP
tlog-checkpoint and signed-note (checkpoints, see checkpoint.py), and MODEL.md section 8 ("anyone
can recount"): every count follows from its ballots, recounted with the counting engine; every
weight follows from its roll snapshot (`federation.weigh`); every delegation vote follows from its
mandate (`mandates.derive_delegation_vote`). The export's layout is in docs/record.md, "Export".

What an export holds besides the record (ballots, tallies, weights, mandates) is read from the
database and could have been altered there; so each of these is checked against the entries the
record holds about it (the entries are fixed by the tree and the signed checkpoints), and each
problem names the entry that records what was altered.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from frombelow.core.counting import registry
from frombelow.core.counting.majority import ABSTAIN, NO, YES
from frombelow.core.counting.rule import CountError, CountOptions, Threshold
from frombelow.core.decisions import decide
from frombelow.core.errors import DomainError
from frombelow.core.federation import Body, Federation, Roll, weigh
from frombelow.core.mandates import split_proportionally
from frombelow.core.record.checkpoint import load_verifier, open_checkpoint
from frombelow.core.record.entry import Entry, entry_from_bytes
from frombelow.core.record.error import RecordError
from frombelow.core.record.merkle import MerkleLog, leaf_hash
from frombelow.core.statutes import Statute
from frombelow.core.voting import MOTION, is_quorate, profile_of, ranking_of

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


def plain(value: object) -> Any:
    """Write a count as the record's JSON does: exact numbers as text, tuples as lists."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return [plain(v) for v in value]
    if isinstance(value, Decimal | Fraction):
        return str(value)
    return value


def _data(entry: Entry) -> Json:
    """Return an entry's data as plain JSON values."""
    data: Json = plain(entry.data)
    return data


def _lines(path: Path) -> Iterator[tuple[int, bytes]]:
    """Yield each line of a file without its newline, numbered from 1."""
    with path.open("rb") as lines:
        for number, line in enumerate(lines, start=1):
            yield number, line.rstrip(b"\n")


def _json_lines(path: Path) -> list[Json]:
    """Read a JSON-lines file; a missing file holds nothing."""
    if not path.exists():
        return []
    rows = []
    for number, line in _lines(path):
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            raise VerifyError(None, f"{path.name} line {number} is not JSON: {error}") from None
        if not isinstance(row, dict):
            raise VerifyError(None, f"{path.name} line {number} is not a JSON object")
        rows.append(row)
    return rows


class _Record:
    """The entries of an export, indexed by what the other checks look up."""

    def __init__(self, entries: Sequence[Entry]) -> None:
        self.entries = entries
        self.by_action: dict[str, list[Entry]] = {}
        for entry in entries:
            self.by_action.setdefault(entry.action, []).append(entry)

    def about(self, action: str, key: str, value: object) -> list[Entry]:
        """Return the entries of an action whose data holds `key: value`."""
        return [e for e in self.by_action.get(action, ()) if e.data.get(key) == value]

    def one(self, action: str, key: str, value: object, what: str) -> Entry:
        """Return the one entry of an action about `value`, or say that the record lacks it."""
        found = self.about(action, key, value)
        if len(found) != 1:
            raise VerifyError(None, f"the record has {len(found)} {action!r} entries for {what}")
        return found[0]


def check_tree(directory: Path) -> tuple[_Record, list[str]]:
    """Check the entries, the tree over them and every checkpoint; return the entries."""
    verifier = load_verifier((directory / VERIFIER).read_text(encoding="utf-8"))
    origin = verifier.name
    checkpoints = sorted(_json_lines(directory / CHECKPOINTS), key=lambda c: int(c["size"]))
    wanted: dict[int, Any] = {}
    for row in checkpoints:
        try:
            opened = open_checkpoint(str(row["note"]), verifier, origin=origin)
        except RecordError as error:
            raise VerifyError(None, f"checkpoint of size {row.get('size')}: {error}") from None
        if opened.size != row["size"]:
            raise VerifyError(None, f"checkpoint filed at size {row['size']} is of {opened.size}")
        wanted[opened.size] = opened.root
    log = MerkleLog()
    entries: list[Entry] = []
    good = 0  # the size of the last checkpoint that matched
    if 0 in wanted and wanted[0] != log.root():
        raise VerifyError(None, "the checkpoint of the empty record has another root")
    for number, line in _lines(directory / ENTRIES):
        sequence = number - 1
        try:
            entry = entry_from_bytes(line)
        except RecordError as error:
            raise VerifyError(sequence, f"is not a record entry: {error}") from None
        if entry.sequence != sequence:
            raise VerifyError(
                sequence, f"is numbered {entry.sequence}: an entry is missing or moved"
            )
        entries.append(entry)
        log.append(leaf_hash(line))
        root = wanted.get(log.size)
        if root is not None:
            if root != log.root():
                where = f"{good}" if log.size - good == 1 else f"{good} to {log.size - 1}"
                raise VerifyError(
                    good,
                    f"changed: the signed checkpoint of size {log.size} does not match the "
                    f"entries {where} (the entries before them match checkpoint {good})",
                )
            good = log.size
    beyond = [size for size in wanted if size > log.size]
    if beyond:
        raise VerifyError(
            log.size,
            f"missing: a signed checkpoint covers {max(beyond)} entries, the export {log.size}",
        )
    checked = [
        f"{len(entries)} entries read in canonical form, numbered 0 to {len(entries) - 1}",
        f"{len(wanted)} checkpoints signed by {verifier.text()}",
        "the tree over the entries has the root of every checkpoint, so each extends the last",
    ]
    if good != log.size:
        checked.append(f"entries {good} to {log.size - 1} are under no checkpoint yet")
    return _Record(entries), checked


def _ranked(vote: Json, ranking: Sequence[Sequence[str]]) -> tuple[tuple[int, ...], ...]:
    return ranking_of(vote["method"], vote["options"], ranking)


def _threshold(data: Json) -> Threshold:
    return Threshold(Fraction(data["share"]), data.get("base", "cast"), bool(data.get("strict")))


def _check_ballots(record: _Record, vote: Json, decision_entry: Entry) -> tuple[list[Any], int]:
    """Check the vote's ballots against the record; return (ranking, weight) pairs and turnout."""
    pk = vote["vote"]
    if vote["mode"] == "meeting":
        entered = [
            e for e in record.by_action.get("tally.entered", ()) if e.subject == f"vote:{pk}"
        ]
        if len(entered) != 1:
            raise VerifyError(decision_entry.sequence, f"vote {pk} has no tally in the record")
        entry = entered[0]
        tally = vote["tally"]
        if plain(entry.data["counts"]) != tally["counts"]:
            raise VerifyError(entry.sequence, f"the tally of vote {pk} differs from the record")
        if len(_data(entry)["attendance"]) != tally["attendance"]:
            raise VerifyError(entry.sequence, f"the attendance of vote {pk} differs")
        pairs = [(_ranked(vote, line["ranking"]), int(line["count"])) for line in tally["counts"]]
        silent = tally["attendance"] - sum(w for _, w in pairs)
        if silent and vote["method"] == MOTION:
            pairs.append((_ranked(vote, [[ABSTAIN]]), silent))
        return pairs, int(tally["attendance"])
    casts = list(record.about("vote.cast", "vote", pk))
    if vote["ballot_kind"] == "open":
        recorded = Counter((e.actor, json.dumps(plain(e.data.get("ranking")))) for e in casts)
        exported = Counter((b["voter"], json.dumps(b["ranking"])) for b in vote["ballots"])
        if recorded != exported:
            bad = (exported - recorded) or (recorded - exported)
            voter = next(iter(bad))[0]
            mine = [e for e in casts if e.actor == voter]
            at = mine[0].sequence if mine else decision_entry.sequence
            raise VerifyError(at, f"the open ballot of {voter} in vote {pk} differs from it")
        return [(_ranked(vote, b["ranking"]), 1) for b in vote["ballots"]], len(casts)
    ballots = vote["ballots"]
    listed = ballot_list_hash([(b["tracker_hash"], b["ranking"]) for b in ballots])
    if decision_entry.data.get("ballots") != listed:
        raise VerifyError(
            decision_entry.sequence,
            f"the published ballot list of secret vote {pk} is not the one recorded at its close",
        )
    if len(ballots) != len(casts):
        raise VerifyError(
            decision_entry.sequence,
            f"secret vote {pk} lists {len(ballots)} ballots for {len(casts)} recorded casts",
        )
    return [(_ranked(vote, b["ranking"]), 1) for b in ballots], len(casts)


def _recount(vote: Json, pairs: list[Any], turnout: int) -> tuple[str, list[str], Any]:
    """Count an assembly's vote as the services do: outcome, winners and the engine's Result."""
    quorum = Fraction(vote["quorum"])
    seed = (vote["decision"]["count"] or {}).get("seed")
    if vote["method"] == MOTION:
        profile = profile_of(vote["options"], pairs)
        options = CountOptions(
            electorate=vote["electorate"],
            quorum=quorum,
            threshold=_threshold(vote["threshold"]),
            seed=seed,
        )
        result = registry.count(MOTION, profile, options)
        outcome = result.outcome
        if vote["by_consent"] and outcome != "inquorate":
            objections = sum(w for r, w in pairs if vote["options"][r[0][0]] == NO)
            if not objections:
                outcome = "carried"
        return outcome, [YES] if outcome == "carried" else [], result
    if vote["motion"] is not None and not is_quorate(turnout, vote["electorate"], quorum):
        return "inquorate", [], None
    if not pairs:
        return "elected", [], None
    profile = profile_of(vote["options"], pairs, seats=vote["seats"])
    result = registry.count(vote["method"], profile, CountOptions(seats=vote["seats"], seed=seed))
    outcome = "chosen" if vote["motion"] is not None else "elected"
    return outcome, list(result.elected), result


def _check_delegation_votes(record: _Record, vote: Json, decision_entry: Entry) -> int:
    """Check that each mandated delegation's vote follows from its mandate; return the total."""
    total = 0
    for row in vote["delegation_votes"]:
        total += sum(row["votes"].values())
        mandate = row["mandate"]
        if mandate is None or mandate["kind"] not in ("bound", "proportional"):
            continue
        recorded = record.about("mandate.decided", "decision", mandate["decision"])
        at = recorded[0].sequence if recorded else decision_entry.sequence
        if not recorded or (
            recorded[0].data["kind"],
            recorded[0].data["option"],
            plain(recorded[0].data["votes"]),
        ) != (mandate["kind"], mandate["option"] or None, mandate["votes"]):
            raise VerifyError(at, f"the mandate of {row['member_body']!r} differs from the record")
        seated = row["delegation"]
        votes = int(seated["seats"]) * int(seated["votes_per_seat"])
        # As `mandates.derive_delegation_vote` derives it (a delegation is seated only by the
        # core's `seat_delegations`, so the rule is applied here to the recorded seats).
        if mandate["kind"] == "bound":
            derived = {mandate["option"]: votes}
        else:
            derived = split_proportionally(votes, mandate["votes"], vote["options"])
        if derived != row["votes"]:
            raise VerifyError(
                at,
                f"the delegation vote of {row['member_body']!r} in vote {vote['vote']} is "
                f"{row['votes']}, but its mandate gives {derived}",
            )
    return total


def _recount_council_item(vote: Json, decision_entry: Entry) -> None:
    """Recount a council's item from its delegation votes, as `mandates.decide_item` does."""
    totals = dict.fromkeys(vote["options"], 0)
    for row in vote["delegation_votes"]:
        for option, count in row["votes"].items():
            totals[option] += count
    try:
        result = decide(
            totals,
            electorate=vote["electorate"],
            quorum=Fraction(vote["quorum"]),
            threshold=_threshold(vote["threshold"]),
        )
    except ValueError as error:
        raise VerifyError(
            decision_entry.sequence, f"vote {vote['vote']} cannot be recounted: {error}"
        ) from None
    stated = _data(decision_entry)["outcome"]
    if result.outcome != stated:
        raise VerifyError(
            decision_entry.sequence,
            f"council vote {vote['vote']} recounts as {result.outcome} from its delegation "
            f"votes {totals}, but the record says {stated}",
        )
    if plain(result) != vote["decision"]["count"]:
        raise VerifyError(
            decision_entry.sequence, f"the stored count of vote {vote['vote']} is not its recount"
        )


def check_votes(directory: Path, record: _Record) -> list[str]:
    """Recount every closed vote from its ballots and compare with the record and stored count."""
    counted = councils = delegation_votes = 0
    for vote in _json_lines(directory / VOTES):
        pk = vote["vote"]
        decision_entry = record.one("decision.taken", "vote", pk, f"vote {pk}")
        decision = vote["decision"]
        stated = decision_entry.data
        if (decision["outcome"], decision["winners"], decision["turnout"]) != (
            stated["outcome"],
            plain(stated["winners"]),
            stated["turnout"],
        ):
            raise VerifyError(
                decision_entry.sequence, f"the stored decision of vote {pk} differs from it"
            )
        if vote["council"]:
            total = _check_delegation_votes(record, vote, decision_entry)
            if vote["item"] is not None and total != stated["turnout"]:
                raise VerifyError(
                    decision_entry.sequence,
                    f"the delegation votes of vote {pk} sum to {total}, not its turnout "
                    f"{stated['turnout']}",
                )
            if vote["item"] is not None:
                _recount_council_item(vote, decision_entry)
            councils += 1
            delegation_votes += len(vote["delegation_votes"])
            continue
        pairs, turnout = _check_ballots(record, vote, decision_entry)
        try:
            outcome, winners, result = _recount(vote, pairs, turnout)
        except (CountError, ValueError) as error:
            raise VerifyError(
                decision_entry.sequence, f"vote {pk} cannot be recounted: {error}"
            ) from None
        if (outcome, winners, turnout) != (
            stated["outcome"],
            plain(stated["winners"]),
            stated["turnout"],
        ):
            raise VerifyError(
                decision_entry.sequence,
                f"vote {pk} recounts as {outcome} {winners} with turnout {turnout}, but the "
                f"record says {stated['outcome']} {plain(stated['winners'])} with turnout "
                f"{stated['turnout']}",
            )
        if (plain(result) if result is not None else {}) != decision["count"]:
            raise VerifyError(
                decision_entry.sequence, f"the stored count of vote {pk} is not its recount"
            )
        counted += 1
    return [
        f"{counted} assembly votes recounted from their ballots or tallies with the counting "
        "engine: each ballot as the record has it, each outcome and stored count as recorded",
        f"{councils} council votes: {delegation_votes} delegation votes, each mandated one as "
        "its mandate gives it, summing to the recorded turnout; each item recounted from them",
    ]


def check_weights(directory: Path, record: _Record) -> list[str]:
    """Recompute every weight snapshot from its roll snapshot."""
    snapshots = 0
    for row in _json_lines(directory / WEIGHTS):
        roll = row["roll"]
        opened = record.about("session.opened", "weights", row["snapshot"])
        at = opened[0].sequence if opened else None
        taken_at = datetime.fromisoformat(row["taken_at"])
        federation = Federation.of(
            (Body(slug, kind) for slug, kind in roll["bodies"]),
            ((m, c) for m, c in roll["affiliations"]),
        )
        statutes = {
            slug: Statute(member_counting=counting)
            for slug, counting in roll["member_counting"].items()
        }
        weights = weigh(federation, Roll.from_pairs(roll["pairs"], taken_at), statutes)
        if dict(weights.weights) != row["weights"] or weights.members != row["members"]:
            changed = sorted(
                b
                for b in set(row["weights"]) | set(weights.weights)
                if row["weights"].get(b) != weights.weights.get(b)
            )
            raise VerifyError(
                at,
                f"weight snapshot {row['snapshot']} gives {row['body']!r}'s subtree weights "
                f"its roll does not (bodies {changed}, members {row['members']} against "
                f"{weights.members})",
            )
        seated_at = _data(opened[0]).get("delegations") or {} if opened else {}
        for body, seated in seated_at.items():
            if seated["weight"] != row["weights"].get(body):
                raise VerifyError(at, f"delegation {body!r} is seated with another weight")
        snapshots += 1
    return [f"{snapshots} weight snapshots recomputed from their roll snapshots"]


def verify_export(directory: Path) -> Report:
    """Check an exported record; return what was checked and the first problem, if any."""
    checked: list[str] = []
    try:
        record, lines = check_tree(directory)
        checked += lines
        checked += check_votes(directory, record)
        checked += check_weights(directory, record)
    except VerifyError as problem:
        return Report(tuple(checked), problem)
    except (KeyError, TypeError, ValueError, DomainError, RecordError) as error:
        return Report(tuple(checked), VerifyError(None, f"the export is malformed: {error!r}"))
    return Report(tuple(checked), None)
