"""Notices by e-mail: what each member chose to get, and what was sent (so it is sent once)."""

from __future__ import annotations

from django.db import models

from frombelow.db.models.people import Member


class NoticeKind(models.TextChoices):
    """What a notice tells a member."""

    VOTE_OPENED = "vote-opened"  # a vote opened in one of my bodies
    VOTE_CLOSING = "vote-closing"  # a vote I may cast in closes within a day
    MANDATE_DECIDED = "mandate-decided"  # my body decided its mandate on a council's item
    RECALL_PETITION = "recall-petition"  # a petition to recall my body's delegate opened
    AGENDA_SENT = "agenda-sent"  # a council's agenda reached my body: its mandates to decide
    MANDATE_VOTE = "mandate-vote"  # my body's vote on its mandate on a council's item opened
    CANDIDACIES = "candidacies"  # an election in my body takes candidacies
    RATIFICATION = "ratification"  # a council's provisional decision awaits my body's answer
    OVERDUE = "overdue"  # a decision I carry out (or, as secretary, my body's) is past its date
    DIGEST = "digest"  # once a day, what needs me; off until chosen
    CHARGE = "charge"  # a charge against me (or my body, or my statement): always sent


class NoticeChoice(models.Model):
    """A member's choice to get, or not, one kind of notice; without a row, they get it."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="notice_choices")
    kind = models.CharField(max_length=20, choices=NoticeKind.choices)
    wanted = models.BooleanField(default=True)

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=("member", "kind"), name="one_choice_per_kind"),
        )

    def __str__(self) -> str:
        return f"{self.member}: {self.kind} {'on' if self.wanted else 'off'}"


class NoticeSent(models.Model):
    """A notice sent to a member about one thing, kept so that no sender sends it twice."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=NoticeKind.choices)
    subject = models.CharField(max_length=100)  # what it was about: "vote:12", "petition:3"
    sent_at = models.DateTimeField()

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=("member", "kind", "subject"), name="one_notice_per_subject"
            ),
        )
        # The senders that run every minute ask who has had a notice about one subject.
        indexes = (models.Index(fields=("kind", "subject"), name="notice_sent_by_subject"),)

    def __str__(self) -> str:
        return f"{self.kind} on {self.subject} to {self.member}"
