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
    # The language the member chose for pages and e-mail; "" until they choose one. The database
    # holds the default too, so that rows written by SQL (a bulk load, a benchmark) need not name
    # these columns.
    language = models.CharField(
        max_length=10, blank=True, default="", db_default="", choices=settings.LANGUAGES
    )
    # An invitation asked for and not yet sent (services/invites.py): when it was asked, in which
    # language, and when a sender took it (a take never confirmed is taken again).
    invitation_due = models.DateTimeField(null=True, blank=True, db_index=True)
    invitation_language = models.CharField(max_length=10, blank=True, default="", db_default="")
    invitation_taken = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("name", "id")

    def __str__(self) -> str:
        return self.name
