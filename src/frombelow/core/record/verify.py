"""Verify an exported record with nothing but the core: the tree, its checkpoints, every count.

Sources: RFC 9162 section 2.1 (the tree over the entries' canonical bytes, see merkle.py), C2SP
tlog-checkpoint and signed-note (checkpoints, see checkpoint.py), and MODEL.md section 8 ("anyone
can recount"): every count follows from its ballots, recounted with the counting engine
(`verify_votes.py`); every roll from the record's admissions and leavings and every weight from
its roll (`verify_roll.py`); every delegation vote from its mandate or its delegates' casts. The
export's layout is in docs/record.md, "Export".

What an export holds besides the record (ballots, tallies, weights, mandates) is read from the
database and could have been altered there; so each of these is checked against the entries the
record holds about it (the entries are fixed by the tree and the signed checkpoints), and each
problem names the entry that records what was altered.
"""

from __future__ import annotations

from pathlib import Path

from frombelow.core.errors import DomainError
from frombelow.core.record.checkpoint import Checkpoint, load_verifier, open_checkpoint, read_chain
from frombelow.core.record.entry import Entry, entry_from_bytes
from frombelow.core.record.error import RecordError
from frombelow.core.record.merkle import MerkleLog, leaf_hash
from frombelow.core.record.verify_common import (
    CHECKPOINTS,
    ENTRIES,
    VERIFIER,
    VOTES,
    WEIGHTS,
    Record,
    Report,
    VerifyError,
    ballot_list_hash,
    json_lines,
    lines_of,
)
from frombelow.core.record.verify_roll import check_weights
from frombelow.core.record.verify_votes import check_votes

__all__ = [
    "CHECKPOINTS",
    "ENTRIES",
    "VERIFIER",
    "VOTES",
    "WEIGHTS",
    "Report",
    "VerifyError",
    "ballot_list_hash",
    "check_tree",
    "verify_export",
]


def _check_chain(checkpoints: list[Checkpoint]) -> None:
    """Check that no checkpoint is missing from the series: each names the one before it.

    Checkpoints signed before the chain line existed carry none; they may only come first.
    """
    chained = False
    for position, checkpoint in enumerate(checkpoints):
        chain = read_chain(checkpoint)
        if chain is None:
            if chained:
                raise VerifyError(
                    checkpoint.size - 1 if checkpoint.size else None,
                    f"the checkpoint of size {checkpoint.size} has no chain line, after ones "
                    "that have",
                )
            continue
        chained = True
        number, previous = chain
        before = checkpoints[position - 1].size if position else None
        if previous != before:
            missing = "none" if previous is None else f"that of size {previous}"
            raise VerifyError(
                previous - 1 if previous else None,
                f"a checkpoint is missing: the checkpoint of size {checkpoint.size} is number "
                f"{number} after {missing}, but the export holds {position} checkpoints before "
                f"it, the last of size {before}",
            )
        if number != position:
            # The one before is there: what is missing lies among unchained checkpoints, whose
            # sizes no chain line names.
            raise VerifyError(
                None,
                f"a checkpoint is missing: the checkpoint of size {checkpoint.size} is number "
                f"{number}, but the export holds {position} checkpoints before it",
            )


def _open_checkpoints(directory: Path) -> dict[int, bytes]:
    """Open every exported checkpoint with the log's key; return each size's root."""
    verifier = load_verifier((directory / VERIFIER).read_text(encoding="utf-8"))
    opened: list[Checkpoint] = []
    for row in sorted(json_lines(directory / CHECKPOINTS), key=lambda c: int(c["size"])):
        try:
            checkpoint = open_checkpoint(str(row["note"]), verifier, origin=verifier.name)
        except RecordError as error:
            raise VerifyError(None, f"checkpoint of size {row.get('size')}: {error}") from None
        if checkpoint.size != row["size"]:
            raise VerifyError(
                None, f"checkpoint filed at size {row['size']} is of {checkpoint.size}"
            )
        opened.append(checkpoint)
    _check_chain(opened)
    return {c.size: c.root for c in opened}


def check_tree(directory: Path) -> tuple[Record, list[str]]:
    """Check the entries, the tree over them and every checkpoint; return the entries."""
    wanted = _open_checkpoints(directory)
    log = MerkleLog()
    entries: list[Entry] = []
    good = 0  # the size of the last checkpoint that matched
    if 0 in wanted and wanted[0] != log.root():
        raise VerifyError(None, "the checkpoint of the empty record has another root")
    for number, line in lines_of(directory / ENTRIES):
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
    key = (directory / VERIFIER).read_text(encoding="utf-8").strip()
    checked = [
        f"{len(entries)} entries read in canonical form, numbered 0 to {len(entries) - 1}",
        f"{len(wanted)} checkpoints signed by {key}, none missing from their numbered chain",
        "the tree over the entries has the root of every checkpoint, so each extends the last",
    ]
    if good != log.size:
        checked.append(f"entries {good} to {log.size - 1} are under no checkpoint yet")
    return Record(entries), checked


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
