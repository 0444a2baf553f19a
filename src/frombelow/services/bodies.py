"""Founding bodies, and members joining and leaving them.

A member is admitted by the assembly's own decision (the admit-member kind, declared here) or by
the membership officer it elected, where its statute lets the officer admit; a member leaves by
their own act alone.
No service here, or anywhere, dissolves, suspends, merges or edits another body.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from frombelow.core.errors import DecisionError, FederationError, StandingError, StatuteError
from frombelow.core.statutes import Statute
from frombelow.db.mapping import read_statute, statute_json
from frombelow.db.models import (
    Affiliation,
    Body,
    Decision,
    Member,
    Membership,
    MembershipApplication,
    Motion,
    StatuteVersion,
    Term,
    TermEnd,
)
from frombelow.services import clock, invites
from frombelow.services.accounts import end_sessions
from frombelow.services.council_foundings import carried_foundings, council_founding
from frombelow.services.elections import vacate
from frombelow.services.motion_kinds import SYSTEM, Applies, MotionKind, Scope, declare
from frombelow.services.queries.bodies import is_member, memberships_at, statute_of
from frombelow.services.record import Actor, NewEntry, append_entries, append_entry
from frombelow.services.standing import (
    MEMBERSHIP_OFFICER,
    as_member,
    require_officer,
    takes_part,
    terms_held,
)


# Not durable: it is also the last step of an open sign-up (services/sign_up), in its act.
@transaction.atomic
def register_member(*, actor: Actor, name: str, email: str = "") -> Member:
    """Register a person, who belongs to no body until a body admits them."""
    return register(actor=actor, name=name, email=email)


def register(*, actor: Actor, name: str, email: str = "") -> Member:
    """Register a person in the caller's transaction (an import registers many in one act)."""
    (member,) = register_all(actor=actor, people=[(name, email)])
    return member


# Not durable: it is also the step of convening a founding that registers the founders invited
# by an address no one has yet (services/founding), in that act.
@transaction.atomic
def register_members(
    *, actor: Actor, names: Sequence[str], emails: Sequence[str] = ()
) -> list[Member]:
    """Register many people in one act, one record entry each, in the order given.

    `emails`, if given, holds each one's address, in the same order.
    """
    if emails and len(emails) != len(names):
        raise StandingError("each person registered needs their address, or none of them does")
    addresses = list(emails) or [""] * len(names)
    return register_all(actor=actor, people=list(zip(names, addresses, strict=True)))


def register_all(*, actor: Actor, people: Sequence[tuple[str, str]]) -> list[Member]:
    """Register each (name, e-mail) in the caller's transaction: all of them, or none."""
    for n, (name, _) in enumerate(people, start=1):
        if not name.strip():
            if len(people) > 1:
                raise StandingError(
                    "a member needs a name (person %(n)s of %(count)s)", n=n, count=len(people)
                )
            raise StandingError("a member needs a name")
    now = clock.now()
    members = Member.objects.bulk_create(
        Member(name=name.strip(), email=email, created_at=now) for name, email in people
    )
    append_entries([NewEntry(actor, "member.registered", f"member:{m.pk}", {}) for m in members])
    return members


def _create_body(kind: str, name: str, slug: str, statute: Statute) -> Body:
    if not isinstance(statute, Statute):
        raise StatuteError("a body is founded with a Statute, not %(statute)r", statute=statute)
    if Body.objects.filter(slug=slug).exists():
        raise FederationError("there is already a body %(slug)r", slug=slug)
    now = clock.now()
    body = Body.objects.create(kind=kind, name=name, slug=slug, founded_at=now)
    StatuteVersion.objects.create(body=body, number=1, rules=statute_json(statute), adopted_at=now)
    return body


# Not durable: the founder whose acceptance completes a founding founds it, in that act
# (services/founding.accept_founding), with only the founders who accepted.
@transaction.atomic
def found_assembly(
    *, actor: Actor, name: str, slug: str, founders: Sequence[Member], statute: Statute
) -> Body:
    """Found an assembly: its founding members adopt its first statute and form its roll."""
    founder = as_member(actor, "founding an assembly")
    if founder not in founders:
        raise StandingError(
            "%(founder)s cannot found an assembly without being among its founders",
            founder=founder.name,
        )
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


