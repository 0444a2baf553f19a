"""Weights as computed from the roll when a session or vote opened: never typed, never changed."""

from __future__ import annotations

from django.db import models

from frombelow.db.models.bodies import Body


class WeightSnapshot(models.Model):
    """The roll's weights at one moment, for the subtree of `body` (a council, or an assembly)."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="weight_snapshots")
    taken_at = models.DateTimeField()
    members = models.PositiveIntegerField()  # distinct members on the roll of the subtree

    class Meta:
        ordering = ("taken_at", "id")

    def __str__(self) -> str:
        return f"weights under {self.body} at {self.taken_at:%Y-%m-%d %H:%M}"


class BodyWeight(models.Model):
    """One body's weight in a snapshot, as the core's `weigh` computed it from the roll."""

    snapshot = models.ForeignKey(WeightSnapshot, on_delete=models.PROTECT, related_name="weights")
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="+")
    weight = models.PositiveIntegerField()

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=("snapshot", "body"), name="one_weight_per_snapshot"),
        )

    def __str__(self) -> str:
        return f"{self.body}: {self.weight}"
