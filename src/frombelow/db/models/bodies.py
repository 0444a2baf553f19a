"""Bodies (assemblies and councils), their members and the federation graph."""

from __future__ import annotations

from django.db import models

from frombelow.db.models.people import Member


class Body(models.Model):
    """An organ of self-organisation: an assembly of members or a council of member bodies."""

    class Kind(models.TextChoices):
        ASSEMBLY = "assembly"
        COUNCIL = "council"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    founded_at = models.DateTimeField()

    class Meta:
        ordering = ("name", "id")
        verbose_name_plural = "bodies"

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A member's belonging to an assembly, from admission until they leave."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="memberships")
    assembly = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="memberships")
    member_number = models.CharField(max_length=50, blank=True)
    joined_at = models.DateTimeField()
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = (
            # One current membership per member and assembly; history rows keep left_at.
            models.UniqueConstraint(
                fields=("member", "assembly"),
                condition=models.Q(left_at__isnull=True),
                name="one_current_membership",
            ),
        )

    def __str__(self) -> str:
        return f"{self.member} in {self.assembly}"


class Affiliation(models.Model):
    """An edge of the federation graph: a member body's belonging to a council."""

    member_body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="affiliations")
    council = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="member_links")
    joined_at = models.DateTimeField()
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=("member_body", "council"),
                condition=models.Q(left_at__isnull=True),
                name="one_current_affiliation",
            ),
            models.CheckConstraint(
                condition=~models.Q(member_body=models.F("council")), name="no_self_affiliation"
            ),
        )

    def __str__(self) -> str:
        return f"{self.member_body} in {self.council}"
