"""Tendencies: formed and joined freely, publishing to their members' bodies; never banned, never
deleted; a statement is hidden only by the body's decision on a charge after the author's reply."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, transaction

from frombelow.core.errors import DueProcessError, StandingError
from frombelow.db.models import Motion, RecordEntry, Statement
from frombelow.services import charges, tendencies, votes
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
    assert not [n for n in names if any(w in n for w in ("ban", "delete", "censor", "remove"))]
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
    with pytest.raises(DueProcessError, match="no written reply"):
        votes.open_vote(actor=m[0], motion=motion, closes_at=clock.advance(days=0))
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
