"""Foundings of assemblies, and people's applications to join one."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from frombelow.db.models.bodies import Body
from frombelow.db.models.decisions import Decision
from frombelow.db.models.people import Member


class Founding(models.Model):
    """A person's call to found an assembly: its name, its first statute, its invited founders.

    The assembly exists (`body`) once the statute's minimum of founders has accepted.
    """

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100)
    template = models.CharField(max_length=50, blank=True)  # the statute template started from
    rules = models.JSONField()  # the first statute, as `statute_json` writes it
    convenor = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="convened")
    convened_at = models.DateTimeField()
    # A founding that does not gather its founders in time lapses, and frees its name.
    lapses_at = models.DateTimeField()
    body = models.OneToOneField(
        Body, null=True, blank=True, on_delete=models.PROTECT, related_name="founding"
    )

    class Meta:
        ordering = ("-convened_at", "-id")

    def __str__(self) -> str:
        return f"founding of {self.name}"


class Founder(models.Model):
    """A person invited to found an assembly, and their own answer."""

    founding = models.ForeignKey(Founding, on_delete=models.PROTECT, related_name="founders")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="foundings")
    invited_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    declined_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("invited_at", "id")
        constraints = (
            models.UniqueConstraint(fields=("founding", "member"), name="one_founder_each"),
        )

    def __str__(self) -> str:
        return f"{self.member} founding {self.founding.name}"


class MembershipApplication(models.Model):
    """A person's application to join an assembly, which the assembly decides."""

    class Outcome(models.TextChoices):
        ADMITTED = "admitted", _("Admitted")
        REFUSED = "refused", _("Refused")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="applications")
    assembly = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="membership_applications"
    )
    statement = models.TextField(blank=True)
    applied_at = models.DateTimeField()
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # The assembly's decision on it, when it decided by its vote.
    decision = models.ForeignKey(
        Decision, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ("applied_at", "id")
        constraints = (
            models.UniqueConstraint(
                fields=("member", "assembly"),
                condition=models.Q(closed_at__isnull=True),
                name="one_open_membership_application",
            ),
        )

    def __str__(self) -> str:
        return f"{self.member} applies to {self.assembly}"
