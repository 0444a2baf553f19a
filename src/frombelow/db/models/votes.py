"""Votes and what is cast in them: the electorate fixed at opening, one ballot per voter.

A secret ballot is stored apart from the fact that its voter took part: `Participation` names the
member, `SecretBallot` names no one, has no time and a random key, so that no column or ordering
joins them. Each voter gets a random tracker whose hash alone the ballot keeps.
"""

from __future__ import annotations

import uuid

from django.db import models

from frombelow.db.models.bodies import Body
from frombelow.db.models.motions import Amendment, Motion
from frombelow.db.models.people import Member
from frombelow.db.models.statutes import StatuteVersion


class Vote(models.Model):
    """A question put to a body's electorate, with the rules in force when it opened."""

    class Method(models.TextChoices):
        MAJORITY = "majority"  # yes / no / abstain on a motion
        APPROVAL = "approval"
        SCHULZE = "schulze"
        # Elections, by the statute's method.
        IRV = "irv"
        STV_SCOTTISH = "stv-scottish"
        STV_MEEK = "stv-meek"
        PLURALITY = "plurality"

    class BallotKind(models.TextChoices):
        OPEN = "open"  # roll-call: everyone sees who voted how
        SECRET = "secret"

    class Mode(models.TextChoices):
        ONLINE = "online"  # each voter casts their own ballot
        MEETING = "meeting"  # the elected secretary enters the tally and the attendance

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="votes")
    question = models.CharField(max_length=300)
    motion = models.ForeignKey(
        Motion, null=True, blank=True, on_delete=models.PROTECT, related_name="votes"
    )
    amendment = models.OneToOneField(
        Amendment, null=True, blank=True, on_delete=models.PROTECT, related_name="vote"
    )
    # A council votes in session, through its delegations; `item` for a motion on its agenda.
    session = models.ForeignKey(
        "frombelow.Session", null=True, blank=True, on_delete=models.PROTECT, related_name="votes"
    )
    item = models.ForeignKey(
        "frombelow.Item", null=True, blank=True, on_delete=models.PROTECT, related_name="votes"
    )
    method = models.CharField(max_length=20, choices=Method.choices)
    options = models.JSONField()  # the option labels, in order
    seats = models.PositiveSmallIntegerField(default=1)
    ballot_kind = models.CharField(max_length=6, choices=BallotKind.choices)
    mode = models.CharField(max_length=7, choices=Mode.choices, default=Mode.ONLINE)
    # The rules and the electorate as they stood at opening, so that a later amendment or a
    # later admission cannot change a vote already under way.
    statute = models.ForeignKey(StatuteVersion, on_delete=models.PROTECT, related_name="+")
    quorum = models.CharField(max_length=30)  # an exact fraction, "1/3"
    threshold = models.JSONField()
    by_consent = models.BooleanField(default=False)
    electorate = models.PositiveIntegerField()  # members, or in a council its delegations' votes
    opened_at = models.DateTimeField()
    closes_at = models.DateTimeField(null=True, blank=True)  # None: closed by the meeting

    class Meta:
        ordering = ("opened_at", "id")

    def __str__(self) -> str:
        return self.question


class Elector(models.Model):
    """One voter on a vote's roll when it opened: a member, or a member body of a council."""

    vote = models.ForeignKey(Vote, on_delete=models.PROTECT, related_name="electors")
    member = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    member_body = models.ForeignKey(
        Body, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = (
            models.CheckConstraint(
                condition=models.Q(member__isnull=True) ^ models.Q(member_body__isnull=True),
                name="elector_is_member_or_body",
            ),
            models.UniqueConstraint(fields=("vote", "member"), name="one_elector_per_member"),
            models.UniqueConstraint(fields=("vote", "member_body"), name="one_elector_per_body"),
        )

    def __str__(self) -> str:
        return f"{self.member or self.member_body} in {self.vote}"


class Ballot(models.Model):
    """An open ballot: who voted, and how (a ranking of option groups; one group to approve)."""

    vote = models.ForeignKey(Vote, on_delete=models.PROTECT, related_name="ballots")
    voter = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    ranking = models.JSONField()  # [["yes"]], [["a", "c"]], [["b"], ["a", "c"]]
    cast_at = models.DateTimeField()

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=("vote", "voter"), name="one_ballot_per_voter"),
        )

    def __str__(self) -> str:
        return f"{self.voter} in {self.vote}"


class Participation(models.Model):
    """That a member took part in a secret vote; what they chose is not here."""

    vote = models.ForeignKey(Vote, on_delete=models.PROTECT, related_name="participations")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=("vote", "member"), name="one_participation_per_member"),
        )

    def __str__(self) -> str:
        return f"{self.member} took part in {self.vote}"


class SecretBallot(models.Model):
    """A secret ballot: what was chosen, with no voter, no time, and a random key.

    The voter alone holds its tracker; the row keeps only the tracker's SHA-256, which the
    published ballot list shows. A changed ballot is a new row under the same tracker hash with
    the next `version`: only the highest version counts, and nothing names the member.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    vote = models.ForeignKey(Vote, on_delete=models.PROTECT, related_name="secret_ballots")
    ranking = models.JSONField()
    tracker_hash = models.CharField(max_length=64)  # hex SHA-256 of the voter's tracker
    version = models.PositiveIntegerField(default=1)  # 1 when cast, +1 for each change

    class Meta:
        ordering = ("vote", "tracker_hash", "version")
        constraints = (
            models.UniqueConstraint(
                fields=("vote", "tracker_hash", "version"), name="one_secret_ballot_per_version"
            ),
        )

    def __str__(self) -> str:
        return f"secret ballot in {self.vote}"


class Tally(models.Model):
    """A meeting's count, entered by the body's elected secretary: each ranking and how many."""

    vote = models.OneToOneField(Vote, on_delete=models.PROTECT, related_name="tally")
    secretary = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    counts = models.JSONField()  # [{"ranking": [["yes"]], "count": 40}, ...]
    entered_at = models.DateTimeField()

    class Meta:
        verbose_name_plural = "tallies"

    def __str__(self) -> str:
        return f"tally of {self.vote}"


class Attendance(models.Model):
    """A member present at the meeting that took a vote, as the secretary entered it."""

    vote = models.ForeignKey(Vote, on_delete=models.PROTECT, related_name="attendance")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=("vote", "member"), name="one_attendance_per_member"),
        )

    def __str__(self) -> str:
        return f"{self.member} at {self.vote}"


class DelegationVote(models.Model):
    """A member body's vote in a council, and how it was derived: from its bound or proportional
    mandate when the vote opened, or from its delegates' casts when it closed."""

    vote = models.ForeignKey(Vote, on_delete=models.PROTECT, related_name="delegation_votes")
    member_body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="+")
    votes = models.JSONField()  # {"yes": 180, "no": 120}: the delegation's votes by option
    derivation = models.TextField()  # how the system derived them, in words
    mandate = models.ForeignKey(
        "frombelow.Mandate", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=("vote", "member_body"), name="one_vote_per_delegation"),
        )

    def __str__(self) -> str:
        return f"{self.member_body} in {self.vote}"


class DelegateCast(models.Model):
    """A delegate's own vote for their delegation: on a free item, a new matter, an election."""

    vote = models.ForeignKey(Vote, on_delete=models.PROTECT, related_name="casts")
    member_body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="+")
    delegate = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    ranking = models.JSONField()
    cast_at = models.DateTimeField()

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=("vote", "delegate"), name="one_cast_per_delegate"),
        )

    def __str__(self) -> str:
        return f"{self.delegate} for {self.member_body} in {self.vote}"
