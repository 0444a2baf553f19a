"""Motions from proposal to the vote: supporters, submission, amendments, withdrawal.

What a motion of each kind acts on is checked when it is proposed, against the body that will
decide it: an assembly admits and sanctions its own members; a council accepts, expels or hears
appeals only about its own member bodies; every body amends only its own statute. There is no kind
by which a body acts on another body's affairs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction

from frombelow.core.errors import DecisionError, DueProcessError, FederationError, StandingError
from frombelow.db.mapping import read_statute
from frombelow.db.models import (
    Amendment,
    Appeal,
    Application,
    Body,
    Charge,
    Decision,
    Item,
    Mandate,
    Member,
    Motion,
    Statement,
    Support,
    Term,
)
from frombelow.services import clock
from frombelow.services.queries.bodies import (
    councils_at,
    federation_at,
    is_member,
    member_bodies_at,
    statute_of,
)
from frombelow.services.record import Actor, append_entry
from frombelow.services.refusals import choice
from frombelow.services.standing import require_participant, terms_held

Kind = Motion.Kind

# What each kind acts on: the fields a motion of that kind must name, and no others.
TARGETS: Mapping[str, frozenset[str]] = {
    Kind.GENERAL: frozenset(),
    Kind.ADMIT_MEMBER: frozenset({"member"}),
    Kind.JOIN_COUNCIL: frozenset({"other_body"}),
    Kind.FOUND_COUNCIL: frozenset(),
    Kind.ACCEPT_MEMBER_BODY: frozenset({"other_body"}),
    Kind.LEAVE_COUNCIL: frozenset({"other_body"}),
    Kind.EXPEL_MEMBER_BODY: frozenset({"other_body", "charge"}),
    Kind.AMEND_STATUTE: frozenset(),
    Kind.DECIDE_MANDATE: frozenset({"council_item"}),
    Kind.RATIFY: frozenset({"decision"}),
    Kind.REOPEN: frozenset({"decision"}),
    Kind.RECALL: frozenset({"term"}),
    Kind.CALL_REFERENDUM: frozenset(),
    Kind.SIGN_PETITION: frozenset({"petition"}),
    Kind.HIDE_STATEMENT: frozenset({"statement", "charge"}),
    Kind.SANCTION_MEMBER: frozenset({"member", "charge"}),
    Kind.DECIDE_APPEAL: frozenset({"appeal"}),
}
TARGET_FIELDS = (
    "member",
    "other_body",
    "charge",
    "term",
    "decision",
    "council_item",
    "statement",
    "appeal",
    "petition",
)
ASSEMBLY_ONLY = frozenset({Kind.ADMIT_MEMBER, Kind.SANCTION_MEMBER})
COUNCIL_ONLY = frozenset(
    {Kind.ACCEPT_MEMBER_BODY, Kind.EXPEL_MEMBER_BODY, Kind.DECIDE_APPEAL, Kind.CALL_REFERENDUM}
)
MANDATE_KINDS = frozenset(Mandate.Kind.values)
SANCTION_KINDS = frozenset({"suspension", "expulsion"})
# Opened by a petition reaching its threshold, not proposed by anyone.
PETITIONED_KINDS = frozenset({Kind.REOPEN})


def _label(motion: Motion) -> str:
    return f"motion:{motion.pk}"


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
    if kind in PETITIONED_KINDS:
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
    if kind not in TARGETS:
        raise DecisionError(
            "there is no kind of motion %(kind)r; the kinds are: %(kinds)s",
            kind=kind,
            kinds=", ".join(sorted(TARGETS)),
        )
    unknown = sorted(set(targets) - set(TARGET_FIELDS))
    if unknown:
        raise DecisionError("a motion names no %(fields)s", fields=", ".join(unknown))
    given = {name for name, value in targets.items() if value is not None}
    if "charge" in TARGETS[kind] and "charge" not in given:
        raise DueProcessError(
            "a %(kind)s motion needs a stated charge first, and the reply to it",
            kind=choice(Motion.Kind, kind),
        )
    if given != TARGETS[kind]:
        needed = ", ".join(sorted(TARGETS[kind]))
        named = ", ".join(sorted(given))
        if not needed:
            raise DecisionError(
                "a %(kind)s motion names nothing, not %(named)s",
                kind=choice(Motion.Kind, kind),
                named=named,
            )
        if not named:
            raise DecisionError(
                "a %(kind)s motion names %(needed)s, not nothing",
                kind=choice(Motion.Kind, kind),
                needed=needed,
            )
        raise DecisionError(
            "a %(kind)s motion names %(needed)s, not %(named)s",
            kind=choice(Motion.Kind, kind),
            needed=needed,
            named=named,
        )
    if not title.strip():
        raise DecisionError("a motion needs a title")
    if kind in ASSEMBLY_ONLY and body.kind != Body.Kind.ASSEMBLY:
        raise DecisionError(
            "only an assembly decides a %(kind)s motion, about its own members",
            kind=choice(Motion.Kind, kind),
        )
    if kind in COUNCIL_ONLY and body.kind != Body.Kind.COUNCIL:
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
    check_target(motion)
    motion.save()
    return motion


def check_target(motion: Motion) -> None:
    """Refuse a motion whose kind would act on what is not the body's own affair."""
    body, now = motion.body, clock.now()
    kind = motion.kind
    if kind == Kind.ADMIT_MEMBER:
        assert motion.member is not None
        if is_member(motion.member, body, now):
            raise FederationError(
                "%(member)s is already a member of %(body)r",
                member=motion.member.name,
                body=body.slug,
            )
    elif kind in (Kind.JOIN_COUNCIL, Kind.LEAVE_COUNCIL):
        council = motion.other_body
        assert council is not None
        if council.kind != Body.Kind.COUNCIL:
            raise FederationError(
                "%(council)r is an assembly: only councils have member bodies",
                council=council.slug,
            )
        member_now = councils_at(body, now).filter(pk=council.pk).exists()
        if kind == Kind.JOIN_COUNCIL:
            if member_now:
                raise FederationError(
                    "%(body)r is already a member body of %(council)r",
                    body=body.slug,
                    council=council.slug,
                )
            # Refuse a cycle now rather than after two votes.
            federation_at(now).join(body.slug, council.slug)
        elif not member_now:
            raise FederationError(
                "%(body)r is not a member body of %(council)r", body=body.slug, council=council.slug
            )
    elif kind == Kind.FOUND_COUNCIL:
        read_statute(motion.details.get("statute"))
        if not motion.details.get("slug"):
            raise DecisionError("a motion to found a council names the council's slug")
    elif kind == Kind.ACCEPT_MEMBER_BODY:
        assert motion.other_body is not None
        if not Application.objects.filter(
            member_body=motion.other_body, council=body, answer__isnull=True
        ).exists():
            raise FederationError(
                "%(body)s has not decided to join %(council)r: a body joins by its own decision "
                "first",
                body=motion.other_body.name,
                council=body.slug,
            )
    elif kind == Kind.EXPEL_MEMBER_BODY:
        assert motion.other_body is not None
        _check_charge(motion.charge, body, accused_body=motion.other_body)
        if not member_bodies_at(body, now).filter(pk=motion.other_body.pk).exists():
            raise FederationError(
                "%(body)s is not a member body of %(council)r",
                body=motion.other_body.name,
                council=body.slug,
            )
    elif kind == Kind.AMEND_STATUTE:
        read_statute(motion.details.get("statute"))
    elif kind == Kind.DECIDE_MANDATE:
        _check_mandate_motion(motion)
    elif kind in (Kind.RATIFY, Kind.REOPEN):
        _check_decision_target(motion)
    elif kind == Kind.RECALL:
        term = motion.term
        assert term is not None
        if term.body_id != body.pk:
            raise StandingError(
                "only %(body)r, which elected %(holder)s, can recall them",
                body=term.body.slug,
                holder=term.holder.name,
            )
        if not Term.objects.filter(terms_held(now), pk=term.pk).exists():
            raise DecisionError(
                "%(holder)s's term has already ended: there is no one to recall",
                holder=term.holder.name,
            )
    elif kind == Kind.SIGN_PETITION:
        petition = motion.petition
        assert petition is not None
        if petition.kind != "referendum" or petition.reached_at is not None:
            raise DecisionError("a body signs only an open referendum petition")
        if not member_bodies_at(petition.body, petition.opened_at).filter(pk=body.pk).exists():
            raise StandingError(
                "%(body)r is not a member body of %(council)r",
                body=body.slug,
                council=petition.body.slug,
            )
    elif kind == Kind.CALL_REFERENDUM:
        if not str(motion.details.get("question", "")).strip():
            raise DecisionError("a motion to call a referendum states its question")
    elif kind == Kind.HIDE_STATEMENT:
        statement = motion.statement
        assert isinstance(statement, Statement)
        if statement.body_id != body.pk:
            raise StandingError(
                "only %(body)r, which it was addressed to, may hide it", body=statement.body.slug
            )
        _check_charge(motion.charge, body, statement=statement)
    elif kind == Kind.SANCTION_MEMBER:
        assert motion.member is not None
        if not is_member(motion.member, body, now):
            raise StandingError(
                "%(member)s is not a member of %(body)r", member=motion.member.name, body=body.slug
            )
        _check_charge(motion.charge, body, accused_member=motion.member)
        sanction = motion.details.get("sanction")
        if sanction not in SANCTION_KINDS:
            raise DecisionError(
                "a sanction is a suspension or an expulsion, not %(sanction)r", sanction=sanction
            )
        days = motion.details.get("days")
        if sanction == "suspension" and (not isinstance(days, int) or days < 1):
            raise DecisionError("a suspension states how many days it lasts")
    elif kind == Kind.DECIDE_APPEAL:
        appeal = motion.appeal
        assert isinstance(appeal, Appeal)
        if appeal.council_id != body.pk:
            raise StandingError(
                "the appeal was made to %(council)r, not %(body)r",
                council=appeal.council.slug,
                body=body.slug,
            )


