"""Petitions from below: recall, referendum, reopening. A member or member body signs once."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from frombelow.db.models.bodies import Body
from frombelow.db.models.decisions import Decision
from frombelow.db.models.people import Member


class Petition(models.Model):
    """A petition to a body; reaching its threshold opens what it asks for, with no one's leave."""

    class Kind(models.TextChoices):
        RECALL = "recall", _("Recall")
        REFERENDUM = "referendum", _("Referendum")
        REOPENING = "reopening", _("Reopening")

    class Signers(models.TextChoices):
        MEMBERS = "members"
        MEMBER_BODIES = "member-bodies"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="petitions")
    signers = models.CharField(max_length=13, choices=Signers.choices, default=Signers.MEMBERS)
    term = models.ForeignKey(  # recall: the term to end
        "frombelow.Term", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision = models.ForeignKey(  # reopening: the decision to put back on the agenda
        Decision, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    question = models.CharField(max_length=300)
    text = models.TextField(blank=True)
    opened_by = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField()
    # Fixed at opening from the roll and the statute, so that the goal cannot move.
    entitled = models.PositiveIntegerField()
    required = models.PositiveIntegerField()
    reached_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("opened_at", "id")

    def __str__(self) -> str:
        return self.question


class Signature(models.Model):
    """One signature: a member's, or a member body's by its own decision."""

    petition = models.ForeignKey(Petition, on_delete=models.PROTECT, related_name="signatures")
    member = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    member_body = models.ForeignKey(
        Body, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision = models.OneToOneField(  # a member body signs by its decision
        Decision, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField()

    class Meta:
        constraints = (
            models.CheckConstraint(
                condition=models.Q(member__isnull=True) ^ models.Q(member_body__isnull=True),
                name="signature_by_member_or_body",
            ),
            models.UniqueConstraint(fields=("petition", "member"), name="one_signature_per_member"),
            models.UniqueConstraint(
                fields=("petition", "member_body"), name="one_signature_per_body"
            ),
        )

    def __str__(self) -> str:
        return f"{self.member or self.member_body} signs {self.petition}"
