"""What a motion to found a council proposes, read from its details, and who has decided it.

Each founding body decides the same motion: the council's name and slug, its first statute, and
its founding bodies. The details are checked when the motion is proposed (`bodies`' kind check)
and compared when the council is founded: a body that decided another statute, other founders or
another name decided another council.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from frombelow.core.errors import DecisionError, DomainError, FederationError, StatuteError
from frombelow.core.statutes import Statute
from frombelow.db.mapping import Json, read_statute, statute_json
from frombelow.db.models import Body, Decision, Motion

# A slug as a page's address takes it: lower-case letters and digits, joined by single hyphens.
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
SLUG_LENGTH = 100
NAME_LENGTH = 200


@dataclass(frozen=True)
class CouncilFounding:
    """A council some bodies propose to found together."""

    name: str
    slug: str
    statute: Statute
    founders: tuple[str, ...]  # the founding bodies' slugs, sorted; empty in older motions


def check_slug(slug: object) -> str:
    """Return the slug if a new body may take it, refusing one no address takes or one taken.

    A name or slug that cannot be is refused as bad input (a plain `DomainError`), not as an act
    the state of things refuses now.
    """
    if not isinstance(slug, str) or len(slug) > SLUG_LENGTH or not SLUG.fullmatch(slug):
        raise DomainError(
            "%(slug)r is no body's short name: use lower-case letters, digits and hyphens",
            slug=slug,
        )
    if Body.objects.filter(slug=slug).exists():
        raise FederationError("there is already a body %(slug)r", slug=slug)
    return slug


def check_name(name: object) -> str:
    """Return the name stripped, refusing an empty or overlong one."""
    if not isinstance(name, str) or not name.strip():
        raise DomainError("a new body needs a name")
    if len(name.strip()) > NAME_LENGTH:
        raise DomainError("a body's name is at most %(most)s characters", most=NAME_LENGTH)
    return name.strip()


def read_founding(details: Mapping[str, Any]) -> CouncilFounding:
    """Read what a motion to found a council proposes, refusing details that say nothing clear."""
    statute = read_statute(details.get("statute"))
    slug = details.get("slug")
    if not slug or not isinstance(slug, str):
        raise DecisionError("a motion to found a council names the council's slug")
    named = details.get("founders")
    if named is None:
        # Older motions named only the slug and statute; the council took its slug for a name.
        return CouncilFounding(str(details.get("name") or slug), slug, statute, ())
    if not isinstance(named, list) or not all(isinstance(s, str) for s in named):
        raise DecisionError("a council's founding bodies are named by their short names")
    founders = tuple(sorted(set(named)))
    if len(founders) < 2 or len(founders) != len(named):
        raise FederationError("a council is founded by at least two different member bodies")
    return CouncilFounding(check_name(details.get("name")), slug, statute, founders)


def council_founding(details: Mapping[str, Any]) -> CouncilFounding:
    """Read what a motion to found a council proposes, and check that it can be founded now."""
    founding = read_founding(details)
    if founding.founders:
        check_slug(founding.slug)
        known = set(Body.objects.filter(slug__in=founding.founders).values_list("slug", flat=True))
        missing = [s for s in founding.founders if s not in known]
        if missing:
            raise FederationError("there is no body %(slug)r", slug=missing[0])
    return founding


def founding_details(
    *, name: str, slug: str, statute: Statute, founders: Sequence[Body | str]
) -> Json:
    """Return the details of a motion to found a council, checked as its proposal will be."""
    details: Json = {
        "name": name.strip(),
        "slug": slug,
        "statute": statute_json(statute),
        "founders": sorted({b if isinstance(b, str) else b.slug for b in founders}),
    }
    council_founding(details)
    return details


def same_founding(details: Mapping[str, Any], founding: CouncilFounding) -> bool:
    """Tell whether a motion's details propose this very council, as its founders named it."""
    try:
        return read_founding(details) == founding
    except (DecisionError, FederationError, StatuteError):
        return False


def founding_motions(founding: CouncilFounding) -> list[Motion]:
    """Return every founding body's motions proposing this council, newest first."""
    candidates = Motion.objects.filter(
        kind=Motion.Kind.FOUND_COUNCIL,
        body__slug__in=founding.founders,
        details__slug=founding.slug,
    ).select_related("body")
    return [m for m in candidates.order_by("-pk") if same_founding(m.details, founding)]


def carried_foundings(founding: CouncilFounding) -> list[Decision]:
    """Return one carried decision in force per founding body that decided to found it.

    A decision is in force once carried, or, for a provisional one, once ratified.
    """
    carried = (
        Decision.objects.filter(
            Q(provisional=False) | Q(ratified__isnull=False),
            outcome=Decision.Outcome.CARRIED,
            motion__kind=Motion.Kind.FOUND_COUNCIL,
            body__slug__in=founding.founders,
            motion__details__slug=founding.slug,
        )
        .select_related("body", "motion")
        .order_by("-pk")
    )
    by_body: dict[str, Decision] = {}
    for decision in carried:
        assert decision.motion is not None
        if decision.body.slug not in by_body and same_founding(decision.motion.details, founding):
            by_body[decision.body.slug] = decision
    return [by_body[s] for s in founding.founders if s in by_body]
