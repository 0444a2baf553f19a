"""What a member and a witness check: a receipt for one entry, and that the record only grew.

Source: RFC 9162 section 8.1.1 (a client checks an entry's inclusion against a signed tree head)
and 8.2 (a monitor or witness checks each new tree head's consistency with the last one it saw),
with the tree head as a C2SP tlog-checkpoint (see checkpoint.py) and the leaf as an entry's
canonical bytes (see entry.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from frombelow.core.record.checkpoint import Checkpoint, Verifier, open_checkpoint
from frombelow.core.record.entry import Entry, canonical_bytes
from frombelow.core.record.merkle import leaf_hash, verify_consistency, verify_inclusion


@dataclass(frozen=True)
class Receipt:
    """The proof a member keeps that an entry is in the record: entry, path and signed head."""

    entry: Entry
    inclusion_proof: tuple[bytes, ...]  # from the entry's leaf up to the checkpoint's root
    checkpoint: str  # the signed checkpoint note the proof leads to


def verify_receipt(receipt: Receipt, verifier: Verifier, *, origin: str) -> Checkpoint:
    """Check that the receipt's entry is in the log `origin` signed by `verifier`."""
    checkpoint = open_checkpoint(receipt.checkpoint, verifier, origin=origin)
    # The entry's sequence number is its leaf index, so a receipt cannot move an entry.
    verify_inclusion(
        leaf_hash(canonical_bytes(receipt.entry)),
        receipt.entry.sequence,
        checkpoint.size,
        receipt.inclusion_proof,
        checkpoint.root,
    )
    return checkpoint


def verify_checkpoint_consistency(
    old_note: str,
    new_note: str,
    proof: Sequence[bytes],
    verifier: Verifier,
    *,
    origin: str,
) -> Checkpoint:
    """Check that the newer signed checkpoint extends the older one; return the newer."""
    old = open_checkpoint(old_note, verifier, origin=origin)
    new = open_checkpoint(new_note, verifier, origin=origin)
    verify_consistency(old.size, new.size, old.root, new.root, proof)
    return new
