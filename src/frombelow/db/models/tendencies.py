"""Tendencies and their statements: never banned, never deleted; hidden only by due process."""

from __future__ import annotations

from django.db import models

from frombelow.db.models.bodies import Body
from frombelow.db.models.decisions import Decision
from frombelow.db.models.people import Member


class Tendency(models.Model):
    """A named current of opinion across bodies."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    founded_at = models.DateTimeField()

    class Meta:
        verbose_name_plural = "tendencies"
        ordering = ("name", "id")

    def __str__(self) -> str:
        return self.name


class Adherence(models.Model):
    """A member's adherence to a tendency, which they join and leave by their own act."""

    tendency = models.ForeignKey(Tendency, on_delete=models.PROTECT, related_name="adherences")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="adherences")
    joined_at = models.DateTimeField()
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=("tendency", "member"),
                condition=models.Q(left_at__isnull=True),
                name="one_current_adherence",
            ),
        )

    def __str__(self) -> str:
        return f"{self.member} in {self.tendency}"


class Statement(models.Model):
    """A tendency's statement to a body its members belong to."""

    tendency = models.ForeignKey(Tendency, on_delete=models.PROTECT, related_name="statements")
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="statements")
    author = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=300)
    text = models.TextField()
    published_at = models.DateTimeField()

    class Meta:
        ordering = ("published_at", "id")

    def __str__(self) -> str:
        return self.title


class Hiding(models.Model):
    """A statement hidden by the body's decision; the statement and its hiding stay listed."""

    statement = models.OneToOneField(Statement, on_delete=models.PROTECT, related_name="hiding")
    decision = models.OneToOneField(Decision, on_delete=models.PROTECT, related_name="+")
    hidden_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.statement} hidden"
