"""The permission matrix's rows for founding and joining (test_permissions adds them to its own).

The rows they act on are made directly, as the matrix's other helpers make theirs, so that making
them is no act the matrix counts: a founding docks' member convened inviting its officer, an
application of the other body's member to docks, and docks' motion to found a council with the
mines.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from frombelow.core.statutes import Statute
from frombelow.db.mapping import statute_json
from frombelow.db.models import Founder, Founding, MembershipApplication, Motion
from frombelow.services import clock
from tests.api.conftest import World

OWN = {"anonymous": 401, "other": 200, "member": 200, "delegate": 200, "officer": 200}
READ = {"other": 403, "anonymous": 401, "member": 200, "delegate": 200, "officer": 200}
# Open sign-up is off by default: every caller, signed in or not, is told accounts come by
# invitation.
CLOSED = dict.fromkeys(("anonymous", "other", "member", "delegate", "officer"), 403)
_slugs = itertools.count()


def _founding(world: World) -> int:
    """Return a founding the member convened, inviting the officer, who has not answered."""
    row, made = Founding.objects.get_or_create(
        slug="calle",
        defaults={
            "name": "Calle",
            "rules": statute_json(Statute()),
            "convenor": world.member,
            "convened_at": clock.now(),
            "lapses_at": clock.now() + timedelta(days=30),
        },
    )
    if made:
        Founder.objects.create(
            founding=row, member=world.member, invited_at=clock.now(), accepted_at=clock.now()
        )
        Founder.objects.create(founding=row, member=world.officer, invited_at=clock.now())
    return row.pk


def _application(world: World) -> int:
    """Return the other body's member's open application to join docks."""
    row, _ = MembershipApplication.objects.get_or_create(
        member=world.other,
        assembly=world.docks,
        closed_at=None,
        defaults={"applied_at": clock.now()},
    )
    return row.pk


def _council_founding(world: World) -> int:
    """Return docks' draft motion to found a transport council with the mines."""
    row, _ = Motion.objects.get_or_create(
        body=world.docks,
        kind=Motion.Kind.FOUND_COUNCIL,
        title="Transport",
        defaults={
            "text": "Found it",
            "proposer": world.member,
            "created_at": clock.now(),
            "details": {
                "name": "Transport",
                "slug": "transport",
                "statute": statute_json(Statute()),
                "founders": ["docks", "mines"],
            },
        },
    )
    return row.pk


def _convening(world: World) -> dict[str, Any]:
    n = next(_slugs)
    return {
        "name": f"Calle {n}",
        "slug": f"calle-{n}",
        "rules": {"min_founders": 2},
        "founders": [{"name": "Berta", "email": f"berta{n}@example.org"}],
    }


def founding_rows(endpoint: Callable[..., Any]) -> dict[str, Any]:
    """Return the matrix's rows for founding and joining, each made by `endpoint` (its Endpoint)."""
    return {name: endpoint(*row) for name, row in ROWS.items()}


