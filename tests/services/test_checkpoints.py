"""Checkpoints: signed after each write batch with a key kept outside the database, published."""

from __future__ import annotations

import stat
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import pytest
from django.db import DatabaseError, transaction
from django.test import Client
from django.test.utils import override_settings
from django.utils import timezone

from frombelow.core.record.checkpoint import Checkpoint as CheckpointText
from frombelow.core.record.checkpoint import (
    load_verifier,
    open_checkpoint,
    read_chain,
)
from frombelow.core.record.checkpoint import sign_checkpoint as sign_note
from frombelow.core.record.merkle import root_hash
from frombelow.db.models import Body, Checkpoint, RecordEntry, RecordHead
from frombelow.services import checkpoints
from frombelow.services.record import append_entry
from frombelow.services.record_head import merkle_log

pytestmark = pytest.mark.django_db

ORIGIN = "test.frombelow/record"

Capture = Callable[..., AbstractContextManager[Any]]


@pytest.fixture(autouse=True)
def key_file(tmp_path: Path) -> Iterator[Path]:
    """Keep each test's signing key in its own folder."""
    path = tmp_path / "keys" / "signer.key"
    path.parent.mkdir()
    with override_settings(RECORD_SIGNER_KEY_FILE=path, RECORD_ORIGIN=ORIGIN):
        yield path


def _act(n: int, body: Body | None = None) -> None:
    with transaction.atomic():
        append_entry(actor="system", action="test.done", subject=f"n{n}", data={"n": n}, body=body)


def _leaves() -> list[bytes]:
    return [bytes(h) for h in RecordEntry.objects.values_list("leaf_hash", flat=True)]


def test_the_head_keeps_the_frontier_so_its_root_is_the_root_of_all_leaves() -> None:
    for n in range(13):
        _act(n)
        head = RecordHead.objects.get()
        assert merkle_log(head).root() == root_hash(_leaves())


def test_a_checkpoint_is_signed_when_a_write_batch_commits(
    django_capture_on_commit_callbacks: Capture,
) -> None:
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        for n in range(3):
            append_entry(actor="system", action="test.done", subject="", data={"n": n})
    (checkpoint,) = Checkpoint.objects.all()
    verifier = checkpoints.verifier()
    opened = open_checkpoint(checkpoint.note, verifier, origin=ORIGIN)
    assert (opened.size, opened.root) == (3, root_hash(_leaves()))
    assert bytes(checkpoint.root) == opened.root


@transaction.atomic
def _append_then_rewrite_the_record() -> None:
    append_entry(actor="system", action="test.done", subject="", data={})
    RecordEntry.objects.update(subject="rewritten")


def test_a_rolled_back_batch_signs_nothing_and_the_next_one_still_does(
    django_capture_on_commit_callbacks: Capture,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(DatabaseError, match="append-only"):
            _append_then_rewrite_the_record()
        _act(0)
    assert list(Checkpoint.objects.values_list("size", flat=True)) == [1]


def test_signing_twice_at_one_size_gives_the_same_checkpoint() -> None:
    _act(0)
    first = checkpoints.sign_checkpoint()
    assert checkpoints.sign_checkpoint().pk == first.pk
    _act(1)
    assert checkpoints.latest_checkpoint().size == 2


def test_the_key_is_made_once_readable_only_by_its_owner(key_file: Path) -> None:
    assert not key_file.exists()
    first = checkpoints.verifier()
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert key_file.read_text().startswith(f"PRIVATE+KEY+{ORIGIN}+")
    assert checkpoints.verifier() == first
    assert load_verifier(first.text()) == first


def test_a_key_file_others_can_read_is_refused(key_file: Path) -> None:
    checkpoints.verifier()
    key_file.chmod(0o644)
    with pytest.raises(checkpoints.SigningKeyError, match="readable by others"):
        checkpoints.signer()


def test_a_key_of_another_log_is_refused(key_file: Path) -> None:
    checkpoints.verifier()
    with (
        override_settings(RECORD_ORIGIN="other.example/record"),
        pytest.raises(checkpoints.SigningKeyError, match=r"not of 'other\.example/record'"),
    ):
        checkpoints.signer()


def test_checkpoints_cannot_be_rewritten() -> None:
    _act(0)
    checkpoint = checkpoints.sign_checkpoint()
    checkpoint.note = "forged"
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        checkpoint.save()


def test_the_latest_checkpoint_is_published_as_plain_text() -> None:
    body = Body.objects.create(
        kind=Body.Kind.ASSEMBLY, name="Dock workers", slug="dock", founded_at=timezone.now()
    )
    _act(0, body)
    response = Client().get("/record/checkpoint")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    opened = open_checkpoint(response.content, checkpoints.verifier(), origin=ORIGIN)
    assert opened.size == 1


def _chain_of(checkpoint: Checkpoint) -> tuple[int, int | None] | None:
    return read_chain(open_checkpoint(checkpoint.note, checkpoints.verifier(), origin=ORIGIN))


def test_each_checkpoint_is_numbered_one_after_the_last_and_names_its_size() -> None:
    for n in range(4):
        _act(n)
        checkpoints.sign_checkpoint()
    chains = [_chain_of(c) for c in Checkpoint.objects.order_by("size")]
    assert chains == [(0, None), (1, 1), (2, 2), (3, 3)]


def test_after_a_checkpoint_without_a_chain_line_the_number_counts_them_all() -> None:
    # Checkpoints signed before the chain line existed name no number to follow.
    for n in range(2):
        _act(n)
        head = RecordHead.objects.get()
        root = merkle_log(head).root()
        note = sign_note(CheckpointText(ORIGIN, head.size, root), checkpoints.signer())
        Checkpoint.objects.create(size=head.size, root=root, note=note, signed_at=timezone.now())
    _act(2)
    assert _chain_of(checkpoints.sign_checkpoint()) == (2, 2)


@pytest.fixture
def paced(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[float, Callable[[], None]]]]:
    """Sign at most once a minute, with the deferred signings kept here instead of on a timer."""
    deferred: list[tuple[float, Callable[[], None]]] = []
    monkeypatch.setattr(checkpoints, "_pace", checkpoints._Pace())
    monkeypatch.setattr(checkpoints, "_later", lambda wait, sign: deferred.append((wait, sign)))
    with override_settings(RECORD_CHECKPOINT_EVERY_S=60):
        yield deferred


def test_writes_within_the_interval_share_one_signing_at_its_end(
    paced: list[tuple[float, Callable[[], None]]],
) -> None:
    for n in range(4):
        _act(n)
        checkpoints.sign_after_write()
    # The first write signed; the three after it left one signing to the interval's end.
    assert list(Checkpoint.objects.values_list("size", flat=True)) == [1]
    ((wait, sign),) = paced
    assert 0 < wait <= 60
    sign()
    assert list(Checkpoint.objects.values_list("size", flat=True)) == [1, 4]
    # That signing started a new interval: the next write defers again.
    _act(4)
    checkpoints.sign_after_write()
    assert len(paced) == 2
    assert Checkpoint.objects.count() == 2


def test_a_receipt_for_an_entry_not_yet_signed_signs_it(
    paced: list[tuple[float, Callable[[], None]]],
) -> None:
    for n in range(3):
        _act(n)
        checkpoints.sign_after_write()
    made = checkpoints.receipt(2)
    assert Checkpoint.objects.latest("size").size == 3
    assert made["checkpoint"] == Checkpoint.objects.get(size=3).note
