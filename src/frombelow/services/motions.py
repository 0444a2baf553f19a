"""Motions from proposal to the vote: supporters, submission, amendments, withdrawal.

What a motion of each kind acts on is checked when it is proposed, against the body that will
decide it, by the kind's own check (`motion_kinds`; each kind is declared by the module that owns
its effect): an assembly admits and sanctions its own members; a council accepts, expels or hears
appeals only about its own member bodies; every body amends only its own statute. There is no kind
by which a body acts on another body's affairs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from frombelow.core.decisions import MOTION_OPTIONS
from frombelow.core.errors import DecisionError, DueProcessError, StandingError
from frombelow.core.statutes import Statute
from frombelow.core.voting import CHOICE_METHODS, MOTION
from frombelow.db.models import Amendment, Body, Member, Motion, Support
from frombelow.services import clock
from frombelow.services.motion_kinds import (
    TARGET_FIELDS,
    MotionKind,
    Scope,
    declare,
    kind_of,
)
from frombelow.services.queries.bodies import statute_of
from frombelow.services.record import Actor, append_entry
from frombelow.services.refusals import choice
from frombelow.services.standing import require_participant

Kind = Motion.Kind

# A motion of no kind beyond the decision itself: a position, a plan, a call to action.
declare(MotionKind(Kind.GENERAL, as_proposed=False))


def _label(motion: Motion) -> str:
    return f"motion:{motion.pk}"


def notice_ends(statute: Statute, since: datetime) -> datetime:
    """Return the soonest a motion submitted (or an amendment proposed) at `since` may be put to
    the vote: members have the statute's notice of what they will vote on."""
    return since + timedelta(hours=statute.min_notice_hours)


def debated_since(motion: Motion) -> datetime:
    """Return when the motion was submitted for debate (a petition's, when it was made so)."""
    return motion.submitted_at or motion.created_at


def opens_by_itself_at(statute: Statute, motion: Motion) -> datetime:
    """Return when a submitted motion no one put to the vote opens by itself: at the statute's
    deadline for its secretary, never before its notice has passed."""
    since = debated_since(motion)
    return max(since + timedelta(days=statute.motion_deadline_days), notice_ends(statute, since))


@transaction.atomic(durable=True)
def propose_motion(
    *,
    actor: Actor,
    body: Body,
    title: str,
    text: str,
    kind: str = Kind.GENERAL,
    matter: str = "",
    opt_out_allowed: bool = False,
    details: Mapping[str, Any] | None = None,
    implementers: Sequence[Member] = (),
    implement_by: date | None = None,
    **targets: Any,
) -> Motion:
    """Propose a motion to a body the proposer takes part in."""
    now = clock.now()
    proposer = require_participant(actor, body, now, "proposing a motion")
    if kind_of(kind).by_petition_only:
        raise StandingError(
            "a %(kind)s motion is opened by a petition reaching its threshold",
            kind=choice(Motion.Kind, kind),
        )
    motion = new_motion(
        body=body,
        kind=kind,
        title=title,
        text=text,
        matter=matter,
        proposer=proposer,
        opt_out_allowed=opt_out_allowed,
        details=details or {},
        targets=targets,
    )
    for implementer in implementers:
        require_participant(implementer, body, now, "carrying out a decision")
    motion.implementers.set(implementers)
    motion.implement_by = implement_by
    motion.save(update_fields=["implement_by"])
    append_entry(
        actor=actor,
        action="motion.proposed",
        subject=_label(motion),
        body=body,
        data=motion_data(motion),
    )
    return motion


# A motion is put to the vote as yes / no / abstain by majority, unless it is a choice among
# options its proposer listed (MODEL.md 4: approval, or a ranking counted by Schulze).
MOST_OPTIONS = 50


