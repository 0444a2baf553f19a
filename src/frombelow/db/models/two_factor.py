"""Second factors of sign-in: an account's TOTP secret and its single-use recovery codes.

These are account security, not acts of self-government: nothing here is in the record, and a
row is never deleted (a disabled factor keeps its dates, so that the account's owner can see when).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class SecondFactor(models.Model):
    """A TOTP secret (RFC 6238) of one account: begun, confirmed with a code, maybe disabled."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="second_factors"
    )
    # Base32, as authenticator apps take it. It must be kept readable to check codes (TOTP is a
    # shared secret), so it is a secret at rest like the database itself; it is never shown again
    # after enrolment and never written to the record.
    secret = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    confirmed_at = models.DateTimeField(null=True, blank=True)
    disabled_at = models.DateTimeField(null=True, blank=True)
    # The last 30-second step whose code was accepted: a code is accepted once, never replayed.
    last_step = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ("user", "created_at", "id")
        constraints = (
            # One live factor per account: enrolling again needs disabling first.
            models.UniqueConstraint(
                fields=("user",),
                condition=models.Q(disabled_at__isnull=True),
                name="one_live_second_factor",
            ),
        )

    def __str__(self) -> str:
        return f"second factor {self.pk} of {self.user}"


class RecoveryCode(models.Model):
    """A single-use code that stands in for a TOTP code: only its SHA-256 is kept."""

    factor = models.ForeignKey(
        SecondFactor, on_delete=models.PROTECT, related_name="recovery_codes"
    )
    digest = models.CharField(max_length=64, unique=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("factor", "id")

    def __str__(self) -> str:
        return f"recovery code {self.pk} of {self.factor}"