ROWS: dict[str, tuple[Any, ...]] = {
    "statute templates": ("GET", lambda w: "/statute-templates", OWN),
    "foundings": ("GET", lambda w: "/foundings", OWN),
    # Any person with an account convenes a founding: holding no office, in no body yet.
    "convene": (
        "POST",
        lambda w: "/foundings",
        {"anonymous": 401, "other": 201, "member": 201, "delegate": 201, "officer": 201},
        _convening,
    ),
    # Only those invited to it, the convenor among them, read a founding and answer.
    "founding": (
        "GET",
        lambda w: f"/foundings/{_founding(w)}",
        {"anonymous": 401, "other": 403, "delegate": 403, "member": 200, "officer": 200},
    ),
    "accept founding": (
        "POST",
        lambda w: f"/foundings/{_founding(w)}/accept",
        # The convenor accepted by convening; the officer was invited and accepts.
        {"anonymous": 401, "other": 403, "delegate": 403, "member": 409, "officer": 201},
    ),
    "decline founding": (
        "POST",
        lambda w: f"/foundings/{_founding(w)}/decline",
        {"anonymous": 401, "other": 403, "delegate": 403, "member": 409, "officer": 201},
    ),
    # Its convenor alone invites more founders to it, or abandons it; those invited answer.
    "invite founders": (
        "POST",
        lambda w: f"/foundings/{_founding(w)}/founders",
        {"anonymous": 401, "other": 403, "delegate": 403, "officer": 403, "member": 201},
        lambda w: {"founders": [{"name": "Nuria Vega", "email": "nuria@example.org"}]},
    ),
    "abandon founding": (
        "POST",
        lambda w: f"/foundings/{_founding(w)}/abandon",
        {"anonymous": 401, "other": 403, "delegate": 403, "officer": 403, "member": 201},
    ),
    "propose council founding": (
        "POST",
        lambda w: "/bodies/docks/council-foundings",
        {"anonymous": 401, "other": 403, "member": 201, "delegate": 201, "officer": 201},
        lambda w: {"name": "Transport", "slug": "transport", "founders": ["docks", "mines"]},
    ),
    # The members of every founding body read a council's founding: docks' and the mines'.
    "council founding": (
        "GET",
        lambda w: f"/council-foundings/{_council_founding(w)}",
        {"anonymous": 401, "other": 200, "member": 200, "delegate": 200, "officer": 200},
    ),
    "second council founding": (
        "POST",
        lambda w: f"/council-foundings/{_council_founding(w)}/motions",
        # The mines' member proposes it to the mines; docks' members take no part there.
        {"anonymous": 401, "member": 403, "delegate": 403, "officer": 403, "other": 201},
        lambda w: {"body": "mines"},
    ),
    "assemblies": ("GET", lambda w: "/assemblies", OWN),
    "my applications": ("GET", lambda w: "/applications", OWN),
    "apply": (
        "POST",
        lambda w: "/bodies/docks/applications",
        # Docks' members are members already.
        {"anonymous": 401, "member": 422, "delegate": 422, "officer": 422, "other": 201},
        lambda w: {"statement": "I work at the docks"},
    ),
    "applications": ("GET", lambda w: "/bodies/docks/applications", READ),
    "withdraw application": (
        "POST",
        lambda w: f"/applications/{_application(w)}/withdraw",
        # Withdrawing is the applicant's own act.
        {"anonymous": 401, "member": 403, "delegate": 403, "officer": 403, "other": 200},
    ),
    "admit applicant": (
        "POST",
        lambda w: f"/applications/{_application(w)}/admit",
        # Docks' statute lets its elected membership officer admit: the officer alone.
        {"anonymous": 401, "other": 403, "member": 403, "delegate": 403, "officer": 201},
    ),
    "admit applicants": (
        "POST",
        lambda w: "/bodies/docks/admissions",
        {"anonymous": 401, "other": 403, "member": 403, "delegate": 403, "officer": 201},
        lambda w: {"applications": [_application(w)]},
    ),
    "propose admission": (
        "POST",
        lambda w: f"/applications/{_application(w)}/motion",
        # A member proposes it to docks' vote; one admission of a person is before it at a time.
        {"anonymous": 401, "other": 403, "member": 201, "delegate": 409, "officer": 409},
    ),
    "leave": (
        "POST",
        lambda w: "/bodies/docks/leave",
        # Leaving is every member's own act; the other body's member is no member of docks.
        {"anonymous": 401, "other": 422, "member": 200, "delegate": 200, "officer": 200},
    ),
    "sign up": (
        "POST",
        lambda w: "/sign-up",
        CLOSED,
        lambda w: {"name": "Ana", "email": "a@example.org"},
    ),
    "confirm sign up": (
        "POST",
        lambda w: "/sign-up/confirm",
        CLOSED,
        lambda w: {"token": "x", "password": "a long passphrase 1"},
    ),
}
