"""A body's application to join a council: its own decision, waiting for the council's answer."""

from __future__ import annotations

from django.db import models

from frombelow.db.models.bodies import Body
from frombelow.db.models.decisions import Decision


class Application(models.Model):
    """A member body's decision to join a council, and the council's decision on it."""

    member_body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="applications")
    council = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="applicants")
    decision = models.OneToOneField(Decision, on_delete=models.PROTECT, related_name="+")
    applied_at = models.DateTimeField()
    answer = models.OneToOneField(  # the council's decision to accept or not
        Decision, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ("applied_at", "id")
        constraints = (
            models.UniqueConstraint(
                fields=("member_body", "council"),
                condition=models.Q(answer__isnull=True),
                name="one_open_application",
            ),
        )

    def __str__(self) -> str:
        return f"{self.member_body} applies to {self.council}"
