"""The verifier notices a checkpoint deleted from the numbered, chained series."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from frombelow.core.record.checkpoint import (
    Checkpoint,
    chain_extension,
    load_signer,
    open_checkpoint,
    read_chain,
    sign_checkpoint,
)
from frombelow.core.record.error import RecordError
from frombelow.core.record.merkle import leaf_hash
from frombelow.core.record.verify import CHECKPOINTS, verify_export
from tests.core.record.export_world import ORIGIN, SIGNER_TEXT, Export


def _export(n: int, chained: bool = True) -> Export:
    export = Export(chained=chained)
    for i in range(n):
        export.add("test.done", {"n": i}, subject=f"n{i}")
    return export


def _without(folder: Path, size: int) -> None:
    rows = [json.loads(r) for r in (folder / CHECKPOINTS).read_text().splitlines()]
    kept = [r for r in rows if r["size"] != size]
    assert len(kept) == len(rows) - 1
    (folder / CHECKPOINTS).write_text("".join(json.dumps(r) + "\n" for r in kept))


def test_the_chain_line_reads_back_and_is_signed_with_the_note() -> None:
    line = chain_extension(3, 7)
    assert line == "frombelow-chain 3 7"
    note = sign_checkpoint(
        Checkpoint(ORIGIN, 9, leaf_hash(b"x"), (line,)), load_signer(SIGNER_TEXT)
    )
    assert "\nfrombelow-chain 3 7\n\n" in note
    opened = open_checkpoint(note, load_signer(SIGNER_TEXT).verifier, origin=ORIGIN)
    assert read_chain(opened) == (3, 7)
    assert read_chain(Checkpoint(ORIGIN, 0, leaf_hash(b"x"), (chain_extension(0, None),))) == (
        0,
        None,
    )
    assert read_chain(Checkpoint(ORIGIN, 9, leaf_hash(b"x"))) is None
    with pytest.raises(RecordError, match="malformed chain line"):
        read_chain(Checkpoint(ORIGIN, 9, leaf_hash(b"x"), ("frombelow-chain 3 x",)))


def test_a_chained_series_verifies(tmp_path: Path) -> None:
    report = verify_export(_export(6).write(tmp_path))
    assert report.ok, report.problem
    assert "6 checkpoints signed by" in report.checked[1]
    assert "none missing from their numbered chain" in report.checked[1]


@pytest.mark.parametrize("size", [2, 3, 5])
def test_a_checkpoint_deleted_from_the_middle_is_named_by_its_last_entry(
    tmp_path: Path, size: int
) -> None:
    folder = _export(6).write(tmp_path)
    _without(folder, size)
    problem = verify_export(folder).problem
    assert problem is not None
    assert problem.entry == size - 1
    assert "a checkpoint is missing" in str(problem)
    assert f"after that of size {size}" in str(problem)


def test_the_first_checkpoint_deleted_is_noticed(tmp_path: Path) -> None:
    folder = _export(4).write(tmp_path)
    _without(folder, 1)
    problem = verify_export(folder).problem
    assert problem is not None
    assert problem.entry == 0
    assert "the export holds 0 checkpoints before it" in str(problem)


def test_checkpoints_signed_before_the_chain_may_only_come_first(tmp_path: Path) -> None:
    export = _export(3, chained=False)
    export.chained = True
    for i in range(3, 6):
        export.add("test.done", {"n": i}, subject=f"n{i}")
    report = verify_export(export.write(tmp_path / "legacy-first"))
    assert report.ok, report.problem
    # An unchained checkpoint deleted: the first chained one's number shows it, not its size.
    _without(tmp_path / "legacy-first", 2)
    problem = verify_export(tmp_path / "legacy-first").problem
    assert problem is not None
    assert problem.entry is None
    assert "checkpoint of size 4 is number 3, but the export holds 2" in str(problem)

    late = _export(3)
    late.chained = False
    late.add("test.done", {"n": 3}, subject="n3")
    problem = verify_export(late.write(tmp_path / "legacy-after")).problem
    assert problem is not None
    assert "has no chain line, after ones that have" in str(problem)
