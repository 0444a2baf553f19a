"""Capture attempts: each tries one way councils have been captured from above, and fails.

Each test states the attempt in its name; the refusals come from the services, the core rules they
call, or the database itself.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.db import DatabaseError, transaction

import frombelow.services as services
from frombelow.core.errors import (
    DecisionError,
    DueProcessError,
    FederationError,
    MandateError,
    StandingError,
)
from frombelow.core.federation import WeightSnapshot as CoreSnapshot
from frombelow.core.statutes import Statute
from frombelow.db.models import BodyWeight, Motion, Referendum, Term, Vote
from frombelow.services import charges, elections, petitions, sessions
from frombelow.services.queries.bodies import member_bodies_at
from frombelow.services.queries.decisions import standing_of
from frombelow.services.queries.terms import holders
from tests.services.world import (
    Clock,
    all_yes,
    council_decides,
    council_motion,
    council_session,
    federation,
    mandate,
    open_at_once,
)

pytestmark = pytest.mark.django_db


def _service_functions() -> dict[str, Callable[..., object]]:
    """Return every function of every service module, by name."""
    found: dict[str, Callable[..., object]] = {}
    for module in pkgutil.iter_modules(services.__path__):
        loaded = importlib.import_module(f"frombelow.services.{module.name}")
        found.update({n: v for n, v in vars(loaded).items() if inspect.isfunction(v)})
    return found


def _service_names() -> list[str]:
    return list(_service_functions())


def test_a_council_cannot_dissolve_suspend_merge_or_edit_a_member_assembly(clock: Clock) -> None:
    fed = federation(clock)
    docks = fed.assemblies["docks"]
    words = ("dissolve", "suspend_body", "merge", "edit_body", "rename", "take_over")
    assert not [n for n in _service_names() if any(w in n for w in words)]
    # No kind of motion does it, and a council's motion cannot act on a member body's affairs.
    for kind in ("dissolve-body", "suspend-body", "merge-bodies"):
        with pytest.raises(DecisionError, match=f"no kind of motion {kind!r}"):
            council_motion(fed, "Dissolve the docks", kind=kind, other_body=docks)
    for kind, targets in (
        (Motion.Kind.ADMIT_MEMBER, {"member": fed.members["rail"][0]}),
        (Motion.Kind.LEAVE_COUNCIL, {"other_body": docks}),
    ):
        with pytest.raises((DecisionError, FederationError)):
            council_motion(fed, "Act on the docks", kind=kind, **targets)
    # A council amends only its own statute: a carried amendment changes no one else's.
    amended = Statute(quorum=Statute().quorum, max_term_days=30)
    from frombelow.db.mapping import statute_json
    from frombelow.services.queries.bodies import statute_of

    council_decides(
        clock,
        fed,
        council_motion(
            fed,
            "Short terms",
            kind=Motion.Kind.AMEND_STATUTE,
            details={"statute": statute_json(amended)},
        ),
        {s: ("bound", all_yes(m)) for s, m in fed.members.items()},
    )
    assert statute_of(fed.council) == amended
    assert statute_of(docks) == Statute()
    assert docks in member_bodies_at(fed.council, clock.now)


def test_a_hand_typed_delegation_weight_is_impossible(clock: Clock) -> None:
    fed = federation(clock)
    from frombelow.core.errors import FederationError as CoreFederationError

    with pytest.raises(CoreFederationError, match="never typed by hand"):
        CoreSnapshot({"docks": 1000}, clock.now, 1000)
    # No service takes a weight; the stored snapshot cannot be rewritten.
    for name, function in _service_functions().items():
        assert not {"weight", "weights"} & set(inspect.signature(function).parameters), name
    chair = fed.delegates["docks"]
    session, _ = council_session(clock, fed.council, chair, [council_motion(fed, "X")])
    clock.now = session.starts_at
    sessions.open_session(actor=chair, session=session)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        BodyWeight.objects.filter(body=fed.assemblies["docks"]).update(weight=1000)


def test_a_term_cannot_be_extended_past_its_end(clock: Clock) -> None:
    fed = federation(clock)
    (term,) = holders(fed.assemblies["docks"], "delegate", clock.now, council=fed.council)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        Term.objects.filter(pk=term.pk).update(ends_at=term.ends_at + timedelta(days=3650))
    assert not [n for n in _service_names() if "extend" in n or "prolong" in n or "renew" in n]
    clock.now = term.ends_at
    assert holders(fed.assemblies["docks"], "delegate", clock.now, council=fed.council) == []


def test_an_officer_cannot_be_appointed_from_above(clock: Clock) -> None:
    fed = federation(clock)
    assert not [n for n in _service_names() if "appoint" in n]
    with pytest.raises(StandingError, match="not a member of 'docks'"):
        elections.call_election(
            actor=fed.delegates["rail"], body=fed.assemblies["docks"], office="secretary"
        )
    with pytest.raises(DecisionError, match="not by hand"):
        elections.call_election(
            actor=fed.members["docks"][0],
            body=fed.assemblies["docks"],
            office="delegate",
            council=fed.council,
            seats=3,
        )


def test_a_delegate_cannot_vote_against_a_bound_mandate(clock: Clock) -> None:
    fed = federation(clock)
    chair = fed.delegates["docks"]
    session, (item,) = council_session(clock, fed.council, chair, [council_motion(fed, "Levy")])
    mandate(
        clock,
        fed.assemblies["docks"],
        fed.members["docks"][0],
        item,
        "bound",
        all_yes(fed.members["docks"]),
    )
    clock.now = session.starts_at
    sessions.open_session(actor=chair, session=session)
    with pytest.raises(MandateError, match="cannot cast against a binding mandate"):
        sessions.cast_for_delegation(
            actor=chair, vote=Vote.objects.get(item=item), ranking=[["no"]]
        )


def test_a_tendency_cannot_be_banned_nor_its_statement_deleted_without_due_process(
    clock: Clock,
) -> None:
    from frombelow.services import tendencies
    from tests.services.world import propose

    fed = federation(clock)
    docks, m = fed.assemblies["docks"], fed.members["docks"]
    current = tendencies.found_tendency(actor=m[2], name="Opposition", slug="opposition")
    statement = tendencies.publish_statement(
        actor=m[2], tendency=current, body=docks, title="Vote no", text="The deal is bad."
    )
    words = {w for n in _service_names() for w in n.lower().split("_")}
    # By the words of the names: "abandon" bans nothing.
    assert not [w for w in words if w.startswith(("ban", "delet"))]
    with pytest.raises(DueProcessError):
        propose(docks, m[0], "Hide", kind=Motion.Kind.HIDE_STATEMENT, statement=statement)
    charge = charges.file_charge(actor=m[0], body=docks, statement=statement, text="Disloyal")
    motion = propose(
        docks, m[0], "Hide", kind=Motion.Kind.HIDE_STATEMENT, statement=statement, charge=charge
    )
    with pytest.raises(DueProcessError, match="no written reply"):
        open_at_once(motion, closes_at=clock.now + timedelta(days=3))


def test_a_body_cannot_be_expelled_with_no_charge_or_no_reply(clock: Clock) -> None:
    # Sixty days to reply: the session comes while the port may still answer.
    fed = federation(clock, Statute(reply_days=60), sizes={"docks": 2, "rail": 2, "port": 2})
    port = fed.assemblies["port"]
    with pytest.raises(DueProcessError, match="needs a stated charge"):
        council_motion(fed, "Expel", kind=Motion.Kind.EXPEL_MEMBER_BODY, other_body=port)
    charge = charges.file_charge(
        actor=fed.delegates["docks"], body=fed.council, accused_body=port, text="Voted wrong"
    )
    motion = council_motion(
        fed, "Expel", kind=Motion.Kind.EXPEL_MEMBER_BODY, other_body=port, charge=charge
    )
    chair = fed.delegates["docks"]
    session, _ = council_session(clock, fed.council, chair, [motion])
    clock.now = session.starts_at
    with pytest.raises(DueProcessError, match="no written reply"):
        sessions.open_session(actor=chair, session=session)
    assert port in member_bodies_at(fed.council, clock.now)


def test_a_council_cannot_refuse_a_referendum_whose_petition_reached_the_threshold(
    clock: Clock,
) -> None:
    fed = federation(clock, sizes={"docks": 5, "rail": 5})
    petition = petitions.open_petition(
        actor=fed.members["docks"][0], kind="referendum", body=fed.council, question="Strike?"
    )
    # Its opener's signature meets the threshold (1 of 10): the referendum is open, and the
    # council was never asked.
    referendum = Referendum.objects.get(petition=petition)
    assert referendum.called_by is None
    words = ("refuse", "cancel", "block", "veto", "postpone", "close_petition", "reject")
    assert not [n for n in _service_names() if any(w in n for w in words)]
    # The council's own motions cannot touch it: no kind of motion names a referendum.
    with pytest.raises(DecisionError, match="names no referendum"):
        council_motion(fed, "Cancel it", referendum=referendum)


def test_a_council_decision_outside_its_competences_does_not_bind(clock: Clock) -> None:
    fed = federation(clock, Statute(competences=frozenset({"strikes"}), ratification_days=30))
    decision = council_decides(
        clock,
        fed,
        council_motion(fed, "Set every section's dues", matter="dues"),
        {s: ("bound", all_yes(m)) for s, m in fed.members.items()},
    )
    assert decision.outcome == "carried"
    assert decision.provisional
    assert standing_of(decision, clock.now) == "pending"
    clock.advance(days=31)
    assert standing_of(decision, clock.now) == "lapsed"
