"""The record: one row per act, only ever inserted (database triggers refuse the rest)."""

from __future__ import annotations

from django.db import models

from frombelow.db.models.bodies import Body


class RecordEntry(models.Model):
    """One entry of the append-only record, with the exact bytes its Merkle leaf hashes."""

    seq = models.PositiveBigIntegerField(unique=True)  # the leaf index in the Merkle tree
    recorded_at = models.DateTimeField()
    actor = models.CharField(max_length=200)
    action = models.CharField(max_length=100)
    body = models.ForeignKey(
        Body, null=True, blank=True, on_delete=models.PROTECT, related_name="record_entries"
    )
    subject = models.CharField(max_length=200, blank=True)
    data = models.JSONField()
    # The canonical bytes are stored as hashed, so that verification never depends on how a
    # database round-trips JSON.
    canonical = models.BinaryField()
    leaf_hash = models.BinaryField(max_length=32)

    class Meta:
        ordering = ("seq",)
        verbose_name_plural = "record entries"

    def __str__(self) -> str:
        return f"#{self.seq} {self.action}"


class RecordHead(models.Model):
    """The one row that numbers entries: writers lock it, so that sequence numbers never clash."""

    size = models.PositiveBigIntegerField(default=0)  # how many entries the record holds
    # The Merkle frontier (core `MerkleLog.frontier`, largest subtree first, 32 bytes each), so
    # that appending and signing never reread the leaves.
    frontier = models.BinaryField(default=b"")

    def __str__(self) -> str:
        return f"record of {self.size} entries"


class Checkpoint(models.Model):
    """A signed checkpoint of the record: its size and root as a C2SP signed note."""

    size = models.PositiveBigIntegerField(unique=True)
    root = models.BinaryField(max_length=32)
    note = models.TextField()  # the signed note, exactly as published
    signed_at = models.DateTimeField()

    class Meta:
        ordering = ("size",)

    def __str__(self) -> str:
        return f"checkpoint at {self.size}"
