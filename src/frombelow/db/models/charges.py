"""Charges and replies: due process before a body expels, hides or sanctions."""

from __future__ import annotations

from django.db import models

from frombelow.db.models.bodies import Body
from frombelow.db.models.people import Member


class Charge(models.Model):
    """A stated charge against a member body, a member or a statement, before the body votes."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="charges")
    accused_body = models.ForeignKey(
        Body, null=True, blank=True, on_delete=models.PROTECT, related_name="charges_against"
    )
    accused_member = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.PROTECT, related_name="charges_against"
    )
    statement = models.ForeignKey(
        "frombelow.Statement", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField()
    filed_by = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    filed_at = models.DateTimeField()

    class Meta:
        ordering = ("filed_at", "id")
        constraints = (
            models.CheckConstraint(
                condition=(
                    models.Q(accused_body__isnull=False)
                    ^ models.Q(accused_member__isnull=False)
                    ^ models.Q(statement__isnull=False)
                )
                & ~models.Q(
                    accused_body__isnull=False,
                    accused_member__isnull=False,
                    statement__isnull=False,
                ),
                name="charge_has_one_accused",
            ),
        )

    def __str__(self) -> str:
        return f"charge {self.pk} in {self.body}"


class Reply(models.Model):
    """The accused's written reply to a charge, in the record before any vote on it."""

    charge = models.OneToOneField(Charge, on_delete=models.PROTECT, related_name="reply")
    author = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    replied_at = models.DateTimeField()

    class Meta:
        verbose_name_plural = "replies"

    def __str__(self) -> str:
        return f"reply to {self.charge}"
