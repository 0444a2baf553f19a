"""Tendencies through the API alone: founded, joined and left by a member's own act; statements
published to the bodies their author belongs to; a hidden statement keeps its title and its
hiding, not its text."""

from __future__ import annotations

import pytest

from frombelow.db.models import Motion, RecordEntry, Statement, Tendency
from frombelow.services import charges, tendencies
from tests.api.test_petitions import client_of
from tests.services.world import Clock, Federation, all_yes, decide, federation

pytestmark = pytest.mark.django_db


@pytest.fixture
def fed(clock: Clock) -> Federation:
    return federation(clock, sizes={"docks": 4, "rail": 3})


def test_a_member_founds_joins_publishes_and_leaves(fed: Federation) -> None:
    ana, benito = client_of(fed.members["docks"][1]), client_of(fed.members["rail"][1])
    founded = ana.call("POST", "/tendencies", {"name": "Rank and File"})
    assert founded.status_code == 201
    assert (founded.json()["slug"], founded.json()["adherents"], founded.json()["adheres"]) == (
        "rank-and-file",
        1,
        True,
    )
    joined = benito.call("POST", "/tendencies/rank-and-file/adherence")
    assert (joined.status_code, joined.json()["adherents"]) == (201, 2)
    published = benito.call(
        "POST",
        "/tendencies/rank-and-file/statements",
        {"body": "federation", "title": "No to the deal", "text": "Vote it down."},
    )
    assert published.status_code == 201
    assert (published.json()["body"], published.json()["hidden"]) == ("federation", False)
    read = ana.call("GET", "/tendencies/rank-and-file").json()
    assert [s["title"] for s in read["statements"]] == ["No to the deal"]
    left = benito.call("DELETE", "/tendencies/rank-and-file/adherence")
    assert (left.status_code, left.json()["adherents"], left.json()["adheres"]) == (200, 1, False)
    listed = ana.call("GET", "/tendencies").json()
    assert [(t["slug"], t["adherents"]) for t in listed] == [("rank-and-file", 1)]


def test_refusals_say_why_and_store_nothing(fed: Federation) -> None:
    ana = client_of(fed.members["docks"][1])
    tendencies.found_tendency(actor=fed.members["docks"][2], name="Current")
    before = (RecordEntry.objects.count(), Tendency.objects.count(), Statement.objects.count())
    same = ana.call("POST", "/tendencies", {"name": "Current"})
    assert same.status_code == 422
    assert "already a tendency 'current'" in same.json()["detail"]
    assert ana.call("POST", "/tendencies", {"name": "X", "slug": "Not A Slug"}).status_code == 422
    outsider = ana.call(
        "POST", "/tendencies/current/statements", {"body": "docks", "title": "T", "text": "x"}
    )
    assert outsider.status_code == 403
    assert "does not adhere" in outsider.json()["detail"]
    assert ana.call("DELETE", "/tendencies/current/adherence").status_code == 403
    assert ana.call("GET", "/tendencies/nobody").status_code == 404
    assert (RecordEntry.objects.count(), Tendency.objects.count(), Statement.objects.count()) == (
        before
    )


def test_a_hidden_statement_keeps_its_title_and_its_hiding(fed: Federation, clock: Clock) -> None:
    docks, m = fed.assemblies["docks"], fed.members["docks"]
    current = tendencies.found_tendency(actor=m[3], name="Current")
    statement = tendencies.publish_statement(
        actor=m[3], tendency=current, body=docks, title="Names", text="The home address of Ana"
    )
    charge = charges.file_charge(actor=m[0], body=docks, statement=statement, text="Doxxing")
    charges.reply_to_charge(actor=m[3], charge=charge, text="It was public")
    decision = decide(
        clock,
        docks,
        m[0],
        all_yes(m[:3]),
        title="Hide it",
        kind=Motion.Kind.HIDE_STATEMENT,
        statement=statement,
        charge=charge,
    )
    (shown,) = client_of(m[1]).call("GET", "/tendencies/current").json()["statements"]
    assert (shown["title"], shown["text"], shown["hidden"], shown["hidden_by"]) == (
        "Names",
        None,
        True,
        decision.pk,
    )
