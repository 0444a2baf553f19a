"""A counted secret vote's published ballot list through the API, and a voter finding their ballot
in it by the tracker given at the cast, which no row, URL or log keeps."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

import pytest
from django.apps import apps

from frombelow.db.models import Vote
from frombelow.services import deciding
from frombelow.services.queries.ballots import tracker_hash
from tests.api.conftest import World
from tests.services.world import Clock, open_at_once, propose

pytestmark = pytest.mark.django_db


def _stored_anywhere(text: str) -> list[str]:
    """Return the tables that hold `text` in any of their rows' values."""
    return [
        model._meta.db_table
        for model in apps.get_models()
        if any(text in str(row) for row in model._default_manager.values())
    ]


def test_the_list_is_published_at_the_count_and_a_voter_finds_their_ballot(
    world: World, clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    crew = world.fed.members["docks"]
    secret = open_at_once(
        propose(world.docks, crew[0], "Night rota"),
        closes_at=clock.now + timedelta(days=3),
        ballot_kind=Vote.BallotKind.SECRET,
    )
    path = f"/votes/{secret.pk}/ballots"
    trackers = {
        role: world.client(role).call("POST", path, {"ranking": [[choice]]}).json()["tracker"]
        for role, choice in (("member", "no"), ("officer", "yes"), ("delegate", "yes"))
    }
    mine = {"tracker": trackers["member"]}
    # Before the count the list is not published, nor is a ballot found in it.
    for method, where, body in (("GET", path, None), ("POST", f"{path}/find", mine)):
        refused = world.client("member").call(method, where, body)
        assert refused.status_code == 409
        assert (
            refused.json()["detail"]
            == "the ballots of 'Night rota' are published once it is counted"
        )
    assert secret.closes_at is not None
    clock.now = secret.closes_at
    deciding.close_vote(actor="system", vote=secret)
    listed: dict[str, Any] = world.client("member").call("GET", path).json()
    hashes = sorted(tracker_hash(t) for t in trackers.values())
    assert [b["tracker_hash"] for b in listed["ballots"]] == hashes
    assert sorted(b["ranking"] for b in listed["ballots"]) == [[["no"]], [["yes"]], [["yes"]]]
    # Hashes and rankings only: no voter, no tracker.
    assert all(set(b) == {"tracker_hash", "ranking"} for b in listed["ballots"])
    assert listed["recount"] == {
        "outcome": "carried",
        "winners": ["yes"],
        "turnout": 3,
        "problem": None,
    }
    assert listed["official"] == {**listed["recount"]}
    assert listed["agrees"] is True
    found = world.client("member").call("POST", f"{path}/find", mine).json()
    assert found == {
        "vote": secret.pk,
        "found": True,
        "ballot": {"tracker_hash": tracker_hash(trackers["member"]), "ranking": [["no"]]},
    }
    missing = world.client("officer").call("POST", f"{path}/find", {"tracker": "0" * 64}).json()
    assert (missing["found"], missing["ballot"]) == (False, None)
    # Only those who read docks see its list: a member of the mines does not, nor a visitor.
    assert world.client("other").call("GET", path).status_code == 403
    assert world.client("anonymous").call("POST", f"{path}/find", mine).status_code == 401
    # The tracker went out once, in the cast's answer, and came back in bodies only: no row and
    # no log line holds it.
    for tracker in trackers.values():
        assert not _stored_anywhere(tracker)
        assert tracker not in caplog.text
