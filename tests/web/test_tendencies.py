"""Tendencies on the pages: founded, joined and left by a member's own act; statements published
to the bodies their author belongs to; a hidden statement shows that it was hidden, not its text."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from frombelow.db.models import Member, Motion, RecordEntry, Statement, Tendency
from frombelow.services import charges, elections, tendencies
from tests.services.world import Clock, Federation, all_yes, decide, federation
from tests.web.scene import account

pytestmark = pytest.mark.django_db


@pytest.fixture
def fed(clock: Clock) -> Federation:
    return federation(clock, sizes={"docks": 4, "rail": 3})


def signed_in(member: Member, username: str, language: str = "en") -> Client:
    client = Client(headers={"accept-language": language})
    client.force_login(account(member, username))
    return client


def test_a_member_founds_joins_leaves_and_publishes(fed: Federation) -> None:
    ana = signed_in(fed.members["docks"][1], "ana")
    assert "Found a tendency" in ana.get(reverse("web:tendencies")).text
    founded = ana.post(reverse("web:tendencies"), {"name": "Rank and File"}, follow=True)
    assert founded.redirect_chain[-1][0] == reverse("web:tendency", args=["rank-and-file"])
    assert "1 member adheres to it now." in founded.text
    page = reverse("web:tendency", args=["rank-and-file"])
    benito = signed_in(fed.members["rail"][1], "benito")
    joined = benito.post(reverse("web:join-tendency", args=["rank-and-file"]), follow=True)
    assert "You adhere to this tendency." in joined.text
    assert "2 members adhere to it now." in joined.text
    # Benito publishes to his assembly, or to the council above it.
    assert '<option value="rail">' in joined.text
    assert '<option value="federation">' in joined.text
    assert '<option value="docks">' not in joined.text
    published = benito.post(
        reverse("web:publish-statement", args=["rank-and-file"]),
        {"body": "federation", "title": "No to the two-tier deal", "text": "Vote it down."},
        follow=True,
    )
    assert "The statement is published." in published.text
    assert "No to the two-tier deal" in ana.get(page).text  # Ana reads the federation
    left = benito.post(reverse("web:leave-tendency", args=["rank-and-file"]), follow=True)
    assert "You have left this tendency." in left.text
    assert "1 member adheres to it now." in left.text
    assert [e.action for e in RecordEntry.objects.filter(subject="tendency:rank-and-file")] == [
        "tendency.founded",
        "tendency.joined",
        "tendency.left",
    ]


def test_a_refused_act_says_why_and_stores_nothing(fed: Federation) -> None:
    ana = signed_in(fed.members["docks"][1], "ana")
    before = (RecordEntry.objects.count(), Tendency.objects.count(), Statement.objects.count())
    response = ana.post(reverse("web:tendencies"), {"name": "  "}, follow=True)
    assert "Refused: a tendency has a name" in response.text
    tendencies.found_tendency(actor=fed.members["docks"][2], name="Current")
    before = (RecordEntry.objects.count(), Tendency.objects.count(), Statement.objects.count())
    response = ana.post(
        reverse("web:publish-statement", args=["current"]),
        {"body": "docks", "title": "T", "text": "x"},
        follow=True,
    )
    assert "does not adhere to Current" in response.text
    assert (RecordEntry.objects.count(), Tendency.objects.count(), Statement.objects.count()) == (
        before
    )
    spanish = signed_in(fed.members["docks"][3], "carmen", "es").post(
        reverse("web:leave-tendency", args=["current"]), follow=True
    )
    assert "Rechazado" in spanish.text


def test_a_hidden_statement_shows_its_hiding_not_its_text(fed: Federation, clock: Clock) -> None:
    docks, m = fed.assemblies["docks"], fed.members["docks"]
    current = tendencies.found_tendency(actor=m[3], name="Current")
    statement = tendencies.publish_statement(
        actor=m[3], tendency=current, body=docks, title="Names", text="The home address of Ana"
    )
    charge = charges.file_charge(actor=m[0], body=docks, statement=statement, text="Doxxing")
    charges.reply_to_charge(actor=m[3], charge=charge, text="It was public")
    decide(
        clock,
        docks,
        m[0],
        all_yes(m[:3]),
        title="Hide it",
        kind=Motion.Kind.HIDE_STATEMENT,
        statement=statement,
        charge=charge,
    )
    reader = signed_in(m[1], "ana")
    for page in (reverse("web:tendency", args=["current"]), reverse("web:body", args=["docks"])):
        text = reader.get(page).text
        assert "Names" in text
        assert "Hidden on" in text
        assert "The home address of Ana" not in text


def test_the_tendency_page_lists_the_candidates_it_proposes(fed: Federation) -> None:
    docks, m = fed.assemblies["docks"], fed.members["docks"]
    current = tendencies.found_tendency(actor=m[2], name="Current")
    election = elections.call_election(actor=m[1], body=docks, office="treasurer")
    elections.stand(actor=m[2], election=election, tendency=current)
    text = signed_in(m[1], "ana").get(reverse("web:tendency", args=["current"])).text
    assert m[2].name in text
    assert reverse("web:election", args=[election.pk]) in text
    # A member of the mines reads no election of the docks.
    outsider = signed_in(fed.members["rail"][1], "pablo").get(
        reverse("web:tendency", args=["current"])
    )
    assert m[2].name not in outsider.text
    assert "No candidates in the elections you read." in outsider.text


def test_an_unknown_tendency_is_not_found(fed: Federation) -> None:
    client = signed_in(fed.members["docks"][1], "ana")
    assert client.get(reverse("web:tendency", args=["nobody"])).status_code == 404
    assert client.post(reverse("web:join-tendency", args=["nobody"])).status_code == 404
