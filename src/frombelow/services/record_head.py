"""The record's head row read as a Merkle log: what appending and signing checkpoints both need."""

from __future__ import annotations

from frombelow.core.record.merkle import HASH_SIZE, MerkleLog
from frombelow.db.models import RecordHead


def merkle_log(head: RecordHead) -> MerkleLog:
    """Restore the record's Merkle log from its head row's size and frontier."""
    frontier = bytes(head.frontier)
    return MerkleLog(
        head.size, [frontier[i : i + HASH_SIZE] for i in range(0, len(frontier), HASH_SIZE)]
    )
