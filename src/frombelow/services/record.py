"""Appending to the record: every service calls this inside its own transaction.

Appending schedules the checkpoint that covers the new entries (`checkpoints.sign_after_write`,
once the act's transaction commits); the checkpoints read the record's head through
`record_head`, below both.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from weakref import WeakKeyDictionary

from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone

from frombelow.core.record.entry import Entry, JsonValue, canonical_bytes, format_timestamp
from frombelow.core.record.merkle import leaf_hash
from frombelow.db.models import Body, Member, RecordEntry, RecordHead
from frombelow.services.checkpoints import sign_after_write
from frombelow.services.record_head import merkle_log

# Who acted: a member, or a named technical actor ("system", "operator:<username>").
Actor = Member | str


class OutsideTransactionError(RuntimeError):
    """A record entry was about to be written outside the transaction of the act it records."""


def actor_label(actor: Actor) -> str:
    """Return the stable text by which the record names an actor."""
    return f"member:{actor.pk}" if isinstance(actor, Member) else actor


@dataclass(frozen=True)
class NewEntry:
    """One entry to append: who did what, in which body, to what."""

    actor: Actor
    action: str
    subject: str
    data: Mapping[str, JsonValue]
    body: Body | None = None


def append_entry(
    *,
    actor: Actor,
    action: str,
    subject: str,
    data: Mapping[str, JsonValue],
    body: Body | None = None,
) -> RecordEntry:
    """Append one entry to the record, in the caller's transaction."""
    (row,) = append_entries([NewEntry(actor, action, subject, data, body)])
    return row


def append_entries(entries: Sequence[NewEntry]) -> list[RecordEntry]:
    """Append entries to the record in their order, in the caller's transaction.

    An act that does many things at once (admitting a roll) writes one entry for each, numbered
    one after another, with one lock of the head and one insert for them all.
    """
    if not entries:
        return []
    if not transaction.get_connection().in_atomic_block:
        raise OutsideTransactionError(
            f"{entries[0].action}: the record entry must be written in the act's transaction"
        )
    # Locking the head row serialises writers, so sequence numbers are dense and never clash.
    head = RecordHead.objects.select_for_update().get(pk=1)
    log = merkle_log(head)
    rows = []
    for new in entries:
        now = timezone.now()
        entry = Entry(
            sequence=log.size,
            timestamp=format_timestamp(now),
            actor=actor_label(new.actor),
            action=new.action,
            body=new.body.slug if new.body is not None else None,
            subject=new.subject,
            data=new.data,
        )
        canonical = canonical_bytes(entry)
        leaf = leaf_hash(canonical)
        log.append(leaf)
        rows.append(
            RecordEntry(
                seq=entry.sequence,
                recorded_at=now,
                actor=entry.actor,
                action=new.action,
                body=new.body,
                subject=new.subject,
                # Store what was hashed, so the row's JSON and its canonical bytes cannot differ.
                data=json.loads(canonical)["data"],
                canonical=canonical,
                leaf_hash=leaf,
            )
        )
    made = RecordEntry.objects.bulk_create(rows)
    head.size = log.size
    head.frontier = b"".join(log.frontier)
    head.save(update_fields=["size", "frontier"])
    _checkpoint_on_commit()
    return made


# Set while a run of acts shares one checkpoint (`one_checkpoint`).
_one_checkpoint: ContextVar[bool] = ContextVar("one_checkpoint", default=False)


@contextmanager
def one_checkpoint() -> Iterator[None]:
    """Sign one checkpoint at the end of a run of acts, instead of one after each of them.

    For a run that is one write batch to its reader (the demo's seeding: thousands of acts that
    no one sees one by one): every act still appends its entries in its own transaction; the
    checkpoint after the last of them covers them all, as each per-act one would have.
    """
    if _one_checkpoint.get():  # already inside one: the outer run signs
        yield
        return
    token = _one_checkpoint.set(True)
    try:
        yield
    finally:
        _one_checkpoint.reset(token)
        # Sign whatever committed, even if the run stopped half-way: those acts are in the record.
        if transaction.get_connection().in_atomic_block:
            _checkpoint_on_commit()
        else:
            sign_after_write()


class _Signing:
    """The one checkpoint that a connection's transaction signs once it commits.

    Every act of the transaction that appends entries registers it with `on_commit`, and Django
    keeps or drops each registration with the savepoint that made it: an act rolled back takes
    its registration along, those of the acts that stay still sign. After the commit the first
    registration to run signs, and the others find it done.
    """

    def __init__(self) -> None:
        self.done = False

    def __call__(self) -> None:
        if self.done:
            return
        self.done = True
        sign_after_write()


# Per connection (each thread has its own): the signing its present transaction registered,
# until it has run. One left undone by a rolled-back transaction serves the next one.
_signings: WeakKeyDictionary[BaseDatabaseWrapper, _Signing] = WeakKeyDictionary()


def _checkpoint_on_commit() -> None:
    """Sign a checkpoint once the act's transaction commits: one per write batch."""
    if _one_checkpoint.get():
        return  # the run's one checkpoint, at its end, covers this act
    connection = transaction.get_connection()
    signing = _signings.get(connection)
    if signing is None or signing.done:
        signing = _signings[connection] = _Signing()
    # robust: the act has committed; a failure to sign is logged, and the next write signs.
    transaction.on_commit(signing, robust=True)
