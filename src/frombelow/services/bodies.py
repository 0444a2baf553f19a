"""Founding bodies, and members joining and leaving them.

A member is admitted by the assembly's own decision (see `effects`) or by the membership officer
it elected, where its statute lets the officer admit; a member leaves by their own act alone.
No service here, or anywhere, dissolves, suspends, merges or edits another body.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import IntegrityError, transaction

from frombelow.core.errors import FederationError, StandingError, StatuteError
from frombelow.core.statutes import Statute
from frombelow.db.mapping import read_statute, statute_json
from frombelow.db.models import (
    Affiliation,
    Body,
    Decision,
    Member,
    Membership,
    Motion,
    StatuteVersion,
    Term,
    TermEnd,
)
from frombelow.services import clock
from frombelow.services.accounts import end_sessions
from frombelow.services.queries.bodies import is_member, statute_of
from frombelow.services.record import Actor, append_entry
from frombelow.services.standing import (
    MEMBERSHIP_OFFICER,
    as_member,
    require_officer,
    takes_part,
    terms_held,
)


@transaction.atomic(durable=True)
def register_member(*, actor: Actor, name: str, email: str = "") -> Member:
    """Register a person, who belongs to no body until a body admits them."""
    return register(actor=actor, name=name, email=email)


def register(*, actor: Actor, name: str, email: str = "") -> Member:
    """Register a person in the caller's transaction (an import registers many in one act)."""
    if not name.strip():
        raise StandingError("a member needs a name")
    member = Member.objects.create(name=name.strip(), email=email, created_at=clock.now())
    append_entry(actor=actor, action="member.registered", subject=f"member:{member.pk}", data={})
    return member


def _create_body(kind: str, name: str, slug: str, statute: Statute) -> Body:
    if not isinstance(statute, Statute):
        raise StatuteError(f"a body is founded with a Statute, not {statute!r}")
    if Body.objects.filter(slug=slug).exists():
        raise FederationError(f"there is already a body {slug!r}")
    now = clock.now()
    body = Body.objects.create(kind=kind, name=name, slug=slug, founded_at=now)
    StatuteVersion.objects.create(body=body, number=1, rules=statute_json(statute), adopted_at=now)
    return body


@transaction.atomic(durable=True)
def found_assembly(
    *, actor: Actor, name: str, slug: str, founders: Sequence[Member], statute: Statute
) -> Body:
    """Found an assembly: its founding members adopt its first statute and form its roll."""
    founder = as_member(actor, "founding an assembly")
    if founder not in founders:
        raise StandingError(f"{founder} cannot found an assembly without being among its founders")
    if len(set(founders)) != len(founders):
        raise StandingError("a founder is named twice")
    body = _create_body(Body.Kind.ASSEMBLY, name, slug, statute)
    Membership.objects.bulk_create(
        Membership(member=m, assembly=body, joined_at=body.founded_at) for m in founders
    )
    append_entry(
        actor=actor,
        action="body.founded",
        subject=f"body:{body.slug}",
        body=body,
        data={
            "kind": body.kind,
            "name": name,
            "founders": [f"member:{m.pk}" for m in founders],
            "statute": statute_json(statute),
        },
    )
    return body


