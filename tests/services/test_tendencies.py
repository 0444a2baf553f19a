"""Tendencies: formed and joined freely, publishing to their members' bodies; never banned, never
deleted; a statement is hidden only by the body's decision on a charge after the author's reply
(or after their time to reply passed without one)."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, transaction

from frombelow.core.errors import DueProcessError, FederationError, StandingError
from frombelow.core.statutes import Statute
from frombelow.db.models import Adherence, Hiding, Motion, RecordEntry, Statement, Tendency, Vote
from frombelow.services import charges, tendencies
from tests.services.test_charges import put_at_once
from tests.services.world import Clock, all_yes, assembly, decide, people, person, propose

pytestmark = pytest.mark.django_db


def test_members_form_a_tendency_and_publish_to_their_bodies(clock: Clock) -> None:
    m = people("Weaver", 3)
    body = assembly("mill", m)
    current = tendencies.found_tendency(actor=m[0], name="Rank and File", slug="rank-and-file")
    tendencies.adhere(actor=m[1], tendency=current)
    statement = tendencies.publish_statement(
        actor=m[1], tendency=current, body=body, title="On the contract", text="Reject it."
    )
    assert RecordEntry.objects.get(action="statement.published").data["tendency"] == "rank-and-file"
    with pytest.raises(StandingError, match="does not adhere"):
        tendencies.publish_statement(actor=m[2], tendency=current, body=body, title="x", text="")
    outsider = person("Outsider")
    tendencies.adhere(actor=outsider, tendency=current)  # a tendency crosses bodies
    with pytest.raises(StandingError, match="not a member of 'mill'"):
        tendencies.publish_statement(
            actor=outsider, tendency=current, body=body, title="x", text=""
        )
    assert statement.body == body


def test_no_service_bans_a_tendency_or_deletes_a_statement(clock: Clock) -> None:
    import importlib
    import pkgutil

    import frombelow.services as services

    names = [
        name
        for module in pkgutil.iter_modules(services.__path__)
        for name in dir(importlib.import_module(f"frombelow.services.{module.name}"))
    ]
    # By the words of the names ("abandon_founding" bans nothing).
    words = {w for n in names for w in n.lower().split("_")}
    assert not [w for w in words if w.startswith(("ban", "delet", "censor", "remov"))]
    m = people("Weaver", 1)
    body = assembly("mill", m)
    current = tendencies.found_tendency(actor=m[0], name="Current", slug="current")
    statement = tendencies.publish_statement(
        actor=m[0], tendency=current, body=body, title="T", text="words"
    )
    # Not even the database lets a statement be rewritten or deleted.
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        Statement.objects.filter(pk=statement.pk).delete()
    statement.text = "other words"
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        statement.save()


def test_hiding_needs_a_charge_the_authors_reply_and_a_vote_and_stays_visible(
    clock: Clock,
) -> None:
    m = people("Weaver", 3)
    body = assembly("mill", m)
    current = tendencies.found_tendency(actor=m[2], name="Current", slug="current")
    statement = tendencies.publish_statement(
        actor=m[2], tendency=current, body=body, title="Names", text="The home address of ..."
    )
    hide = Motion.Kind.HIDE_STATEMENT
    with pytest.raises(DueProcessError, match="needs a stated charge"):
        propose(body, m[0], "Hide it", kind=hide, statement=statement)
    charge = charges.file_charge(
        actor=m[0], body=body, statement=statement, text="It publishes a member's home address"
    )
    motion = propose(body, m[0], "Hide it", kind=hide, statement=statement, charge=charge)
    before = (RecordEntry.objects.count(), Vote.objects.count())
    with pytest.raises(DueProcessError, match=r"no written reply from the accused .* until"):
        put_at_once(motion)
    assert (RecordEntry.objects.count(), Vote.objects.count()) == before
    with pytest.raises(StandingError, match="cannot reply"):
        charges.reply_to_charge(actor=m[1], charge=charge, text="I reply for them")
    charges.reply_to_charge(actor=m[2], charge=charge, text="It was already public")
    decision = decide(
        clock,
        body,
        m[0],
        all_yes(m[:2]),
        title="Hide it",
        kind=hide,
        statement=statement,
        charge=charge,
    )
    assert decision.outcome == "carried"
    statement.refresh_from_db()
    assert statement.hiding.decision == decision  # hidden, and the hiding is on view
    assert Statement.objects.filter(pk=statement.pk).exists()
    entry = RecordEntry.objects.get(action="statement.hidden")
    assert entry.data["reply"] == charge.reply.pk


def test_a_body_hides_only_what_was_addressed_to_it(clock: Clock) -> None:
    a, b = people("Weaver", 2), people("Spinner", 2)
    mill, shed = assembly("mill", a), assembly("shed", b)
    current = tendencies.found_tendency(actor=a[0], name="Current", slug="current")
    statement = tendencies.publish_statement(
        actor=a[0], tendency=current, body=mill, title="T", text="x"
    )
    charge = charges.file_charge(actor=b[0], body=shed, statement=statement, text="Offensive")
    with pytest.raises(StandingError, match="only 'mill', which it was addressed to"):
        propose(
            shed, b[0], "Hide", kind=Motion.Kind.HIDE_STATEMENT, statement=statement, charge=charge
        )


def test_a_member_joins_and_leaves_by_their_own_act(clock: Clock) -> None:
    m = people("Weaver", 2)
    body = assembly("mill", m)
    current = tendencies.found_tendency(actor=m[0], name="Rank and File  ")
    assert (current.name, current.slug) == ("Rank and File", "rank-and-file")
    tendencies.adhere(actor=m[1], tendency=current)
    with pytest.raises(StandingError, match="already adheres"):
        tendencies.adhere(actor=m[1], tendency=current)
    statement = tendencies.publish_statement(
        actor=m[1], tendency=current, body=body, title="Ours", text="We stay."
    )
    tendencies.leave_tendency(actor=m[1], tendency=current)
    assert RecordEntry.objects.filter(action="tendency.left").count() == 1
    with pytest.raises(StandingError, match="does not adhere"):
        tendencies.leave_tendency(actor=m[1], tendency=current)
    with pytest.raises(StandingError, match="does not adhere"):
        tendencies.publish_statement(actor=m[1], tendency=current, body=body, title="x", text="")
    # What they published while in it stays published; they may come back.
    assert Statement.objects.get(pk=statement.pk).author == m[1]
    tendencies.adhere(actor=m[1], tendency=current)
    assert Adherence.objects.filter(tendency=current, member=m[1]).count() == 2


def test_a_tendency_needs_a_name_that_can_be_an_address(clock: Clock) -> None:
    m = people("Weaver", 1)
    before = (RecordEntry.objects.count(), Tendency.objects.count())
    with pytest.raises(StandingError, match="has a name"):
        tendencies.found_tendency(actor=m[0], name="   ")
    with pytest.raises(StandingError, match="cannot name a tendency in an address"):
        tendencies.found_tendency(actor=m[0], name="!!!")
    with pytest.raises(StandingError, match="cannot name a tendency in an address"):
        tendencies.found_tendency(actor=m[0], name="Left", slug="Left Turn")
    assert (RecordEntry.objects.count(), Tendency.objects.count()) == before
    tendencies.found_tendency(actor=m[0], name="Corriente Crítica")
    assert Tendency.objects.get().slug == "corriente-critica"
    with pytest.raises(FederationError, match="already a tendency 'corriente-critica'"):
        tendencies.found_tendency(actor=m[0], name="Corriente crítica")


def test_a_statement_is_hidden_after_the_time_to_reply_passed_without_a_reply(
    clock: Clock,
) -> None:
    m = people("Weaver", 3)
    body = assembly("mill", m, Statute(reply_days=10))
    current = tendencies.found_tendency(actor=m[2], name="Current")
    statement = tendencies.publish_statement(
        actor=m[2], tendency=current, body=body, title="Names", text="The home address of ..."
    )
    charge = charges.file_charge(
        actor=m[0], body=body, statement=statement, text="It publishes a member's home address"
    )
    hide = {"kind": Motion.Kind.HIDE_STATEMENT, "statement": statement, "charge": charge}
    clock.advance(days=10)  # the author said nothing in the ten days
    decision = decide(clock, body, m[0], all_yes(m[:2]), title="Hide it", **hide)
    assert decision.outcome == "carried"
    assert Hiding.objects.get(statement=statement).decision == decision
    assert RecordEntry.objects.get(action="statement.hidden").data["reply"] is None
