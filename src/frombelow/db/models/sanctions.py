"""Sanctions on members: by their own assembly, with charge and reply, appealable upward."""

from __future__ import annotations

from django.db import models

from frombelow.db.models.bodies import Body
from frombelow.db.models.charges import Charge
from frombelow.db.models.decisions import Decision
from frombelow.db.models.people import Member


class Sanction(models.Model):
    """A suspension or an expulsion decided by the member's assembly."""

    class Kind(models.TextChoices):
        SUSPENSION = "suspension"  # no voting, standing or signing until `ends_at`
        EXPULSION = "expulsion"

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="sanctions")
    assembly = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="sanctions")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    charge = models.OneToOneField(Charge, on_delete=models.PROTECT, related_name="sanction")
    decision = models.OneToOneField(Decision, on_delete=models.PROTECT, related_name="sanction")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField(null=True, blank=True)  # suspensions end

    def __str__(self) -> str:
        return f"{self.kind} of {self.member}"


class Appeal(models.Model):
    """A sanctioned member's appeal to a council above their assembly."""

    sanction = models.ForeignKey(Sanction, on_delete=models.PROTECT, related_name="appeals")
    council = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="appeals")
    text = models.TextField()
    filed_at = models.DateTimeField()

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=("sanction", "council"), name="one_appeal_per_council"),
        )

    def __str__(self) -> str:
        return f"appeal of {self.sanction} to {self.council}"


class Lifting(models.Model):
    """A sanction lifted by a council's decision on appeal."""

    sanction = models.OneToOneField(Sanction, on_delete=models.PROTECT, related_name="lifting")
    decision = models.OneToOneField(Decision, on_delete=models.PROTECT, related_name="+")
    lifted_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.sanction} lifted"
