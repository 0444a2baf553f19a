"""Appending to the record: every service calls this inside its own transaction."""

from __future__ import annotations

import json
from collections.abc import Mapping

from django.db import transaction
from django.utils import timezone

from frombelow.core.record.entry import Entry, JsonValue, canonical_bytes, format_timestamp
from frombelow.core.record.merkle import HASH_SIZE, MerkleLog, leaf_hash
from frombelow.db.models import Body, Member, RecordEntry, RecordHead

# Who acted: a member, or a named technical actor ("system", "operator:<username>").
Actor = Member | str


def merkle_log(head: RecordHead) -> MerkleLog:
    """Restore the record's Merkle log from its head row's size and frontier."""
    frontier = bytes(head.frontier)
    return MerkleLog(
        head.size, [frontier[i : i + HASH_SIZE] for i in range(0, len(frontier), HASH_SIZE)]
    )


class OutsideTransactionError(RuntimeError):
    """A record entry was about to be written outside the transaction of the act it records."""


def actor_label(actor: Actor) -> str:
    """Return the stable text by which the record names an actor."""
    return f"member:{actor.pk}" if isinstance(actor, Member) else actor


def append_entry(
    *,
    actor: Actor,
    action: str,
    subject: str,
    data: Mapping[str, JsonValue],
    body: Body | None = None,
) -> RecordEntry:
    """Append one entry to the record, in the caller's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise OutsideTransactionError(
            f"{action}: the record entry must be written in the act's transaction"
        )
    # Locking the head row serialises writers, so sequence numbers are dense and never clash.
    head = RecordHead.objects.select_for_update().get(pk=1)
    now = timezone.now()
    entry = Entry(
        sequence=head.size,
        timestamp=format_timestamp(now),
        actor=actor_label(actor),
        action=action,
        body=body.slug if body is not None else None,
        subject=subject,
        data=data,
    )
    canonical = canonical_bytes(entry)
    leaf = leaf_hash(canonical)
    log = merkle_log(head)
    log.append(leaf)
    row = RecordEntry.objects.create(
        seq=entry.sequence,
        recorded_at=now,
        actor=entry.actor,
        action=action,
        body=body,
        subject=subject,
        # Store what was hashed, so the row's JSON and its canonical bytes cannot differ.
        data=json.loads(canonical)["data"],
        canonical=canonical,
        leaf_hash=leaf,
    )
    head.size = log.size
    head.frontier = b"".join(log.frontier)
    head.save(update_fields=["size", "frontier"])
    _checkpoint_on_commit()
    return row


def _sign_after_commit() -> None:
    """Sign a checkpoint of the record as it now stands."""
    from frombelow.services.checkpoints import sign_checkpoint  # checkpoints read the head here

    sign_checkpoint()


def _checkpoint_on_commit() -> None:
    """Sign a checkpoint once the act's transaction commits: one per write batch."""
    # One callback per outermost transaction, however many entries it appends; a rolled-back
    # transaction drops its callbacks with it.
    pending = transaction.get_connection().run_on_commit
    if any(callback is _sign_after_commit for _, callback, _ in pending):
        return
    # robust: the act has committed; a failure to sign is logged, and the next write signs.
    transaction.on_commit(_sign_after_commit, robust=True)
