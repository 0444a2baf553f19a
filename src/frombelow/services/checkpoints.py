"""Signed checkpoints of the record, and the key that signs them, kept outside the database.

The key is made on first use in `settings.RECORD_SIGNER_KEY_FILE` (mode 0600) and never enters
the database, so that a copy of the database alone cannot forge a checkpoint. Checkpoints are
C2SP signed notes over the record's size and root (docs/record.md), signed after each write batch
(see `record.append_entry`) or when asked (`frombelow record checkpoint`).
"""

from __future__ import annotations

import logging
import math
import os
import stat
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections, transaction

from frombelow.core.record.checkpoint import (
    Checkpoint as CheckpointText,
)
from frombelow.core.record.checkpoint import (
    Signer,
    Verifier,
    chain_extension,
    generate_signer,
    load_signer,
    parse_checkpoint,
    read_chain,
)
from frombelow.core.record.checkpoint import (
    sign_checkpoint as sign_note,
)
from frombelow.core.record.entry import entry_from_bytes
from frombelow.core.record.merkle import consistency_proof, inclusion_proof
from frombelow.core.record.proofs import Receipt
from frombelow.core.record.wire import encode_proof, receipt_json
from frombelow.db.models import Checkpoint, RecordEntry, RecordHead
from frombelow.services import clock
from frombelow.services.record_head import merkle_log

logger = logging.getLogger(__name__)


class SigningKeyError(RuntimeError):
    """The record's signing key file cannot be used safely."""


def origin() -> str:
    """Return the record's origin: its name in every checkpoint and in its key."""
    return str(settings.RECORD_ORIGIN)


def _key_file() -> Path:
    return Path(settings.RECORD_SIGNER_KEY_FILE)


def signer() -> Signer:
    """Return the record's signing key, making it on first use."""
    path = _key_file()
    try:
        # O_EXCL: of two processes starting at once, one makes the key and the other reads it.
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        signer_text, _ = generate_signer(origin())
        with os.fdopen(descriptor, "w", encoding="ascii") as out:
            out.write(signer_text + "\n")
    mode = path.stat().st_mode
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise SigningKeyError(
            f"{path} is readable by others (mode {stat.S_IMODE(mode):o}); make it 0600"
        )
    key = load_signer(path.read_text(encoding="ascii"))
    if key.name != origin():
        raise SigningKeyError(f"{path} is the key of {key.name!r}, not of {origin()!r}")
    return key


def verifier() -> Verifier:
    """Return the public key that checks the record's checkpoints."""
    return signer().verifier


@transaction.atomic
def sign_checkpoint() -> Checkpoint:
    """Sign a checkpoint of the record as it stands, unless one of that size exists."""
    # Locking the head holds writers back, so size and frontier are of one moment.
    head = RecordHead.objects.select_for_update().get(pk=1)
    # The record only grows, so the largest checkpoint is the latest: of this size, or older.
    last = Checkpoint.objects.order_by("-size").first()
    if last is not None and last.size == head.size:
        return last
    root = merkle_log(head).root()
    # Number it and name the one before, so that a verifier sees a checkpoint row deleted.
    chain = chain_extension(_number_after(last), None if last is None else last.size)
    note = sign_note(CheckpointText(origin(), head.size, root, (chain,)), signer())
    return Checkpoint.objects.create(size=head.size, root=root, note=note, signed_at=clock.now())


def _number_after(last: Checkpoint | None) -> int:
    """Return the number of the checkpoint to be signed after `last`: one more than its own."""
    if last is None:
        return 0
    # Our own row, signed by us: its note text is read without checking the signature again.
    text = last.note.split("\n\n", 1)[0] + "\n"
    chained = read_chain(parse_checkpoint(text))
    # Counting every checkpoint would grow with the record; only one signed before the chain
    # line existed, which names no number, needs it.
    return chained[0] + 1 if chained is not None else Checkpoint.objects.count()


class _Pace:
    """When this process last signed after a write, and whether a later signing is due."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.signed_at = -math.inf  # time.monotonic()
        self.deferred = False


_pace = _Pace()


def _later(seconds: float, sign: Callable[[], None]) -> None:
    """Run `sign` in `seconds` on a thread of its own, which a stopping server does not wait for."""

    def run() -> None:
        try:
            sign()
        except Exception:
            # As after a commit: logged, and the next write or reader signs.
            logger.exception("signing a deferred checkpoint failed")
        finally:
            # The thread's own database connection: closed, or each signing would keep one open.
            connections.close_all()

    timer = threading.Timer(seconds, run)
    timer.daemon = True
    timer.start()


def sign_after_write() -> None:
    """Sign a checkpoint after a write batch commits, at most once per RECORD_CHECKPOINT_EVERY_S.

    Under a surge of casts a checkpoint per cast is a second transaction holding the record's
    head, a Merkle root and a signature each time; one a second covers them all the same. A write
    within the interval of the last signing leaves it to one signing at the interval's end (on a
    thread of this process), so the record is never unsigned for longer. Readers of a receipt or
    of the latest checkpoint get one of the present size at once (`latest_checkpoint`).
    """
    every = float(settings.RECORD_CHECKPOINT_EVERY_S)
    with _pace.lock:
        wait = _pace.signed_at + every - time.monotonic()
        if wait > 0:
            if not _pace.deferred:
                _pace.deferred = True
                _later(wait, _deferred_signing)
            return
        _pace.signed_at = time.monotonic()
    sign_checkpoint()


def _deferred_signing() -> None:
    with _pace.lock:
        _pace.deferred = False
        _pace.signed_at = time.monotonic()
    sign_checkpoint()


def latest_checkpoint() -> Checkpoint:
    """Return the checkpoint of the record's present size, signing it if it is missing."""
    head = RecordHead.objects.get(pk=1)
    checkpoint = Checkpoint.objects.filter(size=head.size).first()
    return checkpoint if checkpoint is not None else sign_checkpoint()


class ProofError(ValueError):
    """A proof was asked for sizes or an entry the record does not have."""


def _leaves(size: int) -> list[bytes]:
    """Return the leaf hashes of the first `size` entries."""
    rows = RecordEntry.objects.filter(seq__lt=size).order_by("seq")
    return [bytes(h) for h in rows.values_list("leaf_hash", flat=True)]


def consistency(old_size: int, new_size: int) -> dict[str, Any]:
    """Return the proof that the record of `old_size` entries is a prefix of `new_size`."""
    size = RecordHead.objects.get(pk=1).size
    if not 0 <= old_size <= new_size <= size:
        raise ProofError(f"sizes must be 0 <= from <= to <= {size}, not {old_size} and {new_size}")
    proof = consistency_proof(_leaves(new_size), old_size, new_size)
    return {"from": old_size, "to": new_size, "proof": encode_proof(proof)}


def receipt(sequence: int) -> dict[str, Any]:
    """Return the receipt of entry `sequence`: the entry, its inclusion proof, a checkpoint."""
    checkpoint = latest_checkpoint()
    if not 0 <= sequence < checkpoint.size:
        raise ProofError(f"entry {sequence} is not in the record of {checkpoint.size} entries")
    leaves = _leaves(checkpoint.size)
    canonical = bytes(RecordEntry.objects.get(seq=sequence).canonical)
    proof = inclusion_proof(leaves, sequence, checkpoint.size)
    made = Receipt(entry_from_bytes(canonical), proof, checkpoint.note)
    return receipt_json(made, canonical, verifier().text())
