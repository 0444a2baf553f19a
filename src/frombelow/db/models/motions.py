"""Motions, their supporters and amendments: what a body is asked to decide."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from frombelow.db.models.bodies import Body
from frombelow.db.models.people import Member


class Motion(models.Model):
    """A proposal put to a body; a carried motion of an effect kind changes who decides."""

    class Kind(models.TextChoices):
        # No effect beyond the decision itself (a position, a plan, a call to action).
        GENERAL = "general", _("General")
        # Effects on the body itself, or (for a council) on its relation to one member body.
        ADMIT_MEMBER = "admit-member", _("Admit Member")
        JOIN_COUNCIL = "join-council", _("Join Council")
        FOUND_COUNCIL = "found-council", _("Found Council")
        ACCEPT_MEMBER_BODY = "accept-member-body", _("Accept Member Body")
        LEAVE_COUNCIL = "leave-council", _("Leave Council")
        EXPEL_MEMBER_BODY = "expel-member-body", _("Expel Member Body")
        AMEND_STATUTE = "amend-statute", _("Amend Statute")
        DECIDE_MANDATE = "decide-mandate", _("Decide Mandate")
        RATIFY = "ratify", _("Ratify")
        REOPEN = "reopen", _("Reopen")
        RECALL = "recall", _("Recall")
        CALL_REFERENDUM = "call-referendum", _("Call Referendum")
        HIDE_STATEMENT = "hide-statement", _("Hide Statement")
        SANCTION_MEMBER = "sanction-member", _("Sanction Member")
        DECIDE_APPEAL = "decide-appeal", _("Decide Appeal")
        # A member body signs a referendum petition.
        SIGN_PETITION = "sign-petition", _("Sign Petition")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        VOTING = "voting", _("Voting")
        DECIDED = "decided", _("Decided")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="motions")
    kind = models.CharField(max_length=30, choices=Kind.choices, default=Kind.GENERAL)
    title = models.CharField(max_length=300)
    text = models.TextField()
    # The named matter it concerns: a council binds its member bodies only within its
    # competences, and a body decides by consent only on the matters its statute names.
    matter = models.CharField(max_length=100, blank=True)
    proposer = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.PROTECT, related_name="motions"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    opt_out_allowed = models.BooleanField(default=False)
    created_at = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    # Each edit of a draft starts a new edition of its text; supporters sign one edition.
    edition = models.PositiveIntegerField(default=1)
    # What a carried motion acts on; which one a kind needs is checked by the motion service.
    member = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    other_body = models.ForeignKey(
        Body, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    charge = models.ForeignKey(
        "frombelow.Charge", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    term = models.ForeignKey(
        "frombelow.Term", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision = models.ForeignKey(
        "frombelow.Decision", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    council_item = models.ForeignKey(  # decide-mandate: the council's item
        "frombelow.Item", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    statement = models.ForeignKey(
        "frombelow.Statement", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    appeal = models.ForeignKey(
        "frombelow.Appeal", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    petition = models.ForeignKey(
        "frombelow.Petition", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Kind-specific terms: the amended statute, the mandate kind, the sanction, the question.
    details = models.JSONField(default=dict, blank=True)
    # Who carries a carried motion out, and by when (MODEL 4, implementation).
    implementers = models.ManyToManyField(Member, blank=True, related_name="+")
    implement_by = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ("body", "id")

    def __str__(self) -> str:
        return self.title


class Support(models.Model):
    """A member's support for a motion, which a statute may require before it is put."""

    motion = models.ForeignKey(Motion, on_delete=models.PROTECT, related_name="supports")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    supported_at = models.DateTimeField()
    # The edition of the draft's text it supports: an edit drops the supporters of the last one.
    edition = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=("motion", "member", "edition"), name="one_support_per_member_and_edition"
            ),
        )

    def __str__(self) -> str:
        return f"{self.member} supports {self.motion}"


class Amendment(models.Model):
    """A proposed new text for a motion, decided (or withdrawn) before the motion is put."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        VOTING = "voting", _("Voting")
        CARRIED = "carried", _("Carried")
        LOST = "lost", _("Lost")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    motion = models.ForeignKey(Motion, on_delete=models.PROTECT, related_name="amendments")
    proposer = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()  # the motion's whole text as the amendment would have it
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    proposed_at = models.DateTimeField()

    class Meta:
        ordering = ("motion", "id")

    def __str__(self) -> str:
        return f"amendment {self.pk} to {self.motion}"
