"""A person applies to join an assembly; the assembly decides, or its elected membership officer.

MODEL 1: joining a body is decided by that body, by its vote (a motion of kind admit-member, which
answers the application either way) or by the membership officer it elected, where its statute
lets the officer admit (`bodies.admit_member`). The officer admits and never refuses alone: only
the assembly's vote refuses. The applicant may withdraw while no one has answered; a member leaves
by their own act, always (`bodies.leave_assembly`).
"""

from __future__ import annotations

from django.db import IntegrityError, transaction

from frombelow.core.errors import DecisionError, FederationError, StandingError
from frombelow.db.models import Body, MembershipApplication
from frombelow.services import clock
from frombelow.services.queries.bodies import is_member
from frombelow.services.record import Actor, append_entry
from frombelow.services.refusals import choice
from frombelow.services.standing import as_member

# The longest statement an applicant gives, in characters: a letter, not a book.
STATEMENT_LENGTH = 4000


@transaction.atomic(durable=True)
def apply_to_join(*, actor: Actor, assembly: Body, statement: str = "") -> MembershipApplication:
    """Apply to join an assembly, with a statement its members read before they decide."""
    member = as_member(actor, "applying to join an assembly")
    if assembly.kind != Body.Kind.ASSEMBLY:
        raise FederationError(
            "%(body)r is a council: its members are bodies, and people join its assemblies",
            body=assembly.slug,
        )
    statement = statement.strip()
    if len(statement) > STATEMENT_LENGTH:
        raise DecisionError(
            "an application's statement is at most %(most)s characters, not %(length)s",
            most=STATEMENT_LENGTH,
            length=len(statement),
        )
    now = clock.now()
    if is_member(member, assembly, now):
        raise FederationError(
            "%(member)s is already a member of %(body)r", member=member.name, body=assembly.slug
        )
    try:
        with transaction.atomic():
            application = MembershipApplication.objects.create(
                member=member, assembly=assembly, statement=statement, applied_at=now
            )
    except IntegrityError:
        raise DecisionError(
            "%(member)s has applied to join %(body)r already",
            member=member.name,
            body=assembly.slug,
        ) from None
    append_entry(
        actor=member,
        action="member.applied",
        subject=f"member:{member.pk}",
        body=assembly,
        data={"application": application.pk, "statement": statement},
    )
    return application


@transaction.atomic(durable=True)
def withdraw_application(
    *, actor: Actor, application: MembershipApplication
) -> MembershipApplication:
    """Withdraw one's own application while it is open."""
    member = as_member(actor, "withdrawing an application")
    application = MembershipApplication.objects.select_for_update().get(pk=application.pk)
    if application.member_id != member.pk:
        raise StandingError("withdrawing an application is the applicant's own act")
    if application.closed_at is not None:
        raise DecisionError(
            "this application was answered already: %(outcome)s",
            outcome=choice(MembershipApplication.Outcome, application.outcome),
        )
    application.outcome = MembershipApplication.Outcome.WITHDRAWN
    application.closed_at = clock.now()
    application.save(update_fields=["outcome", "closed_at"])
    append_entry(
        actor=member,
        action="application.withdrawn",
        subject=f"member:{member.pk}",
        body=application.assembly,
        data={"application": application.pk},
    )
    return application
