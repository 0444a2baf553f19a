"""Issue 11's election story through the API alone: every act of a person is an HTTP request
with their bearer token, checked against the OpenAPI document; nothing but HTTP reads or changes
the state.

Time passes as in the browser stories: the clock moves, and the scheduler (`frombelow notify`,
which `serve` runs every minute) does what it does when it runs, between the requests.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from frombelow.services import deciding, elections
from tests.api.story import client_of, ok
from tests.services.world import Clock
from tests.web.scene import Scene, build

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(clock: Clock) -> Scene:
    return build(clock)


def scheduler(now: datetime) -> None:
    """Run what `frombelow notify` runs each minute: count the votes due, open the elections due."""
    deciding.close_due_votes(now)
    elections.open_due_elections(now)


def test_election_story_through_the_api(scene: Scene, clock: Clock) -> None:
    """A term falls due, the election opens by itself, two members stand, members rank them, it
    is counted, the winner takes office, and a substitute is seated on a resignation."""
    docks = scene.docks.slug
    ana, dolores = client_of(scene.ana, "ana"), client_of(scene.dolores, "dolores")
    voters = [client_of(m, f"docker{i}") for i, m in enumerate(scene.dockers[2:9])]
    old = scene.delegate_term
    clock.now = old.ends_at - timedelta(days=30)  # the statute's notice: the election is due
    scheduler(clock.now)

    due = [
        e
        for e in ok(ana.call("GET", f"/bodies/{docks}/elections"), 200)
        if e["office"] == "delegate" and e["taking_candidacies"]
    ]
    assert len(due) == 1, due
    election = due[0]["id"]
    ok(ana.call("POST", f"/elections/{election}/candidacies", {"statement": "Reports weekly."}))
    after = ok(dolores.call("POST", f"/elections/{election}/candidacies", {}))
    candidates = {c["name"]: c for c in after["candidates"]}
    assert candidates["Ana Ruiz"]["statement"] == "Reports weekly."
    assert after["vote"] is None

    # Casting before the vote opens is refused, with the reason.
    early = ana.call("POST", f"/elections/{election}/ballots", {"ranking": [[scene.ana.pk]]})
    assert early.status_code == 409, early.json()
    assert "has not opened" in early.json()["detail"]

    # Nominations close and the vote opens by itself, with nobody acting.
    clock.now = datetime.fromisoformat(after["nominations_close"])
    scheduler(clock.now)
    opened = ok(ana.call("GET", f"/elections/{election}"), 200)
    assert opened["vote"] is not None
    assert not opened["closed"]

    a, d = scene.ana.pk, scene.dolores.pk
    ok(ana.call("POST", f"/elections/{election}/ballots", {"ranking": [[a], [d]]}))
    ok(dolores.call("POST", f"/elections/{election}/ballots", {"ranking": [[d]]}))
    for voter in voters[:4]:
        ok(voter.call("POST", f"/elections/{election}/ballots", {"ranking": [[a], [d]]}))
    for voter in voters[4:]:
        ok(voter.call("POST", f"/elections/{election}/ballots", {"ranking": [[d]]}))
    # A second ballot from one member is refused and changes nothing.
    again = ana.call("POST", f"/elections/{election}/ballots", {"ranking": [[d]]})
    assert again.status_code == 409, again.json()

    # It closes at its end and is counted by itself; the winner takes office.
    vote = ok(ana.call("GET", f"/votes/{opened['vote']}"), 200)
    clock.now = datetime.fromisoformat(vote["closes_at"])
    scheduler(clock.now)
    counted = ok(ana.call("GET", f"/elections/{election}"), 200)
    assert counted["closed"]
    assert counted["elected"] == [elections.candidate_label(scene.ana)]
    assert counted["result"] is not None

    # Once the old term has ended, Ana holds the seat; she resigns and Dolores, her substitute,
    # takes it at once.
    clock.now = old.ends_at + timedelta(days=1)
    body = ok(ana.call("GET", f"/bodies/{docks}"), 200)
    (seat,) = [t for t in body["delegates"] if t["council"] == scene.council.slug]
    assert seat["holder"] == a
    # Only the holder resigns a term.
    refused = dolores.call("POST", f"/terms/{seat['id']}/resignation")
    assert refused.status_code in (403, 409), refused.json()
    resigned = ok(ana.call("POST", f"/terms/{seat['id']}/resignation"))
    assert resigned["substitute"] == d
    assert not resigned["by_election_due"]
    body = ok(dolores.call("GET", f"/bodies/{docks}"), 200)
    holders = [t["holder"] for t in body["delegates"] if t["council"] == scene.council.slug]
    assert holders == [d]
