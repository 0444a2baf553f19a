"""Many entries in one act, and one checkpoint after a run of acts."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from django.test.utils import override_settings

from frombelow.core.record.entry import entry_from_bytes
from frombelow.core.record.merkle import root_hash
from frombelow.db.models import Checkpoint, RecordEntry, RecordHead
from frombelow.services import record
from frombelow.services.record import (
    NewEntry,
    append_entries,
    append_entry,
    one_checkpoint,
)
from frombelow.services.record_head import merkle_log

pytestmark = pytest.mark.django_db

Capture = Callable[..., AbstractContextManager[Any]]


@pytest.fixture(autouse=True)
def key_file(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "signer.key"
    with override_settings(RECORD_SIGNER_KEY_FILE=path, RECORD_ORIGIN="test.frombelow/record"):
        yield path


def _act(n: int) -> None:
    with transaction.atomic():
        append_entry(actor="system", action="test.done", subject=f"n{n}", data={"n": n})


def test_entries_appended_together_are_numbered_and_hashed_as_if_one_by_one() -> None:
    _act(0)
    with transaction.atomic():
        rows = append_entries(
            [NewEntry("system", "test.done", f"n{n}", {"n": n}) for n in range(1, 5)]
        )
    assert [r.seq for r in rows] == [1, 2, 3, 4]
    _act(5)
    stored = list(RecordEntry.objects.order_by("seq"))
    assert [e.seq for e in stored] == list(range(6))
    assert [entry_from_bytes(bytes(e.canonical)).data["n"] for e in stored] == list(range(6))
    head = RecordHead.objects.get()
    assert head.size == 6
    assert merkle_log(head).root() == root_hash([bytes(e.leaf_hash) for e in stored])


def test_no_entries_write_nothing() -> None:
    assert append_entries([]) == []
    assert RecordHead.objects.get().size == 0


def test_a_run_of_acts_gets_one_checkpoint_at_its_end(
    django_capture_on_commit_callbacks: Capture,
) -> None:
    with django_capture_on_commit_callbacks(execute=True), one_checkpoint():
        with django_capture_on_commit_callbacks() as asked:
            for n in range(3):
                _act(n)
            with one_checkpoint():  # an inner run leaves the signing to the outer one
                _act(3)
        assert asked == []  # no act asked for a checkpoint of its own
    (checkpoint,) = Checkpoint.objects.all()
    assert checkpoint.size == 4


def _act_rolled_back(n: int) -> None:
    with transaction.atomic():
        _act(n)
        raise RuntimeError(f"act {n} is rolled back")


def test_a_transaction_signs_once_however_many_of_its_acts_append_or_roll_back(
    django_capture_on_commit_callbacks: Capture, monkeypatch: pytest.MonkeyPatch
) -> None:
    signed: list[int] = []
    monkeypatch.setattr(
        record, "sign_after_write", lambda: signed.append(RecordHead.objects.get().size)
    )
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        _act(0)
        _act(1)
        with pytest.raises(RuntimeError):
            _act_rolled_back(2)
        _act(3)
    assert signed == [3]
    # A transaction rolled back whole signs nothing; the next one signs.
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        _act_rolled_back(4)
    assert signed == [3]
    with django_capture_on_commit_callbacks(execute=True):
        _act(5)
    assert signed == [3, 4]


def test_a_run_that_fails_half_way_still_checkpoints_what_it_did(
    django_capture_on_commit_callbacks: Capture,
) -> None:
    def run() -> None:
        with one_checkpoint():
            _act(0)
            raise RuntimeError("the run stopped")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        run()
    assert list(Checkpoint.objects.values_list("size", flat=True)) == [1]
