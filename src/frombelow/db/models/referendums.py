"""Referendums: a direct vote of every member under a council, each member once.

Like a secret vote, taking part (`ReferendumParticipation`) is stored apart from the ballot. The
ballot keeps the voter's assemblies at opening, which the roll-up needs to count each voter once in
every body above them; it names no one and has no time.
"""

from __future__ import annotations

import uuid

from django.db import models

from frombelow.db.models.bodies import Body
from frombelow.db.models.decisions import Decision
from frombelow.db.models.people import Member
from frombelow.db.models.petitions import Petition


class Referendum(models.Model):
    """A question put to every member of every assembly under a council."""

    council = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="referendums")
    question = models.CharField(max_length=300)
    options = models.JSONField()
    called_by = models.OneToOneField(  # the council's decision, or None when from below
        Decision, null=True, blank=True, on_delete=models.PROTECT, related_name="referendum"
    )
    petition = models.OneToOneField(
        Petition, null=True, blank=True, on_delete=models.PROTECT, related_name="referendum"
    )
    double_majority = models.BooleanField()
    electorate = models.PositiveIntegerField()  # distinct members under the council at opening
    opened_at = models.DateTimeField()
    closes_at = models.DateTimeField()

    class Meta:
        ordering = ("opened_at", "id")
        constraints = (
            models.CheckConstraint(
                condition=models.Q(called_by__isnull=True) ^ models.Q(petition__isnull=True),
                name="referendum_called_or_petitioned",
            ),
        )

    def __str__(self) -> str:
        return self.question


class ReferendumParticipation(models.Model):
    """That a member voted in a referendum: once, however many assemblies they belong to."""

    referendum = models.ForeignKey(
        Referendum, on_delete=models.PROTECT, related_name="participations"
    )
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=("referendum", "member"), name="one_referendum_ballot_per_member"
            ),
        )

    def __str__(self) -> str:
        return f"{self.member} voted in {self.referendum}"


class ReferendumBallot(models.Model):
    """A referendum ballot: the option and the voter's assemblies, with no voter and no time."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    referendum = models.ForeignKey(Referendum, on_delete=models.PROTECT, related_name="ballots")
    option = models.CharField(max_length=200)
    assemblies = models.JSONField()  # the voter's assemblies' ids at opening, sorted

    def __str__(self) -> str:
        return f"ballot in {self.referendum}"


class ReferendumTally(models.Model):
    """How many ballots of a referendum chose each option from each set of assemblies.

    A cache of the ballots, kept by the service that casts them in the same transaction, so that
    the count reads one row per set and option instead of every ballot; the ballots stay the
    record, and `services.referendums.rebuild_tally` makes the tally again from them.
    """

    referendum = models.ForeignKey(Referendum, on_delete=models.PROTECT, related_name="tally")
    # The voters' assemblies at opening, their sorted slugs joined by spaces (a slug has none):
    # plain text, so that reading 80,000 of them decodes no JSON.
    assemblies = models.TextField()
    option = models.CharField(max_length=200)
    ballots = models.PositiveIntegerField()

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=("referendum", "assemblies", "option"), name="one_tally_per_set_and_option"
            ),
        )

    def __str__(self) -> str:
        return f"{self.ballots} for {self.option} from {self.assemblies} in {self.referendum}"


class ReferendumResult(models.Model):
    """The rolled-up count: each body's own and its subtree's result, and the outcome."""

    referendum = models.OneToOneField(Referendum, on_delete=models.PROTECT, related_name="result")
    counted_at = models.DateTimeField()
    turnout = models.PositiveIntegerField()
    outcome = models.CharField(max_length=10)  # "carried" or "lost"
    by_body = models.JSONField()  # {"body-slug": {"yes": n, "no": m}, ...} over each subtree

    def __str__(self) -> str:
        return f"result of {self.referendum}"