def question_of(motion: Motion) -> tuple[str, list[str]]:
    """Return how a motion is put: a majority on yes / no / abstain, or a choice among options."""
    method = motion.details.get("method", MOTION)
    if method == MOTION:
        return MOTION, list(MOTION_OPTIONS)
    if method not in CHOICE_METHODS or kind_of(motion.kind).as_proposed:
        raise DecisionError(
            "a motion is put to a majority, approval or Schulze, not %(method)r", method=method
        )
    options = motion.details.get("options")
    if not isinstance(options, list) or not all(
        isinstance(o, str) and o.strip() == o and o for o in options
    ):
        raise DecisionError("a motion put as a choice lists its options, each a line of words")
    if not 2 <= len(options) <= MOST_OPTIONS:
        raise DecisionError(
            "a choice is among 2 to %(most)s options, not %(count)s",
            most=MOST_OPTIONS,
            count=len(options),
        )
    if len(set(options)) != len(options):
        raise DecisionError("each option of a choice is listed once")
    return method, options


def new_motion(
    *,
    body: Body,
    kind: str,
    title: str,
    text: str,
    matter: str = "",
    proposer: Member | None,
    opt_out_allowed: bool = False,
    details: Mapping[str, Any],
    targets: Mapping[str, Any],
    status: str = Motion.Status.DRAFT,
) -> Motion:
    """Create a motion after checking what its kind acts on (no record entry: callers write it)."""
    declared = kind_of(kind)
    unknown = sorted(set(targets) - set(TARGET_FIELDS))
    if unknown:
        raise DecisionError("a motion names no %(fields)s", fields=", ".join(unknown))
    given = {name for name, value in targets.items() if value is not None}
    if declared.needs_due_process and "charge" not in given:
        raise DueProcessError(
            "a %(kind)s motion needs a stated charge first, and the reply to it",
            kind=choice(Motion.Kind, kind),
        )
    if given != declared.targets:
        _misnamed_targets(kind, needed=declared.targets, given=given)
    if not title.strip():
        raise DecisionError("a motion needs a title")
    if declared.scope is Scope.ASSEMBLY and body.kind != Body.Kind.ASSEMBLY:
        raise DecisionError(
            "only an assembly decides a %(kind)s motion, about its own members",
            kind=choice(Motion.Kind, kind),
        )
    if declared.scope is Scope.COUNCIL and body.kind != Body.Kind.COUNCIL:
        raise DecisionError(
            "only a council decides a %(kind)s motion", kind=choice(Motion.Kind, kind)
        )
    motion = Motion(
        body=body,
        kind=kind,
        title=title.strip(),
        text=text,
        matter=matter,
        proposer=proposer,
        opt_out_allowed=opt_out_allowed,
        created_at=clock.now(),
        details=dict(details),
        status=status,
        **{name: targets.get(name) for name in TARGET_FIELDS},
    )
    question_of(motion)
    check_target(motion)
    motion.save()
    return motion


def _misnamed_targets(kind: str, *, needed: frozenset[str], given: set[str]) -> None:
    """Refuse a motion that names other things than its kind acts on."""
    needs, named = ", ".join(sorted(needed)), ", ".join(sorted(given))
    if not needs:
        raise DecisionError(
            "a %(kind)s motion names nothing, not %(named)s",
            kind=choice(Motion.Kind, kind),
            named=named,
        )
    if not named:
        raise DecisionError(
            "a %(kind)s motion names %(needed)s, not nothing",
            kind=choice(Motion.Kind, kind),
            needed=needs,
        )
    raise DecisionError(
        "a %(kind)s motion names %(needed)s, not %(named)s",
        kind=choice(Motion.Kind, kind),
        needed=needs,
        named=named,
    )


def check_target(motion: Motion) -> None:
    """Refuse a motion whose kind would act on what is not the body's own affair."""
    kind_of(motion.kind).check(motion)


def motion_data(motion: Motion) -> dict[str, Any]:
    """Return what the record says of a motion when it is proposed."""
    return {
        "kind": motion.kind,
        "title": motion.title,
        "text": motion.text,
        "matter": motion.matter,
        "opt_out_allowed": motion.opt_out_allowed,
        "details": motion.details,
        "targets": {
            name: getattr(motion, f"{name}_id")
            for name in TARGET_FIELDS
            if getattr(motion, f"{name}_id") is not None
        },
        "implementers": [f"member:{m.pk}" for m in motion.implementers.all()] if motion.pk else [],
        "implement_by": motion.implement_by.isoformat() if motion.implement_by else None,
    }