def _check_charge(
    charge: Charge | None,
    body: Body,
    *,
    accused_body: Body | None = None,
    accused_member: Member | None = None,
    statement: Statement | None = None,
) -> None:
    """Refuse a motion of due process without its stated charge before this body."""
    if charge is None:
        raise DueProcessError("a stated charge comes first")
    if (
        charge.body_id != body.pk
        or charge.accused_body_id != (accused_body.pk if accused_body else None)
        or charge.accused_member_id != (accused_member.pk if accused_member else None)
        or charge.statement_id != (statement.pk if statement else None)
    ):
        raise DueProcessError(
            "charge %(charge)s is not a charge before %(body)r about this",
            charge=charge.pk,
            body=body.slug,
        )


def _check_mandate_motion(motion: Motion) -> None:
    assert motion.council_item_id is not None
    # Read afresh: the caller's copy of the item and its session may be stale.
    item = Item.objects.select_related("session__body").get(pk=motion.council_item_id)
    session = item.session
    now = clock.now()
    if not member_bodies_at(session.body, now).filter(pk=motion.body_id).exists():
        raise StandingError(
            "%(body)r is not a member body of %(council)r: it has no mandate to decide there",
            body=motion.body.slug,
            council=session.body.slug,
        )
    if session.opened_at is not None:
        raise DecisionError(
            "%(session)s has opened: mandates are decided before the session",
            session=session.title,
        )
    if session.agenda_sent_at is None:
        raise DecisionError(
            "the agenda of %(session)s has not been sent down yet", session=session.title
        )
    if Mandate.objects.filter(item=item, member_body=motion.body).exists():
        raise DecisionError(
            "%(body)r has already decided its mandate on %(session)s, item %(number)s",
            body=motion.body.slug,
            session=session.title,
            number=item.number,
        )
    if item.new_matter:
        raise DecisionError("an item raised at the session has no mandate: delegates decide it")
    if motion.details.get("mandate") not in MANDATE_KINDS:
        raise DecisionError(
            "a mandate is bound, proportional or free, not %(mandate)r",
            mandate=motion.details.get("mandate"),
        )


