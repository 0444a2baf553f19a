"""Petitions through the API alone: a recall opened with its reason and signed by its opener; a
second petition for the same term refused with the open one named, and nothing stored; a
referendum petition reaching its threshold opens the referendum by itself."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from frombelow.db.models import Member, Petition, RecordEntry, Referendum, Signature, Term
from frombelow.services.tokens import issue_token
from tests.api.conftest import ApiClient
from tests.services.world import Clock, Federation, federation

pytestmark = pytest.mark.django_db


def client_of(member: Member) -> ApiClient:
    """Give the member an account and a token, and return a client that asks as them."""
    user = User.objects.create_user(username=f"member-{member.pk}", password=None)
    Member.objects.filter(pk=member.pk).update(user=user)
    return ApiClient(issue_token(user=user, name="tests")[1])


@pytest.fixture
def fed(clock: Clock) -> Federation:
    # Thirty dockers: a recall needs three signatures, so its opener's alone does not open it.
    return federation(clock, sizes={"docks": 30, "rail": 10})


def _stored() -> tuple[int, int, int]:
    return (RecordEntry.objects.count(), Petition.objects.count(), Signature.objects.count())


def test_a_recall_is_opened_with_its_reason_once_per_term(fed: Federation) -> None:
    term = Term.objects.get(holder=fed.delegates["docks"], office="delegate")
    ana, benito = client_of(fed.members["docks"][5]), client_of(fed.members["docks"][6])
    recall = {"kind": "recall", "term": term.pk, "reason": "She broke our mandate."}
    before = _stored()
    no_reason = ana.call("POST", "/bodies/docks/petitions", {**recall, "reason": ""})
    assert no_reason.status_code == 409
    assert "states its reason" in no_reason.json()["detail"]
    assert _stored() == before
    opened = ana.call("POST", "/bodies/docks/petitions", recall)
    assert opened.status_code == 201
    petition = opened.json()
    assert (petition["question"], petition["reason"], petition["signatures"]) == (
        f"Recall {fed.delegates['docks'].name}",
        "She broke our mandate.",
        1,
    )
    assert (petition["opened_by"], petition["signed"], petition["required"]) == (
        fed.members["docks"][5].pk,
        True,
        3,
    )
    before = _stored()
    for client in (ana, benito):  # a second click, or a second member
        again = client.call("POST", "/bodies/docks/petitions", recall)
        assert again.status_code == 409
        assert f"petition {petition['id']}, opened on" in again.json()["detail"]
    assert _stored() == before
    signed = benito.call("POST", f"/petitions/{petition['id']}/signatures")
    assert signed.status_code == 201
    assert (signed.json()["signatures"], signed.json()["signed"]) == (2, True)
    assert ana.call("GET", f"/petitions/{petition['id']}").json()["signatures"] == 2


def test_a_referendum_petition_opens_the_referendum_at_its_threshold(fed: Federation) -> None:
    opener = client_of(fed.members["rail"][1])
    asked = opener.call(
        "POST",
        "/bodies/federation/petitions",
        {"kind": "referendum", "question": "A general strike?", "reason": "Rents."},
    )
    assert asked.status_code == 201
    petition = asked.json()
    assert petition["required"] == 4  # 10% of forty
    for member in fed.members["docks"][2:5]:
        client_of(member).call("POST", f"/petitions/{petition['id']}/signatures")
    reached = opener.call("GET", f"/petitions/{petition['id']}").json()
    referendum = Referendum.objects.get()
    assert (reached["reached"], reached["opened_referendum"]) == (True, referendum.pk)
    again = opener.call(
        "POST",
        "/bodies/federation/petitions",
        {"kind": "referendum", "question": "A general strike?"},
    )
    assert again.status_code == 409
    assert "is open now: vote in it" in again.json()["detail"]


def test_a_referendum_is_counted_once_it_has_closed_and_only_once(
    fed: Federation, clock: Clock
) -> None:
    opener = client_of(fed.members["rail"][1])
    petition = {"kind": "referendum", "question": "A general strike?", "reason": "Rents."}
    asked = opener.call("POST", "/bodies/federation/petitions", petition).json()
    for member in fed.members["docks"][2:5]:
        client_of(member).call("POST", f"/petitions/{asked['id']}/signatures")
    referendum = Referendum.objects.get()
    path = f"/referendums/{referendum.pk}"
    assert opener.call("POST", f"{path}/ballots", {"option": "no"}).status_code == 201
    before = _stored()
    early = opener.call("POST", f"{path}/count")
    assert early.status_code == 409
    assert "is open until" in early.json()["detail"]
    assert _stored() == before
    clock.now = referendum.closes_at
    counted = opener.call("POST", f"{path}/count")
    assert counted.status_code == 201, counted.json()
    result = counted.json()["result"]
    assert (result["turnout"], result["outcome"]) == (1, "inquorate")  # one of forty
    assert result["by_body"]["rail"]["no"] == 1
    assert RecordEntry.objects.filter(action="referendum.counted").count() == 1
    again = opener.call("POST", f"{path}/count")
    assert again.status_code == 409
    assert "counted already" in again.json()["detail"]


def test_a_petition_names_what_it_asks_of_the_body(fed: Federation) -> None:
    ana = client_of(fed.members["docks"][5])
    before = _stored()
    for body, missing in (
        ({"kind": "recall", "reason": "x"}, "names a term"),
        ({"kind": "reopening"}, "names a decision"),
        ({"kind": "referendum", "question": "?"}, "every member under a council"),
    ):
        answer = ana.call("POST", "/bodies/docks/petitions", body)
        assert answer.status_code == 409, body
        assert missing in answer.json()["detail"]
    assert ana.call("POST", "/bodies/docks/petitions", {"kind": "dissolution"}).status_code == 422
    assert (
        ana.call("POST", "/bodies/docks/petitions", {"kind": "recall", "term": 999}).status_code
        == 404
    )
    assert _stored() == before