def current_supports(motion: Motion) -> QuerySet[Support]:
    """Return the supports of the motion's text as it stands (its last edit dropped the others)."""
    return motion.supports.filter(edition=motion.edition)


def _locked(motion: Motion) -> Motion:
    return Motion.objects.select_for_update().get(pk=motion.pk)


@transaction.atomic(durable=True)
def support_motion(*, actor: Actor, motion: Motion) -> Support:
    """Support a draft motion of a body one takes part in."""
    motion = _locked(motion)
    member = require_participant(actor, motion.body, clock.now(), "supporting a motion")
    if motion.status != Motion.Status.DRAFT:
        raise DecisionError(
            "%(motion)s is %(status)s: supporters sign a draft",
            motion=motion.title,
            status=choice(Motion.Status, motion.status),
        )
    if motion.proposer_id == member.pk:
        raise DecisionError("the proposer cannot count as their own supporter")
    try:
        with transaction.atomic():
            support = Support.objects.create(
                motion=motion, member=member, supported_at=clock.now(), edition=motion.edition
            )
    except IntegrityError:
        raise DecisionError(
            "%(member)s already supports %(motion)s", member=member.name, motion=motion.title
        ) from None
    append_entry(
        actor=actor, action="motion.supported", subject=_label(motion), body=motion.body, data={}
    )
    return support


@transaction.atomic(durable=True)
def edit_motion(*, actor: Actor, motion: Motion, title: str, text: str) -> Motion:
    """Change one's own draft's title and text before it is submitted."""
    motion = _locked(motion)
    if not _is_proposer(actor, motion):
        raise StandingError("editing a motion is the proposer's act")
    if motion.status != Motion.Status.DRAFT:
        raise DecisionError(
            "%(motion)s is %(status)s: only a draft is edited",
            motion=motion.title,
            status=choice(Motion.Status, motion.status),
        )
    if not title.strip():
        raise DecisionError("a motion needs a title")
    if not text.strip():
        raise DecisionError("a motion needs a text")
    before = {"title": motion.title, "text": motion.text}
    motion.title, motion.text = title.strip(), text
    if before == {"title": motion.title, "text": motion.text}:
        raise DecisionError("the edit changes nothing in %(motion)s", motion=motion.title)
    # Its supporters signed the text as it was, not this one: they sign again if they still do.
    dropped = current_supports(motion).count()
    motion.edition += 1
    motion.save(update_fields=["title", "text", "edition"])
    append_entry(
        actor=actor,
        action="motion.edited",
        subject=_label(motion),
        body=motion.body,
        # Supporters keep the record of what they read: the text before and after each edit.
        data={
            "before": before,
            "after": {"title": motion.title, "text": motion.text},
            "supporters_dropped": dropped,
        },
    )
    return motion


@transaction.atomic(durable=True)
def submit_motion(*, actor: Actor, motion: Motion) -> Motion:
    """Submit a draft motion for debate, once it has the supporters its body's statute requires."""
    motion = _locked(motion)
    if not _is_proposer(actor, motion):
        raise StandingError("submitting a motion is the proposer's act")
    if motion.status != Motion.Status.DRAFT:
        raise DecisionError(
            "%(motion)s is %(status)s, not a draft",
            motion=motion.title,
            status=choice(Motion.Status, motion.status),
        )
    needed = statute_of(motion.body).motion_supporters
    have = current_supports(motion).count()
    if have < needed:
        raise DecisionError(
            "%(motion)s has %(have)s supporters; the statute requires %(needed)s",
            motion=motion.title,
            have=have,
            needed=needed,
        )
    motion.status = Motion.Status.SUBMITTED
    motion.submitted_at = clock.now()
    motion.save(update_fields=["status", "submitted_at"])
    append_entry(
        actor=actor,
        action="motion.submitted",
        subject=_label(motion),
        body=motion.body,
        data={"supporters": have},
    )
    return motion


