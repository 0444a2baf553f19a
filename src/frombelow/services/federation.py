"""Free association: a body joins a council by its own decision and the council's acceptance,
leaves by its own decision alone, and is expelled only by the council's decision on a stated
charge after its written reply. Each function here is the effect of such a decision, whose kinds
are declared at the end, and runs inside the deciding act's transaction (`deciding.apply`).
"""

from __future__ import annotations

from frombelow.core.errors import FederationError
from frombelow.db.models import Affiliation, Application, Body, Decision, Motion
from frombelow.services import clock
from frombelow.services.charges import check_charge, reply_of
from frombelow.services.motion_kinds import SYSTEM, Applies, MotionKind, Scope, declare
from frombelow.services.queries.bodies import councils_at, federation_at, member_bodies_at
from frombelow.services.record import append_entry


def apply_to_join(decision: Decision) -> None:
    """Apply to join a council, by the applicant's own carried decision."""
    motion = decision.motion
    assert motion is not None
    assert motion.other_body is not None
    body, council = decision.body, motion.other_body
    federation_at(clock.now()).join(body.slug, council.slug)  # refuses a cycle, or a repeat
    if Application.objects.filter(member_body=body, council=council, answer__isnull=True).exists():
        raise FederationError(
            "%(body)r has already applied to %(council)r", body=body.slug, council=council.slug
        )
    Application.objects.create(
        member_body=body, council=council, decision=decision, applied_at=clock.now()
    )
    append_entry(
        actor=SYSTEM,
        action="application.made",
        subject=f"body:{council.slug}",
        body=body,
        data={"council": council.slug, "decision": decision.pk},
    )


def answer_application(decision: Decision) -> None:
    """Accept (carried) or refuse (lost) a body's application, by the council's decision."""
    motion = decision.motion
    assert motion is not None
    assert motion.other_body is not None
    council, body = decision.body, motion.other_body
    application = (
        Application.objects.select_for_update()
        .filter(member_body=body, council=council, answer__isnull=True)
        .first()
    )
    if application is None:
        raise FederationError(
            "%(body)r has no open application to %(council)r", body=body.slug, council=council.slug
        )
    application.answer = decision
    application.save(update_fields=["answer"])
    if decision.outcome != Decision.Outcome.CARRIED:
        append_entry(
            actor=SYSTEM,
            action="application.refused",
            subject=f"body:{body.slug}",
            body=council,
            data={"decision": decision.pk, "outcome": decision.outcome},
        )
        return
    now = clock.now()
    # The graph may have changed since the application: refuse a cycle again.
    federation_at(now).join(body.slug, council.slug)
    Affiliation.objects.create(member_body=body, council=council, joined_at=now)
    append_entry(
        actor=SYSTEM,
        action="body.joined",
        subject=f"body:{body.slug}",
        body=council,
        data={"application": application.decision_id, "acceptance": decision.pk},
    )


def _end_affiliation(body: Body, council: Body) -> None:
    affiliation = (
        Affiliation.objects.select_for_update()
        .filter(member_body=body, council=council, left_at__isnull=True)
        .first()
    )
    if affiliation is None:
        raise FederationError(
            "%(body)r is not a member body of %(council)r", body=body.slug, council=council.slug
        )
    affiliation.left_at = clock.now()
    affiliation.save(update_fields=["left_at"])


def leave_council(decision: Decision) -> None:
    """Leave a council by the member body's own carried decision, which needs no one's leave."""
    motion = decision.motion
    assert motion is not None
    assert motion.other_body is not None
    _end_affiliation(decision.body, motion.other_body)
    append_entry(
        actor=SYSTEM,
        action="body.left",
        subject=f"body:{decision.body.slug}",
        body=motion.other_body,
        data={"decision": decision.pk},
    )


def expel_member_body(decision: Decision) -> None:
    """End a member body's membership by the council's carried decision on a replied charge."""
    motion = decision.motion
    assert motion is not None
    assert motion.other_body is not None
    assert motion.charge is not None
    _end_affiliation(motion.other_body, decision.body)
    append_entry(
        actor=SYSTEM,
        action="body.expelled",
        subject=f"body:{motion.other_body.slug}",
        body=decision.body,
        data={
            "decision": decision.pk,
            "charge": motion.charge.pk,
            # None: the accused let the time to reply pass without a word (`charges`).
            "reply": reply.pk if (reply := reply_of(motion.charge)) else None,
        },
    )


def _check_council(motion: Motion) -> Body:
    council = motion.other_body
    assert council is not None
    if council.kind != Body.Kind.COUNCIL:
        raise FederationError(
            "%(council)r is an assembly: only councils have member bodies", council=council.slug
        )
    return council


def _is_member_body(body: Body, council: Body) -> bool:
    return councils_at(body, clock.now()).filter(pk=council.pk).exists()


def _check_joining(motion: Motion) -> None:
    body, council = motion.body, _check_council(motion)
    if _is_member_body(body, council):
        raise FederationError(
            "%(body)r is already a member body of %(council)r",
            body=body.slug,
            council=council.slug,
        )
    # Refuse a cycle now rather than after two votes.
    federation_at(clock.now()).join(body.slug, council.slug)


def _check_leaving(motion: Motion) -> None:
    body, council = motion.body, _check_council(motion)
    if not _is_member_body(body, council):
        raise FederationError(
            "%(body)r is not a member body of %(council)r", body=body.slug, council=council.slug
        )


def _check_acceptance(motion: Motion) -> None:
    assert motion.other_body is not None
    if not Application.objects.filter(
        member_body=motion.other_body, council=motion.body, answer__isnull=True
    ).exists():
        raise FederationError(
            "%(body)s has not decided to join %(council)r: a body joins by its own decision first",
            body=motion.other_body.name,
            council=motion.body.slug,
        )


def _check_expulsion(motion: Motion) -> None:
    accused, council = motion.other_body, motion.body
    assert accused is not None
    check_charge(motion.charge, council, accused_body=accused)
    if not member_bodies_at(council, clock.now()).filter(pk=accused.pk).exists():
        raise FederationError(
            "%(body)s is not a member body of %(council)r",
            body=accused.name,
            council=council.slug,
        )


declare(
    MotionKind(
        Motion.Kind.JOIN_COUNCIL,
        targets=frozenset({"other_body"}),
        check=_check_joining,
        effect=apply_to_join,
    ),
    MotionKind(
        Motion.Kind.ACCEPT_MEMBER_BODY,
        targets=frozenset({"other_body"}),
        scope=Scope.COUNCIL,
        check=_check_acceptance,
        effect=answer_application,
        applies=Applies.WHATEVER_THE_OUTCOME,
    ),
    MotionKind(
        Motion.Kind.LEAVE_COUNCIL,
        targets=frozenset({"other_body"}),
        check=_check_leaving,
        effect=leave_council,
    ),
    MotionKind(
        Motion.Kind.EXPEL_MEMBER_BODY,
        targets=frozenset({"other_body", "charge"}),
        scope=Scope.COUNCIL,
        check=_check_expulsion,
        effect=expel_member_body,
    ),
)
