"""Elections, terms and substitutes: every seat and office is elected by the body it serves.

There is no appointment here: a `Term` names the election that gave it, and a term's end is a
date fixed when it began. A term cut short (recall, resignation, leaving) gets a `TermEnd`; a term
is never changed, so it cannot be extended.
"""

from __future__ import annotations

from django.db import models

from frombelow.db.models.bodies import Body
from frombelow.db.models.people import Member
from frombelow.db.models.votes import Vote


class Election(models.Model):
    """An election by a body of its delegates to a council, or of one of its officers."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="elections")
    office = models.CharField(max_length=50)  # "delegate", "secretary", "membership-officer", ...
    council = models.ForeignKey(  # for delegates: the council they sit in
        Body, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    seats = models.PositiveSmallIntegerField()
    called_at = models.DateTimeField()
    vote = models.OneToOneField(
        Vote, null=True, blank=True, on_delete=models.PROTECT, related_name="election"
    )

    class Meta:
        ordering = ("called_at", "id")

    def __str__(self) -> str:
        return f"election of {self.office} in {self.body}"


class Candidacy(models.Model):
    """A member standing in an election, perhaps proposed by a tendency."""

    election = models.ForeignKey(Election, on_delete=models.PROTECT, related_name="candidacies")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="candidacies")
    tendency = models.ForeignKey(
        "frombelow.Tendency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    stood_at = models.DateTimeField()
    # What the candidate tells the electors; written once, as the candidacy itself.
    statement = models.TextField(blank=True, default="", db_default="")

    class Meta:
        verbose_name_plural = "candidacies"
        ordering = ("election", "id")
        constraints = (
            models.UniqueConstraint(fields=("election", "member"), name="one_candidacy"),
        )

    def __str__(self) -> str:
        return f"{self.member} in {self.election}"


class Withdrawal(models.Model):
    """A candidate's withdrawal while nominations were open; the candidacy itself stays written."""

    candidacy = models.OneToOneField(Candidacy, on_delete=models.PROTECT, related_name="withdrawal")
    withdrawn_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.candidacy} withdrawn"


class Term(models.Model):
    """A seat or office held from an election until a date fixed at the start."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="terms")
    office = models.CharField(max_length=50)
    council = models.ForeignKey(
        Body, null=True, blank=True, on_delete=models.PROTECT, related_name="delegate_terms"
    )
    holder = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="terms")
    election = models.ForeignKey(Election, on_delete=models.PROTECT, related_name="terms")
    substitute_for = models.OneToOneField(  # the term whose emptied seat this one took
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="substitute"
    )
    started_at = models.DateTimeField()
    ends_at = models.DateTimeField()

    class Meta:
        ordering = ("started_at", "id")
        constraints = (
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("started_at")), name="term_ends_after_start"
            ),
        )

    def __str__(self) -> str:
        return f"{self.holder} as {self.office} of {self.body}"


class TermEnd(models.Model):
    """A term cut short before its end: by recall, resignation (leaving the body too), or death."""

    class Reason(models.TextChoices):
        RECALL = "recall"  # by the body's decision, an expulsion included
        RESIGNATION = "resignation"  # the holder's own act, leaving the body included
        DEATH = "death"

    term = models.OneToOneField(Term, on_delete=models.PROTECT, related_name="cut_short")
    ended_at = models.DateTimeField()
    reason = models.CharField(max_length=11, choices=Reason.choices)

    def __str__(self) -> str:
        return f"{self.term} ended ({self.reason})"


class Substitute(models.Model):
    """A candidate the election ranked next, who takes an emptied seat at once."""

    election = models.ForeignKey(Election, on_delete=models.PROTECT, related_name="substitutes")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    rank = models.PositiveSmallIntegerField()  # 1 is the first substitute

    class Meta:
        ordering = ("election", "rank")
        constraints = (
            models.UniqueConstraint(fields=("election", "rank"), name="one_substitute_per_rank"),
            models.UniqueConstraint(fields=("election", "member"), name="one_rank_per_substitute"),
        )

    def __str__(self) -> str:
        return f"substitute {self.rank} of {self.election}"
