"""API tokens for scripts and apps, and the answers kept for retried requests."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ApiToken(models.Model):
    """A bearer token of one user: only its SHA-256 is kept; the token is shown once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100)  # what the owner calls it: "my phone", "roll script"
    # The token's first characters, shown in lists so that its owner can tell tokens apart.
    prefix = models.CharField(max_length=16, unique=True)
    digest = models.CharField(max_length=64, unique=True)  # hex SHA-256 of the whole token
    created_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    # Issued by the installation's operator (`frombelow token issue`), not by the user: such a
    # token acts for its user only once they confirm it (`confirmed_at`), so that whoever runs
    # the server cannot act as a member unseen (issue 13). The user's own are confirmed at issue.
    by_operator = models.BooleanField(default=False)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # The second factor the issuing session had signed in with, if any: the token acts in roles
    # whose statute needs a second factor only while that factor stays live (docs/two-factor.md).
    second_factor = models.ForeignKey(
        "frombelow.SecondFactor",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="api_tokens",
    )

    class Meta:
        ordering = ("user", "created_at", "id")

    def __str__(self) -> str:
        return f"token {self.prefix} of {self.user}"


class IdempotentRequest(models.Model):
    """The answer given to a request sent with an idempotency key, to give again on a retry."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    # The SHA-256 of what was asked (method, path, body): a key reused for another request is
    # refused rather than answered with the first request's answer.
    request_digest = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField()
    answer = models.JSONField()
    created_at = models.DateTimeField()

    class Meta:
        constraints = (models.UniqueConstraint(fields=("user", "key"), name="one_answer_per_key"),)

    def __str__(self) -> str:
        return f"request {self.key} of {self.user}"
