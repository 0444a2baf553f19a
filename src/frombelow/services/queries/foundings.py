"""Reads about foundings and applications to join: whose they are, where each stands."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import QuerySet

from frombelow.core.statutes import Statute
from frombelow.db.mapping import read_statute, statute_json
from frombelow.db.models import Body, Founder, Founding, Member, MembershipApplication, Motion
from frombelow.services.council_foundings import CouncilFounding, founding_motions, read_founding
from frombelow.services.queries.bodies import current
from frombelow.services.queries.lookup import NotFoundError, one


@dataclass(frozen=True)
class FoundingState:
    """A founding as a reader sees it: its statute, its founders' answers, where it stands."""

    founding: Founding
    statute: Statute
    founders: list[Founder]
    accepted: int
    status: str  # "open", "founded" or "lapsed"

    @property
    def needed(self) -> int:
        """Return how many more founders must accept before the assembly exists."""
        return max(self.statute.min_founders - self.accepted, 0)


def founding_with_id(pk: int) -> Founding:
    """Return the founding with this id, or say there is none."""
    return one(Founding.objects.select_related("convenor", "body"), pk)


def founding_status(founding: Founding, at: datetime) -> str:
    """Say where the founding stands at `at`: founded, lapsed, or open to its founders' answers."""
    if founding.body_id is not None:
        return "founded"
    return "lapsed" if founding.lapses_at <= at else "open"


def founding_state(founding: Founding, at: datetime) -> FoundingState:
    """Return the founding with its statute and every founder's answer."""
    founders = list(founding.founders.select_related("member").order_by("invited_at", "pk"))
    return FoundingState(
        founding=founding,
        statute=read_statute(founding.rules),
        founders=founders,
        accepted=sum(1 for f in founders if f.accepted_at is not None),
        status=founding_status(founding, at),
    )


def is_founder_of(member: Member, founding: Founding) -> bool:
    """Tell whether the member was invited to the founding (the convenor is its first founder)."""
    return founding.founders.filter(member=member).exists()


def foundings_of(member: Member) -> QuerySet[Founding]:
    """Return the foundings the member convened or was invited to, newest first."""
    return (
        Founding.objects.filter(founders__member=member)
        .select_related("convenor", "body")
        .distinct()
        .order_by("-convened_at", "-pk")
    )


def invitation_of(member: Member, founding: Founding) -> Founder | None:
    """Return the member's invitation to the founding, if they have one."""
    return Founder.objects.filter(founding=founding, member=member).first()


def application_with_id(pk: int) -> MembershipApplication:
    """Return the application to join with this id, or say there is none."""
    return one(MembershipApplication.objects.select_related("member", "assembly", "decision"), pk)


def open_applications(assembly: Body) -> QuerySet[MembershipApplication]:
    """Return the applications to join the assembly that no one has answered, oldest first."""
    return (
        MembershipApplication.objects.filter(assembly=assembly, closed_at__isnull=True)
        .select_related("member")
        .order_by("applied_at", "pk")
    )


def applications_of(member: Member) -> QuerySet[MembershipApplication]:
    """Return the member's applications to join assemblies, newest first."""
    return (
        MembershipApplication.objects.filter(member=member)
        .select_related("assembly", "decision")
        .order_by("-applied_at", "-pk")
    )


def admission_motion(application: MembershipApplication) -> Motion | None:
    """Return the latest motion to admit the applicant that the assembly has before it."""
    return (
        Motion.objects.filter(
            body=application.assembly_id,
            kind=Motion.Kind.ADMIT_MEMBER,
            member=application.member_id,
            created_at__gte=application.applied_at,
        )
        .order_by("-pk")
        .first()
    )


@dataclass(frozen=True)
class Joinable:
    """An assembly a person may apply to, and where they stand with it."""

    body: Body
    member: bool
    applied: MembershipApplication | None


def assemblies_to_join(member: Member, at: datetime) -> list[Joinable]:
    """Return every assembly by name, and whether the member is in it or has applied."""
    mine = set(member.memberships.filter(current(at)).values_list("assembly_id", flat=True))
    pending = {
        a.assembly_id: a
        for a in MembershipApplication.objects.filter(member=member, closed_at__isnull=True)
    }
    return [
        Joinable(body=b, member=b.pk in mine, applied=pending.get(b.pk))
        for b in Body.objects.filter(kind=Body.Kind.ASSEMBLY).order_by("name", "pk")
    ]


@dataclass(frozen=True)
class FoundingBody:
    """A founding body of a council, and where its decision to found it stands."""

    slug: str
    motion: Motion | None  # its latest motion proposing this very council
    status: str  # "none", the motion's status, or once decided its decision's outcome


@dataclass(frozen=True)
class CouncilFoundingState:
    """A council some bodies propose to found, each founding body's decision, the council."""

    founding: CouncilFounding
    rules: dict[str, Any]
    bodies: list[FoundingBody]
    council: Body | None  # once founded


def council_founding_state(motion: Motion) -> CouncilFoundingState:
    """Return the council a founding motion proposes, and where each founding body stands."""
    if motion.kind != Motion.Kind.FOUND_COUNCIL or not motion.details.get("founders"):
        raise NotFoundError(f"motion {motion.pk} proposes no council with named founders")
    founding = read_founding(motion.details)
    latest: dict[str, Motion] = {}
    for proposed in founding_motions(founding):
        latest.setdefault(proposed.body.slug, proposed)
    bodies = []
    for slug in founding.founders:
        found = latest.get(slug)
        status = "none" if found is None else found.status
        if found is not None and found.status == Motion.Status.DECIDED:
            decision = found.decisions.order_by("-pk").first()
            status = decision.outcome if decision else status
        bodies.append(FoundingBody(slug, found, status))
    council = Body.objects.filter(slug=founding.slug, kind=Body.Kind.COUNCIL).first()
    return CouncilFoundingState(
        founding=founding,
        rules=statute_json(founding.statute),
        bodies=bodies,
        council=council,
    )


def applications_to(assembly: Body, ids: list[int]) -> list[MembershipApplication]:
    """Return the assembly's open applications with these ids, refusing an id that is none."""
    rows = {a.pk: a for a in open_applications(assembly).filter(pk__in=ids)}
    missing = [pk for pk in ids if pk not in rows]
    if missing:
        raise NotFoundError(f"there is no open application {missing[0]} to {assembly.slug}")
    return [rows[pk] for pk in ids]


def council_foundings_naming(body: Body, recent: int = 50) -> list[Motion]:
    """Return one motion per council whose founding names the body and is not founded yet."""
    proposed = Motion.objects.filter(kind=Motion.Kind.FOUND_COUNCIL).exclude(
        status=Motion.Status.WITHDRAWN
    )
    taken = set(Body.objects.values_list("slug", flat=True))
    found: dict[tuple[str, str, tuple[str, ...]], Motion] = {}
    for motion in proposed.select_related("body").order_by("-pk")[:recent]:
        named = motion.details.get("founders")
        slug = motion.details.get("slug")
        if not isinstance(named, list) or body.slug not in named or slug in taken:
            continue
        key = (str(slug), str(motion.details.get("name")), tuple(sorted(named)))
        found.setdefault(key, motion)
    return list(found.values())