# Not durable: the decision that completes a founding founds the council as its effect, in the
# deciding act (`_found_when_all_decided`).
@transaction.atomic
def found_council(
    *, actor: Actor, name: str, slug: str, decisions: Sequence[Decision], statute: Statute
) -> Body:
    """Found a council from its founding member bodies' own carried decisions to found it.

    Each decision is a carried "found-council" motion of one founding body naming this slug. The
    system founds it when the last of them carries; a member of a founding body may found it
    from the decisions of bodies that named no founders.
    """
    founder = None if actor == SYSTEM else as_member(actor, "founding a council")
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
                "decision %(decision)s is not a carried decision to found the council %(slug)r",
                decision=decision.pk,
                slug=slug,
            )
        if read_statute(motion.details.get("statute")) != statute:
            raise StatuteError(
                "%(body)r decided to found %(slug)r under another statute",
                body=decision.body.slug,
                slug=slug,
            )
        bodies.append(decision.body)
    if len(bodies) < 2 or len(set(bodies)) != len(bodies):
        raise FederationError("a council is founded by at least two different member bodies")
    now = clock.now()
    if founder is not None and not any(takes_part(founder, b, now) for b in bodies):
        raise StandingError(
            "%(founder)s takes part in none of the founding bodies", founder=founder.name
        )
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


@dataclass(frozen=True)
class Admission:
    """One person to put on an assembly's roll, with the number the assembly knows them by."""

    member: Member
    member_number: str = ""


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
    (membership,) = admit_all(
        actor=actor,
        assembly=assembly,
        admissions=[Admission(member, member_number)],
        by=by,
        decision=decision,
    )
    return membership


def admit_all(
    *,
    actor: Actor,
    assembly: Body,
    admissions: Sequence[Admission],
    by: str,
    decision: Decision | None,
) -> list[Membership]:
    """Put every one of them on the roll in the caller's transaction: all of them, or none.

    One record entry per admission, as if each had been admitted alone.
    """
    if assembly.kind != Body.Kind.ASSEMBLY:
        raise FederationError("%(body)r is a council: its members are bodies", body=assembly.slug)
    seen: set[int] = set()
    for a in admissions:
        if a.member.pk in seen:
            raise FederationError(
                "%(member)s is named twice among those to admit", member=a.member.name
            )
        seen.add(a.member.pk)
    now = clock.now()
    on_roll = set(
        memberships_at(assembly, now).filter(member_id__in=seen).values_list("member_id", flat=True)
    )
    for a in admissions:
        if a.member.pk in on_roll:
            raise FederationError(
                "%(member)s is already a member of %(body)r",
                member=a.member.name,
                body=assembly.slug,
            )
    try:
        with transaction.atomic():
            memberships = Membership.objects.bulk_create(
                Membership(
                    member=a.member, assembly=assembly, joined_at=now, member_number=a.member_number
                )
                for a in admissions
            )
    except IntegrityError:
        # Another act admitted one of them since the check above.
        if len(admissions) == 1:
            raise FederationError(
                "%(member)s was admitted to %(body)r meanwhile: nothing was admitted",
                member=admissions[0].member.name,
                body=assembly.slug,
            ) from None
        raise FederationError(
            "one of them was admitted to %(body)r meanwhile: nothing was admitted",
            body=assembly.slug,
        ) from None
    # However they were admitted, the applications they made are answered.
    MembershipApplication.objects.filter(
        assembly=assembly, member_id__in=seen, closed_at__isnull=True
    ).update(outcome=MembershipApplication.Outcome.ADMITTED, closed_at=now, decision=decision)
    data = {"by": by, "decision": decision.pk if decision else None}
    append_entries(
        [
            NewEntry(actor, "member.admitted", f"member:{a.member.pk}", data, assembly)
            for a in admissions
        ]
    )
    # However they were admitted, members with an address get an account and an invitation to
    # set its password, due with the admission; `frombelow notify` sends it (services/invites).
    invites.prepare_accounts([a.member for a in admissions])
    return memberships


