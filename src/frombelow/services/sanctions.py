"""Sanctions on members: decided only by their own assembly, on a stated charge after their
written reply; appealable to every council above that assembly, whose decision may lift it."""

from __future__ import annotations

from datetime import timedelta

from django.db import IntegrityError, transaction

from frombelow.core.errors import DecisionError, StandingError
from frombelow.db.models import (
    Appeal,
    Body,
    Decision,
    Lifting,
    Membership,
    Motion,
    Sanction,
    TermEnd,
)
from frombelow.services import clock
from frombelow.services.accounts import end_sessions
from frombelow.services.bodies import end_terms_in
from frombelow.services.charges import check_charge, reply_of
from frombelow.services.motion_kinds import MotionKind, Scope, declare
from frombelow.services.queries.bodies import is_member
from frombelow.services.record import Actor, append_entry
from frombelow.services.standing import as_member, councils_above


def impose_sanction(decision: Decision) -> None:
    """Suspend or expel a member by their assembly's carried decision (the effect of it)."""
    motion = decision.motion
    assert motion is not None
    assert motion.member is not None
    assert motion.charge is not None
    now = clock.now()
    kind = motion.details["sanction"]
    days = motion.details.get("days")
    Sanction.objects.create(
        member=motion.member,
        assembly=decision.body,
        kind=kind,
        charge=motion.charge,
        decision=decision,
        starts_at=now,
        ends_at=now + timedelta(days=days) if kind == Sanction.Kind.SUSPENSION else None,
    )
    ended: list[int] = []
    if kind == Sanction.Kind.EXPULSION:
        Membership.objects.filter(
            member=motion.member, assembly=decision.body, left_at__isnull=True
        ).update(left_at=now)
        # The assembly that expels its member thereby recalls them from what it elected them to.
        ended = end_terms_in(motion.member, decision.body, TermEnd.Reason.RECALL)
    end_sessions(motion.member)
    append_entry(
        actor="system",
        action="member.sanctioned",
        subject=f"member:{motion.member.pk}",
        body=decision.body,
        data={
            "sanction": kind,
            "days": days,
            "decision": decision.pk,
            "charge": motion.charge.pk,
            # None: the accused let the time to reply pass without a word (`charges`).
            "reply": reply.pk if (reply := reply_of(motion.charge)) else None,
            "terms_ended": ended,
        },
    )


@transaction.atomic(durable=True)
def appeal(*, actor: Actor, sanction: Sanction, council: Body, text: str) -> Appeal:
    """Appeal one's own sanction to a council above one's assembly."""
    member = as_member(actor, "appealing a sanction")
    if member.pk != sanction.member_id:
        raise StandingError("an appeal is the sanctioned member's own act")
    if council.pk not in councils_above(sanction.assembly, clock.now()):
        raise StandingError(
            "%(council)r is not a council above %(assembly)r",
            council=council.slug,
            assembly=sanction.assembly.slug,
        )
    if hasattr(sanction, "lifting"):
        raise DecisionError("the sanction has been lifted already")
    try:
        with transaction.atomic():
            made = Appeal.objects.create(
                sanction=sanction, council=council, text=text, filed_at=clock.now()
            )
    except IntegrityError:
        raise DecisionError(
            "this sanction has been appealed to %(council)r already", council=council.slug
        ) from None
    append_entry(
        actor=actor,
        action="sanction.appealed",
        subject=f"sanction:{sanction.pk}",
        body=council,
        data={"text": text, "assembly": sanction.assembly.slug},
    )
    return made


def lift_sanction(decision: Decision) -> None:
    """Lift a sanction by a council's carried decision on the appeal (the effect of it)."""
    motion = decision.motion
    assert motion is not None
    assert motion.appeal is not None
    sanction = motion.appeal.sanction
    if hasattr(sanction, "lifting"):
        return  # another council above lifted it first
    now = clock.now()
    Lifting.objects.create(sanction=sanction, decision=decision, lifted_at=now)
    if sanction.kind == Sanction.Kind.EXPULSION:
        Membership.objects.create(member=sanction.member, assembly=sanction.assembly, joined_at=now)
    append_entry(
        actor="system",
        action="sanction.lifted",
        subject=f"sanction:{sanction.pk}",
        body=decision.body,
        data={"decision": decision.pk, "appeal": motion.appeal.pk},
    )


def _check_sanction(motion: Motion) -> None:
    member, assembly = motion.member, motion.body
    assert member is not None
    if not is_member(member, assembly, clock.now()):
        raise StandingError(
            "%(member)s is not a member of %(body)r", member=member.name, body=assembly.slug
        )
    check_charge(motion.charge, assembly, accused_member=member)
    sanction = motion.details.get("sanction")
    if sanction not in Sanction.Kind.values:
        raise DecisionError(
            "a sanction is a suspension or an expulsion, not %(sanction)r", sanction=sanction
        )
    days = motion.details.get("days")
    if sanction == Sanction.Kind.SUSPENSION and (not isinstance(days, int) or days < 1):
        raise DecisionError("a suspension states how many days it lasts")


def _check_appeal(motion: Motion) -> None:
    made = motion.appeal
    assert isinstance(made, Appeal)
    if made.council_id != motion.body_id:
        raise StandingError(
            "the appeal was made to %(council)r, not %(body)r",
            council=made.council.slug,
            body=motion.body.slug,
        )


declare(
    MotionKind(
        Motion.Kind.SANCTION_MEMBER,
        targets=frozenset({"member", "charge"}),
        scope=Scope.ASSEMBLY,
        check=_check_sanction,
        effect=impose_sanction,
    ),
    MotionKind(
        Motion.Kind.DECIDE_APPEAL,
        targets=frozenset({"appeal"}),
        scope=Scope.COUNCIL,
        check=_check_appeal,
        effect=lift_sanction,
    ),
)
