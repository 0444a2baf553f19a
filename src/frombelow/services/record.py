"""Appending to the record: every service calls this inside its own transaction."""

from __future__ import annotations

import json
from collections.abc import Mapping

from django.db import transaction
from django.utils import timezone

from frombelow.core.record.entry import Entry, JsonValue, canonical_bytes, format_timestamp
from frombelow.core.record.merkle import leaf_hash
from frombelow.db.models import Body, Member, RecordEntry, RecordHead

# Who acted: a member, or a named technical actor ("system", "operator:<username>").
Actor = Member | str


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
        leaf_hash=leaf_hash(canonical),
    )
    head.size += 1
    head.save(update_fields=["size"])
    return row
