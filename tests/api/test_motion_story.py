"""Issue 11's motion story through the API alone: a member proposes a motion, two members support
it, it is submitted; no secretary puts it to the vote, so it opens by itself at the statute's
deadline; members vote, it closes by itself at its end and is counted, a member of the minority
dissents, and the implementer reports progress. Every act of a person is an HTTP request with
their bearer token, checked against the OpenAPI document.

Time passes as in the browser stories: the clock moves, and the scheduler (`frombelow notify`,
which `serve` runs every minute) does what it does when it runs, between the requests.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from frombelow.services import deciding
from tests.api.story import client_of, ok
from tests.services.world import Clock
from tests.web.scene import Scene, build

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(clock: Clock) -> Scene:
    return build(clock)


def scheduler(now: datetime) -> None:
    """Run what `frombelow notify` runs each minute: count the votes due, open the motions due."""
    deciding.close_due_votes(now)
    deciding.open_due_motions(now)


def test_motion_story_through_the_api(scene: Scene, clock: Clock) -> None:
    ana, dolores = client_of(scene.ana, "ana"), client_of(scene.dolores, "dolores")
    benito = client_of(scene.dockers[2], "benito")
    by = (clock.now + timedelta(days=45)).date().isoformat()
    made = ok(
        ana.call(
            "POST",
            f"/bodies/{scene.docks.slug}/motions",
            {
                "title": "No two night shifts running",
                "text": "No one works two nights in a row.",
                "implementers": [scene.ana.pk],
                "implement_by": by,
            },
        )
    )
    path = f"/motions/{made['id']}"
    for supporter in (dolores, benito):
        ok(supporter.call("POST", f"{path}/support"))
    submitted = ok(ana.call("POST", f"{path}/submit"), 200)
    assert (submitted["status"], submitted["supporters"]) == ("submitted", 2)
    # The docks have elected no secretary to put it: it opens by itself at the deadline.
    deadline = datetime.fromisoformat(submitted["opens_by_itself_at"])
    assert deadline == clock.now + timedelta(days=14)
    refusal = ana.call("POST", f"{path}/votes", {"closes_at": (deadline).isoformat()})
    assert refusal.status_code == 403
    assert "only the secretary that 'docks' elected" in refusal.json()["detail"]

    clock.now = deadline
    scheduler(clock.now)
    opened = ok(ana.call("GET", path), 200)
    assert (opened["status"], opened["opens_by_itself_at"]) == ("voting", None)
    (vote_id,) = opened["votes"]
    for voter, choice in ((ana, "yes"), (dolores, "yes"), (benito, "no")):
        ok(voter.call("POST", f"/votes/{vote_id}/ballots", {"ranking": [[choice]]}))

    # It closes by itself at its end: the scheduler counts it, with nobody acting.
    vote = ok(ana.call("GET", f"/votes/{vote_id}"), 200)
    clock.now = datetime.fromisoformat(vote["closes_at"]) + timedelta(minutes=1)
    scheduler(clock.now)
    decided = ok(ana.call("GET", path), 200)
    decision = decided["decision"]
    assert (decided["status"], decision["outcome"]) == ("decided", "carried")

    dissent = {"text": "Short-staffed crews will pay for this."}
    assert ana.call("POST", f"/decisions/{decision['id']}/dissents", dissent).status_code == 403
    ok(benito.call("POST", f"/decisions/{decision['id']}/dissents", dissent))
    report = {"text": "The new rota is drafted with the crews."}
    ok(ana.call("POST", f"/decisions/{decision['id']}/progress", report))
    carried_out = ok(dolores.call("GET", f"/decisions/{decision['id']}"), 200)
    assert carried_out["implementation"]["due_on"] == by
    assert [r["text"] for r in carried_out["implementation"]["reports"]] == [report["text"]]
    assert [d["text"] for d in carried_out["dissents"]] == [dissent["text"]]
