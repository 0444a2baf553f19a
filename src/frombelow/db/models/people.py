"""Members: the people who belong to assemblies."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Member(models.Model):
    """A person; belongs to one or more assemblies through Membership."""

    # A member may exist before they have an account (imported from a roll, invited by link).
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    name = models.CharField(max_length=200)
    # Contact details are visible only to the officers a body elected for that purpose.
    email = models.EmailField(blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ("name", "id")

    def __str__(self) -> str:
        return self.name
