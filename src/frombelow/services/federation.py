"""Free association: a body joins a council by its own decision and the council's acceptance,
leaves by its own decision alone, and is expelled only by the council's decision on a stated
charge after its written reply. Each function here is the effect of such a carried decision.
"""

from __future__ import annotations

from django.db import transaction

from frombelow.core.errors import FederationError
from frombelow.db.models import Affiliation, Application, Body, Decision
from frombelow.services import clock
from frombelow.services.queries.bodies import federation_at
from frombelow.services.record import Actor, append_entry


@transaction.atomic
def apply_to_join(*, actor: Actor, decision: Decision) -> Application:
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
    application = Application.objects.create(
        member_body=body, council=council, decision=decision, applied_at=clock.now()
    )
    append_entry(
        actor=actor,
        action="application.made",
        subject=f"body:{council.slug}",
        body=body,
        data={"council": council.slug, "decision": decision.pk},
    )
    return application


@transaction.atomic
def answer_application(*, actor: Actor, decision: Decision) -> Affiliation | None:
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
            actor=actor,
            action="application.refused",
            subject=f"body:{body.slug}",
            body=council,
            data={"decision": decision.pk, "outcome": decision.outcome},
        )
        return None
    now = clock.now()
    # The graph may have changed since the application: refuse a cycle again.
    federation_at(now).join(body.slug, council.slug)
    affiliation = Affiliation.objects.create(member_body=body, council=council, joined_at=now)
    append_entry(
        actor=actor,
        action="body.joined",
        subject=f"body:{body.slug}",
        body=council,
        data={"application": application.decision_id, "acceptance": decision.pk},
    )
    return affiliation


def _end_affiliation(body: Body, council: Body) -> Affiliation:
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
    return affiliation


@transaction.atomic
def leave_council(*, actor: Actor, decision: Decision) -> Affiliation:
    """Leave a council by the member body's own carried decision, which needs no one's leave."""
    motion = decision.motion
    assert motion is not None
    assert motion.other_body is not None
    affiliation = _end_affiliation(decision.body, motion.other_body)
    append_entry(
        actor=actor,
        action="body.left",
        subject=f"body:{decision.body.slug}",
        body=motion.other_body,
        data={"decision": decision.pk},
    )
    return affiliation


@transaction.atomic
def expel_member_body(*, actor: Actor, decision: Decision) -> Affiliation:
    """End a member body's membership by the council's carried decision on a replied charge."""
    motion = decision.motion
    assert motion is not None
    assert motion.other_body is not None
    assert motion.charge is not None
    affiliation = _end_affiliation(motion.other_body, decision.body)
    append_entry(
        actor=actor,
        action="body.expelled",
        subject=f"body:{motion.other_body.slug}",
        body=decision.body,
        data={
            "decision": decision.pk,
            "charge": motion.charge.pk,
            "reply": motion.charge.reply.pk,
        },
    )
    return affiliation
