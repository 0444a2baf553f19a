"""Signed checkpoints of the record, and the key that signs them, kept outside the database.

The key is made on first use in `settings.RECORD_SIGNER_KEY_FILE` (mode 0600) and never enters
the database, so that a copy of the database alone cannot forge a checkpoint. Checkpoints are
C2SP signed notes over the record's size and root (docs/record.md), signed after each write batch
(see `record.append_entry`) or when asked (`frombelow record checkpoint`).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from django.conf import settings
from django.db import transaction

from frombelow.core.record.checkpoint import (
    Checkpoint as CheckpointText,
)
from frombelow.core.record.checkpoint import (
    Signer,
    Verifier,
    generate_signer,
    load_signer,
)
from frombelow.core.record.checkpoint import (
    sign_checkpoint as sign_note,
)
from frombelow.db.models import Checkpoint, RecordHead
from frombelow.services import clock
from frombelow.services.record import merkle_log


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
    existing = Checkpoint.objects.filter(size=head.size).first()
    if existing is not None:
        return existing
    root = merkle_log(head).root()
    note = sign_note(CheckpointText(origin(), head.size, root), signer())
    return Checkpoint.objects.create(size=head.size, root=root, note=note, signed_at=clock.now())


def latest_checkpoint() -> Checkpoint:
    """Return the checkpoint of the record's present size, signing it if it is missing."""
    head = RecordHead.objects.get(pk=1)
    checkpoint = Checkpoint.objects.filter(size=head.size).first()
    return checkpoint if checkpoint is not None else sign_checkpoint()
