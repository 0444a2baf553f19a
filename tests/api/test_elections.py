"""Elections through the API alone: call, stand with a statement, withdraw, open the vote, resign;
each refusal answered with its reason, and nothing stored."""

from __future__ import annotations

from datetime import timedelta

import pytest

from frombelow.db.models import Candidacy, Election, RecordEntry, TermEnd, Withdrawal
from tests.api.conftest import World
from tests.services.world import Clock

pytestmark = pytest.mark.django_db


def test_a_member_calls_stands_withdraws_and_opens_an_election(world: World, clock: Clock) -> None:
    member, delegate = world.client("member"), world.client("delegate")
    called = member.call("POST", "/bodies/docks/elections", {"office": "treasurer"})
    assert called.status_code == 201
    election = called.json()
    assert (election["office"], election["seats"], election["taking_candidacies"]) == (
        "treasurer",
        1,
        True,
    )
    path = f"/elections/{election['id']}"
    stood = member.call("POST", f"{path}/candidacies", {"statement": "Open books, every month."})
    assert stood.status_code == 201
    assert delegate.call("POST", f"{path}/candidacies", {}).status_code == 201
    assert delegate.call("POST", f"{path}/withdrawal").status_code == 201
    (candidate,) = member.call("GET", path).json()["candidates"]
    assert (candidate["member"], candidate["statement"]) == (
        world.member.pk,
        "Open books, every month.",
    )
    closes = (clock.now + timedelta(days=8)).isoformat()
    opened = member.call("POST", f"{path}/vote", {"closes_at": closes})
    assert opened.status_code == 201
    assert opened.json()["vote"] is not None
    assert opened.json()["taking_candidacies"] is False
    listed = member.call("GET", "/bodies/docks/elections").json()
    assert election["id"] in [e["id"] for e in listed]


def test_refusals_say_why_and_store_nothing(world: World, clock: Clock) -> None:
    member = world.client("member")
    entries = RecordEntry.objects.count()
    bad_office = member.call("POST", "/bodies/docks/elections", {"office": "Treasurer"})
    assert bad_office.status_code == 409
    assert "lower case" in bad_office.json()["detail"]
    no_council = member.call(
        "POST", "/bodies/docks/elections", {"office": "delegate", "council": "atlantis"}
    )
    assert no_council.status_code == 404
    assert not Election.objects.filter(office__iexact="treasurer").exists()
    election = Election.objects.create(
        body=world.docks, office="treasurer", seats=1, called_at=clock.now
    )
    path = f"/elections/{election.pk}"
    too_long = member.call("POST", f"{path}/candidacies", {"statement": "x" * 4001})
    assert too_long.status_code == 422
    assert "statement" in too_long.json()["detail"]
    unknown = member.call("POST", f"{path}/candidacies", {"tendency": "no-such-current"})
    assert unknown.status_code == 404
    assert "no-such-current" in unknown.json()["detail"]
    not_standing = member.call("POST", f"{path}/withdrawal")
    assert not_standing.status_code == 409
    assert "does not stand" in not_standing.json()["detail"]
    nobody = member.call(
        "POST", f"{path}/vote", {"closes_at": (clock.now + timedelta(days=8)).isoformat()}
    )
    assert nobody.status_code == 409
    assert "no one stands" in nobody.json()["detail"]
    naive = member.call("POST", f"{path}/vote", {"closes_at": "2030-01-01T12:00:00"})
    assert naive.status_code == 422
    assert "closes_at" in naive.json()["detail"]
    not_holder = member.call("POST", f"/terms/{world.term.pk}/resignation")
    assert not_holder.status_code == 403
    assert "holder's own act" in not_holder.json()["detail"]
    assert not Candidacy.objects.filter(election=election).exists()
    assert not Withdrawal.objects.exists()
    assert not TermEnd.objects.exists()
    assert RecordEntry.objects.count() == entries


def test_the_delegate_resigns_and_a_substitute_or_a_by_election_follows(world: World) -> None:
    answer = world.client("delegate").call("POST", f"/terms/{world.term.pk}/resignation")
    assert answer.status_code == 201
    resigned = answer.json()
    assert resigned["term"] == world.term.pk
    assert resigned["by_election_due"] is (resigned["substitute"] is None)
    again = world.client("delegate").call("POST", f"/terms/{world.term.pk}/resignation")
    assert again.status_code in (403, 422)
    assert again.json()["detail"]