@transaction.atomic(durable=True)
def withdraw_motion(*, actor: Actor, motion: Motion) -> Motion:
    """Withdraw one's own motion before it is put to the vote."""
    motion = _locked(motion)
    if not _is_proposer(actor, motion):
        raise StandingError("withdrawing a motion is the proposer's act")
    if motion.status not in (Motion.Status.DRAFT, Motion.Status.SUBMITTED):
        raise DecisionError(
            "%(motion)s is %(status)s: it can no longer be withdrawn",
            motion=motion.title,
            status=choice(Motion.Status, motion.status),
        )
    before = motion.status
    motion.status = Motion.Status.WITHDRAWN
    motion.save(update_fields=["status"])
    append_entry(
        actor=actor,
        action="motion.withdrawn",
        subject=_label(motion),
        body=motion.body,
        data={"before": before},
    )
    return motion


def _is_proposer(actor: Actor, motion: Motion) -> bool:
    return isinstance(actor, Member) and actor.pk == motion.proposer_id


@transaction.atomic(durable=True)
def propose_amendment(*, actor: Actor, motion: Motion, text: str) -> Amendment:
    """Propose a new text for a submitted motion."""
    motion = _locked(motion)
    member = require_participant(actor, motion.body, clock.now(), "amending a motion")
    if motion.status != Motion.Status.SUBMITTED:
        raise DecisionError(
            "%(motion)s is %(status)s: amendments are made while it is debated",
            motion=motion.title,
            status=choice(Motion.Status, motion.status),
        )
    if kind_of(motion.kind).as_proposed:
        raise DecisionError(
            "a %(kind)s motion is decided as proposed, not amended",
            kind=choice(Motion.Kind, motion.kind),
        )
    if motion.body.kind == Body.Kind.ASSEMBLY:
        # Past its deadline the motion's vote is due: an amendment proposed then would hold it
        # back, and a stream of them would keep it from the vote for ever.
        deadline = opens_by_itself_at(statute_of(motion.body), motion)
        if clock.now() >= deadline:
            raise DecisionError(
                "%(motion)s is due to be voted on since %(deadline)s UTC: amendments are made "
                "before its deadline",
                motion=motion.title,
                deadline=f"{deadline:%Y-%m-%d %H:%M}",
            )
    if not text.strip() or text == motion.text:
        raise DecisionError("an amendment proposes a different text")
    amendment = Amendment.objects.create(
        motion=motion, proposer=member, text=text, proposed_at=clock.now()
    )
    append_entry(
        actor=actor,
        action="amendment.proposed",
        subject=f"amendment:{amendment.pk}",
        body=motion.body,
        data={"motion": motion.pk, "text": text},
    )
    return amendment


@transaction.atomic(durable=True)
def withdraw_amendment(*, actor: Actor, amendment: Amendment) -> Amendment:
    """Withdraw one's own amendment before it is put to the vote."""
    amendment = Amendment.objects.select_for_update().get(pk=amendment.pk)
    if not isinstance(actor, Member) or actor.pk != amendment.proposer_id:
        raise StandingError("withdrawing an amendment is its proposer's act")
    if amendment.status != Amendment.Status.PROPOSED:
        raise DecisionError(
            "amendment %(number)s to %(motion)s is %(status)s: it can no longer be withdrawn",
            number=amendment.pk,
            motion=amendment.motion.title,
            status=choice(Amendment.Status, amendment.status),
        )
    amendment.status = Amendment.Status.WITHDRAWN
    amendment.save(update_fields=["status"])
    append_entry(
        actor=actor,
        action="amendment.withdrawn",
        subject=f"amendment:{amendment.pk}",
        body=amendment.motion.body,
        data={"motion": amendment.motion_id},
    )
    return amendment
