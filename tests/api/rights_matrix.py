"""The permission matrix's rows for petitions, tendencies and due process (test_permissions adds
them to its own).

The rows they act on are made directly, as the matrix's other helpers make theirs, so that making
them is no act the matrix counts: a tendency the officer adheres to, a charge the officer filed
against the member, the member's suspension on it (resting on docks' decision of the world), and
the member's appeal of it to the federation.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from frombelow.db.models import Adherence, Appeal, Charge, Sanction, Tendency
from frombelow.services import clock
from tests.api.conftest import World

OWN = {"anonymous": 401, "other": 200, "member": 200, "delegate": 200, "officer": 200}
READ = {"other": 403, "anonymous": 401, "member": 200, "delegate": 200, "officer": 200}


def _tendency(world: World) -> str:
    """Return the slug of a tendency the officer adheres to, and no one else."""
    tendency, made = Tendency.objects.get_or_create(
        slug="rank-and-file", defaults={"name": "Rank and File", "founded_at": clock.now()}
    )
    if made:
        Adherence.objects.create(tendency=tendency, member=world.officer, joined_at=clock.now())
    return tendency.slug


def _charge(world: World) -> int:
    """Return a charge before docks, filed by the officer against the member, not replied to."""
    charge, _ = Charge.objects.get_or_create(
        body=world.docks,
        accused_member=world.member,
        defaults={"text": "Took the fund", "filed_by": world.officer, "filed_at": clock.now()},
    )
    return charge.pk


def _sanction(world: World) -> int:
    """Return the member's suspension on that charge."""
    sanction, _ = Sanction.objects.get_or_create(
        charge_id=_charge(world),
        defaults={
            "member": world.member,
            "assembly": world.docks,
            "kind": Sanction.Kind.SUSPENSION,
            "decision": world.decision,
            "starts_at": clock.now(),
            "ends_at": clock.now() + timedelta(days=30),
        },
    )
    return sanction.pk


def _appeal(world: World) -> int:
    """Return the member's appeal of their suspension to the federation."""
    appeal, _ = Appeal.objects.get_or_create(
        sanction_id=_sanction(world),
        council=world.fed.council,
        defaults={"text": "Unjust", "filed_at": clock.now()},
    )
    return appeal.pk


def rights_rows(endpoint: Callable[..., Any]) -> dict[str, Any]:
    """Return the rows, made with test_permissions' `Endpoint`."""
    return {
        "open petition": endpoint(
            "POST",
            lambda w: "/bodies/federation/petitions",
            # Its opener's signature reaches 10% of six and opens the referendum: the next
            # petition on the same question is told to vote in it. The mines read no federation.
            {"other": 403, "anonymous": 401, "member": 201, "officer": 409, "delegate": 409},
            lambda w: {"kind": "referendum", "question": "Shorter hours?", "reason": "Rest"},
        ),
        "tendencies": endpoint("GET", lambda w: "/tendencies", OWN),
        "found tendency": endpoint(
            "POST",
            lambda w: "/tendencies",
            # Any member founds one; the name is then taken.
            {"anonymous": 401, "other": 201, "member": 422, "delegate": 422, "officer": 422},
            lambda w: {"name": "Rank and File"},
        ),
        "tendency": endpoint("GET", lambda w: f"/tendencies/{_tendency(w)}", OWN),
        "join tendency": endpoint(
            "POST",
            lambda w: f"/tendencies/{_tendency(w)}/adherence",
            # Any member joins by their own act; the officer adheres already.
            {"anonymous": 401, "other": 201, "member": 201, "delegate": 201, "officer": 403},
        ),
        "leave tendency": endpoint(
            "DELETE",
            lambda w: f"/tendencies/{_tendency(w)}/adherence",
            {"anonymous": 401, "other": 403, "member": 403, "delegate": 403, "officer": 200},
        ),
        "publish statement": endpoint(
            "POST",
            lambda w: f"/tendencies/{_tendency(w)}/statements",
            # Its adherents publish, to a body they belong to.
            {"anonymous": 401, "other": 403, "member": 403, "delegate": 403, "officer": 201},
            lambda w: {"body": "docks", "title": "No to the deal", "text": "Vote it down."},
        ),
        "charges": endpoint("GET", lambda w: "/bodies/docks/charges", READ),
        "file charge": endpoint(
            "POST",
            lambda w: "/bodies/docks/charges",
            {"other": 403, "anonymous": 401, "member": 201, "delegate": 201, "officer": 201},
            lambda w: {"text": "Scabbed in March", "accused_member": w.delegate.pk},
        ),
        "charge": endpoint("GET", lambda w: f"/charges/{_charge(w)}", READ),
        "reply to charge": endpoint(
            "POST",
            lambda w: f"/charges/{_charge(w)}/reply",
            # The accused alone replies.
            {"other": 403, "anonymous": 401, "delegate": 403, "officer": 403, "member": 201},
            lambda w: {"text": "I paid it back"},
        ),
        "propose hearing": endpoint(
            "POST",
            lambda w: f"/charges/{_charge(w)}/motions",
            # Whoever takes part in docks proposes it; its vote waits for the reply.
            {"other": 403, "anonymous": 401, "member": 201, "delegate": 201, "officer": 201},
            lambda w: {"sanction": "expulsion"},
        ),
        "sanction": endpoint("GET", lambda w: f"/sanctions/{_sanction(w)}", READ),
        "appeal": endpoint(
            "POST",
            lambda w: f"/sanctions/{_sanction(w)}/appeals",
            # The sanctioned member's own act.
            {"other": 403, "anonymous": 401, "delegate": 403, "officer": 403, "member": 201},
            lambda w: {"council": "federation", "text": "Unjust"},
        ),
        "propose appeal decision": endpoint(
            "POST",
            lambda w: f"/appeals/{_appeal(w)}/motions",
            # The council's delegates propose in it; docks' members read it, and do not.
            {"other": 403, "anonymous": 401, "member": 403, "officer": 403, "delegate": 201},
            lambda w: {},
        ),
    }