def _check_decision_target(motion: Motion) -> None:
    decision = motion.decision
    assert isinstance(decision, Decision)
    if motion.kind == Kind.REOPEN:
        if decision.body_id != motion.body_id:
            raise StandingError(
                "a body reopens only its own decisions, not %(body)s's", body=decision.body.name
            )
        return
    # Ratification: by a member body of the council whose provisional decision it is.
    if not decision.provisional or decision.outcome != Decision.Outcome.CARRIED:
        raise DecisionError(
            "decision %(decision)s binds or failed already: nothing to ratify",
            decision=decision.pk,
        )
    if decision.ratify_by is not None and clock.now() > decision.ratify_by:
        raise DecisionError(
            "the period to ratify decision %(decision)s ended %(ended)s",
            decision=decision.pk,
            ended=decision.ratify_by,
        )
    if decision.ratifications.filter(member_body=motion.body).exists():
        raise DecisionError(
            "%(body)r has already answered on decision %(decision)s",
            body=motion.body.slug,
            decision=decision.pk,
        )
    if not member_bodies_at(decision.body, clock.now()).filter(pk=motion.body_id).exists():
        raise StandingError(
            "%(body)r is not a member body of %(council)r",
            body=motion.body.slug,
            council=decision.body.slug,
        )


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
            support = Support.objects.create(motion=motion, member=member, supported_at=clock.now())
    except IntegrityError:
        raise DecisionError(
            "%(member)s already supports %(motion)s", member=member.name, motion=motion.title
        ) from None
    append_entry(
        actor=actor, action="motion.supported", subject=_label(motion), body=motion.body, data={}
    )
    return support


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
    have = motion.supports.count()
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
    if motion.kind != Kind.GENERAL:
        raise DecisionError(
            "a %(kind)s motion is decided as proposed, not amended", kind=motion.kind
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
