"""Council sessions, their agenda items, and the mandates member bodies decide on each item."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from frombelow.db.models.bodies import Body
from frombelow.db.models.decisions import Decision
from frombelow.db.models.motions import Motion
from frombelow.db.models.weights import WeightSnapshot


class Session(models.Model):
    """A meeting of a council (or an assembly) with an agenda."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="sessions")
    title = models.CharField(max_length=300)
    starts_at = models.DateTimeField()  # items reach member bodies before the mandate deadline
    agenda_sent_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    weights = models.ForeignKey(  # the roll's weights when the session opened
        WeightSnapshot, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    seed = models.BigIntegerField(null=True, blank=True)  # for any lot the apportionment drew
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("starts_at", "id")

    def __str__(self) -> str:
        return self.title


class Delegation(models.Model):
    """A member body's delegation at a session: seats and votes as the council's statute gives
    them from the weights when the session opened (the core's `seat_delegations`)."""

    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="delegations")
    member_body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="+")
    weight = models.PositiveIntegerField()
    seats = models.PositiveSmallIntegerField()
    votes_per_seat = models.PositiveIntegerField()

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=("session", "member_body"), name="one_delegation_per_session"
            ),
        )

    def __str__(self) -> str:
        return f"{self.member_body} at {self.session}"


class Item(models.Model):
    """One point of a session's agenda: a motion the council will decide."""

    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="items")
    number = models.PositiveSmallIntegerField()
    motion = models.OneToOneField(Motion, on_delete=models.PROTECT, related_name="item")
    # Raised at the session itself: no mandate covers it, so its decision is provisional.
    new_matter = models.BooleanField(default=False)

    class Meta:
        ordering = ("session", "number")
        constraints = (
            models.UniqueConstraint(fields=("session", "number"), name="one_item_per_number"),
        )

    def __str__(self) -> str:
        return f"{self.session}, item {self.number}"


class Mandate(models.Model):
    """A member body's mandate on an item, decided by the body's own vote (or its own session).

    No row means the body did not decide in time: mandate "none", counted as absent.
    """

    class Kind(models.TextChoices):
        BOUND = "bound", _("Bound")
        PROPORTIONAL = "proportional", _("Proportional")
        FREE = "free", _("Free")

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="mandates")
    member_body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="mandates")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    option = models.CharField(max_length=200, blank=True)  # bound: the body's majority option
    shares = models.JSONField(default=dict, blank=True)  # proportional: votes per option
    decision = models.OneToOneField(Decision, on_delete=models.PROTECT, related_name="mandate")

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=("item", "member_body"), name="one_mandate_per_body_and_item"
            ),
        )

    def __str__(self) -> str:
        return f"{self.member_body} on {self.item}: {self.kind}"
