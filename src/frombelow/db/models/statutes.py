"""A body's statute, kept as numbered versions: adopted at founding, then only by its decisions."""

from __future__ import annotations

from django.db import models

from frombelow.db.models.bodies import Body


class StatuteVersion(models.Model):
    """One version of a body's statute, as the JSON of the core `Statute` (see db/mapping.py)."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="statute_versions")
    number = models.PositiveIntegerField()  # 1 at founding, then one more per amendment
    rules = models.JSONField()
    adopted_at = models.DateTimeField()
    # The decision that adopted it; None only for the version adopted at founding.
    decision = models.OneToOneField(
        "frombelow.Decision",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="statute_version",
    )

    class Meta:
        ordering = ("body", "number")
        constraints = (
            models.UniqueConstraint(fields=("body", "number"), name="one_statute_version_number"),
        )

    def __str__(self) -> str:
        return f"statute {self.number} of {self.body}"