def require_admitting_officer(actor: Actor, assembly: Body, what: str) -> Member:
    """Return the acting member if they are the assembly's membership officer and may admit."""
    member = require_officer(actor, assembly, MEMBERSHIP_OFFICER, clock.now(), what)
    if not statute_of(assembly).officer_admits_members:
        raise StandingError(
            "the statute of %(body)r does not let its membership officer admit members: "
            "the assembly admits them by its own decision",
            body=assembly.slug,
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
def admit_members(
    *, actor: Actor, assembly: Body, admissions: Sequence[Admission]
) -> list[Membership]:
    """Admit a roll in one act as the assembly's membership officer: every one, or none."""
    require_admitting_officer(actor, assembly, "admitting members")
    if not admissions:
        raise FederationError("no one to admit to %(body)r", body=assembly.slug)
    return admit_all(
        actor=actor,
        assembly=assembly,
        admissions=admissions,
        by="membership officer",
        decision=None,
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
        raise FederationError(
            "%(member)s is not a member of %(body)r", member=member.name, body=assembly.slug
        )
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
    held = list(Term.objects.filter(terms_held(clock.now()), body=body, holder=member))
    for term in held:
        vacate(term, reason)
    return [term.pk for term in held]


def _check_admission(motion: Motion) -> None:
    assert motion.member is not None
    if is_member(motion.member, motion.body, clock.now()):
        raise FederationError(
            "%(member)s is already a member of %(body)r",
            member=motion.member.name,
            body=motion.body.slug,
        )
    # One admission of a person before the assembly at a time: two would split the vote on them.
    undecided = (Motion.Status.DRAFT, Motion.Status.SUBMITTED, Motion.Status.VOTING)
    if (
        Motion.objects.filter(
            body=motion.body,
            kind=Motion.Kind.ADMIT_MEMBER,
            member=motion.member,
            status__in=undecided,
        )
        .exclude(pk=motion.pk)
        .exists()
    ):
        raise DecisionError(
            "a motion to admit %(member)s is before %(body)r already",
            member=motion.member.name,
            body=motion.body.slug,
        )


def _decide_admission(decision: Decision) -> None:
    """Admit the member the assembly voted to admit; or answer their application: refused."""
    motion = decision.motion
    assert motion is not None
    assert motion.member is not None
    if decision.outcome == Decision.Outcome.CARRIED:
        admit(
            actor=SYSTEM,
            assembly=decision.body,
            member=motion.member,
            by="decision",
            decision=decision,
        )
        return
    application = MembershipApplication.objects.filter(
        assembly=decision.body, member=motion.member, closed_at__isnull=True
    ).first()
    if application is None:
        return  # an admission nobody applied for: nothing to answer
    application.outcome = MembershipApplication.Outcome.REFUSED
    application.closed_at = clock.now()
    application.decision = decision
    application.save(update_fields=["outcome", "closed_at", "decision"])
    append_entry(
        actor=SYSTEM,
        action="application.refused",
        subject=f"member:{motion.member.pk}",
        body=decision.body,
        data={"application": application.pk, "decision": decision.pk},
    )


def _check_founding(motion: Motion) -> None:
    founding = council_founding(motion.details)
    if founding.founders and motion.body.slug not in founding.founders:
        raise FederationError(
            "%(body)r decides to found a council only among its founders: %(founders)s",
            body=motion.body.slug,
            founders=", ".join(founding.founders),
        )


def _found_when_all_decided(decision: Decision) -> None:
    """Found the council once every founding body the motion names has carried the same motion.

    Each founding body consented to this council with these founders under this statute, and to
    nothing else; so the last decision to carry founds it, on behalf of them all, and nobody's act
    (nor anybody's inaction) stands between the bodies' decisions and their council.
    """
    motion = decision.motion
    assert motion is not None
    founding = council_founding(motion.details)
    if not founding.founders:
        return  # an older motion naming no founders: a member of one founds it (found_council)
    decisions = carried_foundings(founding)
    if len(decisions) < len(founding.founders):
        return  # another founding body has yet to decide
    found_council(
        actor=SYSTEM,
        name=founding.name,
        slug=founding.slug,
        decisions=decisions,
        statute=founding.statute,
    )


declare(
    MotionKind(
        Motion.Kind.ADMIT_MEMBER,
        targets=frozenset({"member"}),
        scope=Scope.ASSEMBLY,
        check=_check_admission,
        effect=_decide_admission,
        # A lost admission answers the application too: the applicant is told, not left waiting.
        applies=Applies.WHATEVER_THE_OUTCOME,
    ),
    # `found_council` reads the founding decisions; the last to carry founds the council.
    MotionKind(Motion.Kind.FOUND_COUNCIL, check=_check_founding, effect=_found_when_all_decided),
)
