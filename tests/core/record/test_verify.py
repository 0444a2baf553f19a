"""The verifier of an export, on records written by the core alone."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from frombelow.core.record.checkpoint import Checkpoint, generate_signer, load_signer
from frombelow.core.record.checkpoint import sign_checkpoint as sign
from frombelow.core.record.entry import Entry, canonical_bytes
from frombelow.core.record.merkle import MerkleLog, leaf_hash
from frombelow.core.record.verify import (
    CHECKPOINTS,
    ENTRIES,
    VERIFIER,
    ballot_list_hash,
    verify_export,
)

ORIGIN = "test.frombelow/record"
SIGNER_TEXT, VERIFIER_TEXT = generate_signer(ORIGIN)


def _write(folder: Path, n: int, every: int = 1, signer_text: str = SIGNER_TEXT) -> list[bytes]:
    """Write an export of n entries with a checkpoint every `every` entries and at the end."""
    folder.mkdir(parents=True, exist_ok=True)
    signer = load_signer(signer_text)
    log = MerkleLog()
    lines, notes = [], []
    for i in range(n):
        entry = Entry(i, "2026-11-25T10:00:00Z", "system", "test.done", None, f"n{i}", {"n": i})
        line = canonical_bytes(entry)
        lines.append(line)
        log.append(leaf_hash(line))
        if log.size % every == 0 or log.size == n:
            note = sign(Checkpoint(ORIGIN, log.size, log.root()), signer)
            notes.append(json.dumps({"size": log.size, "note": note}))
    (folder / ENTRIES).write_bytes(b"".join(line + b"\n" for line in lines))
    (folder / CHECKPOINTS).write_text("".join(n + "\n" for n in notes))
    (folder / VERIFIER).write_text(VERIFIER_TEXT + "\n")
    return lines


def test_an_untouched_record_verifies(tmp_path: Path) -> None:
    _write(tmp_path, 9)
    report = verify_export(tmp_path)
    assert report.ok, report.problem
    assert report.checked[0] == "9 entries read in canonical form, numbered 0 to 8"


@settings(max_examples=100, deadline=None)
@given(n=st.integers(1, 12), data=st.data())
def test_any_changed_byte_of_any_entry_is_found_and_named(
    tmp_path_factory: pytest.TempPathFactory, n: int, data: st.DataObject
) -> None:
    folder = tmp_path_factory.mktemp("export")
    lines = _write(folder, n)
    index = data.draw(st.integers(0, n - 1))
    position = data.draw(st.integers(0, len(lines[index]) - 1))
    byte = data.draw(st.integers(0x20, 0x7E).filter(lambda b: b != lines[index][position]))
    lines[index] = lines[index][:position] + bytes([byte]) + lines[index][position + 1 :]
    (folder / ENTRIES).write_bytes(b"".join(line + b"\n" for line in lines))
    problem = verify_export(folder).problem
    assert problem is not None
    assert problem.entry == index


def test_a_missing_entry_is_named(tmp_path: Path) -> None:
    lines = _write(tmp_path, 6)
    del lines[3]
    (tmp_path / ENTRIES).write_bytes(b"".join(line + b"\n" for line in lines))
    problem = verify_export(tmp_path).problem
    assert problem is not None
    assert str(problem) == "entry 3: is numbered 4: an entry is missing or moved"


def test_a_cut_record_is_found_by_the_checkpoint_beyond_it(tmp_path: Path) -> None:
    lines = _write(tmp_path, 6)
    (tmp_path / ENTRIES).write_bytes(b"".join(line + b"\n" for line in lines[:4]))
    problem = verify_export(tmp_path).problem
    assert problem is not None
    assert problem.entry == 4
    assert "a signed checkpoint covers 6 entries" in str(problem)


def test_a_batch_changed_between_checkpoints_is_named_by_its_first_entry(tmp_path: Path) -> None:
    lines = _write(tmp_path, 9, every=3)
    lines[7] = lines[7].replace(b'"n7"', b'"n0"')
    (tmp_path / ENTRIES).write_bytes(b"".join(line + b"\n" for line in lines))
    problem = verify_export(tmp_path).problem
    assert problem is not None
    assert str(problem).startswith("entry 6: changed: the signed checkpoint of size 9")


def test_a_checkpoint_signed_by_another_key_is_refused(tmp_path: Path) -> None:
    other, _ = generate_signer(ORIGIN)
    _write(tmp_path, 3, signer_text=other)
    problem = verify_export(tmp_path).problem
    assert problem is not None
    assert "no signature by a known key" in str(problem)


def test_a_changed_signature_is_refused(tmp_path: Path) -> None:
    _write(tmp_path, 3)
    rows = [json.loads(r) for r in (tmp_path / CHECKPOINTS).read_text().splitlines()]
    note = rows[1]["note"]
    cut = note.rindex(" ") + 5
    rows[1]["note"] = note[:cut] + ("A" if note[cut] != "A" else "B") + note[cut + 1 :]
    (tmp_path / CHECKPOINTS).write_text("".join(json.dumps(r) + "\n" for r in rows))
    problem = verify_export(tmp_path).problem
    assert problem is not None
    assert "checkpoint of size 2" in str(problem)


def test_the_ballot_list_hash_ignores_order_and_sees_every_choice() -> None:
    one = [("aa", [["yes"]]), ("bb", [["no"]])]
    assert ballot_list_hash(one) == ballot_list_hash(list(reversed(one)))
    assert ballot_list_hash(one) != ballot_list_hash([("aa", [["no"]]), ("bb", [["no"]])])
    assert ballot_list_hash(one) != ballot_list_hash([("ab", [["yes"]]), ("bb", [["no"]])])