@transaction.atomic(durable=True)
def found_council(
    *, actor: Actor, name: str, slug: str, decisions: Sequence[Decision], statute: Statute
) -> Body:
    """Found a council from its founding member bodies' own carried decisions to found it.

    Each decision is a carried "found-council" motion of one founding body naming this slug.
    """
    founder = as_member(actor, "founding a council")
    bodies: list[Body] = []
    for decision in decisions:
        motion = decision.motion
        if (
            motion is None
            or motion.kind != Motion.Kind.FOUND_COUNCIL
            or decision.outcome != Decision.Outcome.CARRIED
            or motion.details.get("slug") != slug
        ):
            raise StandingError(
                f"decision {decision.pk} is not a carried decision to found the council {slug!r}"
            )
        if read_statute(motion.details.get("statute")) != statute:
            raise StatuteError(
                f"{decision.body.slug!r} decided to found {slug!r} under another statute"
            )
        bodies.append(decision.body)
    if len(bodies) < 2 or len(set(bodies)) != len(bodies):
        raise FederationError("a council is founded by at least two different member bodies")
    now = clock.now()
    if not any(takes_part(founder, b, now) for b in bodies):
        raise StandingError(f"{founder} takes part in none of the founding bodies")
    council = _create_body(Body.Kind.COUNCIL, name, slug, statute)
    Affiliation.objects.bulk_create(
        Affiliation(member_body=b, council=council, joined_at=council.founded_at) for b in bodies
    )
    append_entry(
        actor=actor,
        action="body.founded",
        subject=f"body:{slug}",
        body=council,
        data={
            "kind": council.kind,
            "name": name,
            "founders": [b.slug for b in bodies],
            "decisions": [d.pk for d in decisions],
            "statute": statute_json(statute),
        },
    )
    return council


def admit(
    *,
    actor: Actor,
    assembly: Body,
    member: Member,
    by: str,
    decision: Decision | None,
    member_number: str = "",
) -> Membership:
    """Put the member on the assembly's roll (the shared step of every way of admitting)."""
    if assembly.kind != Body.Kind.ASSEMBLY:
        raise FederationError(f"{assembly.slug!r} is a council: its members are bodies")
    now = clock.now()
    if is_member(member, assembly, now):
        raise FederationError(f"{member} is already a member of {assembly.slug!r}")
    try:
        with transaction.atomic():
            membership = Membership.objects.create(
                member=member, assembly=assembly, joined_at=now, member_number=member_number
            )
    except IntegrityError:
        raise FederationError(f"{member} is already a member of {assembly.slug!r}") from None
    append_entry(
        actor=actor,
        action="member.admitted",
        subject=f"member:{member.pk}",
        body=assembly,
        data={"by": by, "decision": decision.pk if decision else None},
    )
    return membership


def require_admitting_officer(actor: Actor, assembly: Body, what: str) -> Member:
    """Return the acting member if they are the assembly's membership officer and may admit."""
    member = require_officer(actor, assembly, MEMBERSHIP_OFFICER, clock.now(), what)
    if not statute_of(assembly).officer_admits_members:
        raise StandingError(
            f"the statute of {assembly.slug!r} does not let its membership officer admit members: "
            "the assembly admits them by its own decision"
        )
    return member


@transaction.atomic(durable=True)
def admit_member(*, actor: Actor, assembly: Body, member: Member) -> Membership:
    """Admit a member as the assembly's elected membership officer, where its statute allows."""
    require_admitting_officer(actor, assembly, "admitting a member")
    return admit(
        actor=actor, assembly=assembly, member=member, by="membership officer", decision=None
    )


@transaction.atomic(durable=True)
def leave_assembly(*, actor: Actor, assembly: Body) -> Membership:
    """Leave an assembly: the member's own act, always allowed; their terms in it end."""
    member = as_member(actor, "leaving an assembly")
    now = clock.now()
    membership = (
        Membership.objects.select_for_update()
        .filter(member=member, assembly=assembly, left_at__isnull=True)
        .first()
    )
    if membership is None:
        raise FederationError(f"{member} is not a member of {assembly.slug!r}")
    membership.left_at = now
    membership.save(update_fields=["left_at"])
    ended = end_terms_in(member, assembly, TermEnd.Reason.RESIGNATION)
    end_sessions(member)
    append_entry(
        actor=actor,
        action="member.left",
        subject=f"member:{member.pk}",
        body=assembly,
        data={"terms_ended": ended},
    )
    return membership


def end_terms_in(member: Member, body: Body, reason: str) -> list[int]:
    """Cut short the member's terms held in the body, seating substitutes; return their ids."""
    from frombelow.services.elections import vacate  # elections admit through this module

    held = list(Term.objects.filter(terms_held(clock.now()), body=body, holder=member))
    for term in held:
        vacate(term, reason)
    return [term.pk for term in held]
