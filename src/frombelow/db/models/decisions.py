"""Decisions and what follows them: dissent, opt-out, ratification and implementation."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from frombelow.db.models.bodies import Body
from frombelow.db.models.motions import Motion
from frombelow.db.models.people import Member
from frombelow.db.models.votes import Vote


class Decision(models.Model):
    """The counted outcome of a vote, with the count that anyone can check."""

    class Outcome(models.TextChoices):
        CARRIED = "carried", _("Carried")
        LOST = "lost", _("Lost")
        INQUORATE = "inquorate", _("Inquorate")
        CHOSEN = "chosen", _("Chosen")  # an approval or Schulze choice among options
        ELECTED = "elected", _("Elected")

    vote = models.OneToOneField(Vote, on_delete=models.PROTECT, related_name="decision")
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="decisions")
    motion = models.ForeignKey(
        Motion, null=True, blank=True, on_delete=models.PROTECT, related_name="decisions"
    )
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    winners = models.JSONField(default=list)  # option labels, in order
    turnout = models.PositiveIntegerField()  # voters, or for a council the weight that voted
    count = models.JSONField()  # the counting engine's Result, every round and tie-break
    decided_at = models.DateTimeField()
    # A council's decision outside its competences, or on what no mandate covered, binds only
    # once its member bodies ratify it by this time; without that it lapses (MODEL 3, 4).
    provisional = models.BooleanField(default=False)
    provisional_because = models.CharField(max_length=200, blank=True)
    ratify_by = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("decided_at", "id")

    def __str__(self) -> str:
        return f"{self.vote}: {self.outcome}"


class Ratification(models.Model):
    """A member body's answer to a council's provisional decision, by the body's own decision."""

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="ratifications")
    member_body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="+")
    ratified = models.BooleanField()
    by = models.OneToOneField(Decision, on_delete=models.PROTECT, related_name="ratification")

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=("decision", "member_body"), name="one_ratification_per_body"
            ),
        )

    def __str__(self) -> str:
        return f"{self.member_body} on {self.decision}"


class Ratified(models.Model):
    """The moment a provisional decision met the statute's ratification majority and bound."""

    decision = models.OneToOneField(Decision, on_delete=models.PROTECT, related_name="ratified")
    ratified_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.decision} ratified"


class Dissent(models.Model):
    """A dissenting statement a member of the minority attached to a decision."""

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="dissents")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    stated_at = models.DateTimeField()

    class Meta:
        ordering = ("stated_at", "id")

    def __str__(self) -> str:
        return f"dissent of {self.member} from {self.decision}"


class OptOut(models.Model):
    """A member's declaration that they will not carry out a decision that allows opting out."""

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="opt_outs")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(blank=True)
    declared_at = models.DateTimeField()

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=("decision", "member"), name="one_opt_out_per_member"),
        )

    def __str__(self) -> str:
        return f"{self.member} opts out of {self.decision}"


class Implementation(models.Model):
    """Who carries a carried decision out, and by when, as the motion named them."""

    decision = models.OneToOneField(
        Decision, on_delete=models.PROTECT, related_name="implementation"
    )
    implementers = models.ManyToManyField(Member, related_name="+")
    due_on = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"implementation of {self.decision}"


class ProgressReport(models.Model):
    """A report to the body that decided, from one who carries the decision out."""

    implementation = models.ForeignKey(
        Implementation, on_delete=models.PROTECT, related_name="reports"
    )
    author = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    done = models.BooleanField(default=False)
    reported_at = models.DateTimeField()

    class Meta:
        ordering = ("reported_at", "id")

    def __str__(self) -> str:
        return f"report on {self.implementation.decision}"
