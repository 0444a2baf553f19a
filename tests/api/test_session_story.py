"""Issue 11's council session through the API alone, as the browser story walks it on the pages:
the federation's elected secretary schedules a session and sends its agenda down; the docks vote
their mandate bound and the rail depot theirs proportional; the delegates cast on a matter raised
at the session; the items are decided; the member bodies ratify the provisional decision. Every
act of a person is an HTTP request with their bearer token, checked against the OpenAPI document.

Time passes as in the browser stories: the clock moves, and the scheduler (`frombelow notify`)
does what it does when it runs, between the requests.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from frombelow.db.models import RecordEntry
from frombelow.services import deciding
from tests.api.conftest import ApiClient
from tests.api.story import client_of, ok
from tests.services.world import Clock
from tests.web.scene import Scene, build

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(clock: Clock) -> Scene:
    return build(clock)


def scheduler(clock: Clock) -> None:
    """Run what `frombelow notify` runs each minute: open the motions due, count the votes due."""
    deciding.open_due_motions(clock.now)
    deciding.close_due_votes(clock.now)


def propose(client: ApiClient, body: str, title: str) -> int:
    """Propose a motion to the body and submit it; return its id."""
    made = ok(client.call("POST", f"/bodies/{body}/motions", {"title": title, "text": title}))
    ok(client.call("POST", f"/motions/{made['id']}/submit"), 200)
    return int(made["id"])


def opened_by_itself(clock: Clock) -> None:
    """Let the statute's deadline pass with no secretary to put the motions: they open alone."""
    clock.advance(days=14, minutes=1)
    scheduler(clock)


def cast(motion: int, ballots: dict[ApiClient, str]) -> None:
    """Cast each member's ballot in the vote on the motion."""
    for client, choice in ballots.items():
        (vote,) = ok(client.call("GET", f"/motions/{motion}"), 200)["votes"]
        ok(client.call("POST", f"/votes/{vote}/ballots", {"ranking": [[choice]]}))


def counted(motions: dict[int, ApiClient], clock: Clock) -> None:
    """Let the clock reach the end of the motions' votes (each read by a member of its body);
    the scheduler counts them."""
    ends = []
    for motion, client in motions.items():
        (vote,) = ok(client.call("GET", f"/motions/{motion}"), 200)["votes"]
        closes = ok(client.call("GET", f"/votes/{vote}"), 200)["closes_at"]
        ends.append(datetime.fromisoformat(closes))
    clock.now = max(ends) + timedelta(minutes=1)
    scheduler(clock)
    for motion, client in motions.items():
        assert ok(client.call("GET", f"/motions/{motion}"), 200)["decision"] is not None


def test_session_story_through_the_api(scene: Scene, clock: Clock) -> None:
    council, docks, rail = scene.council.slug, scene.docks.slug, scene.rail.slug
    carmen = client_of(scene.carmen, "carmen")
    dolores, rosa = client_of(scene.dolores, "dolores"), client_of(scene.rosa, "rosa")
    dockers = [client_of(scene.ana, "ana")] + [
        client_of(m, f"docker{i}") for i, m in enumerate(scene.dockers[2:4])
    ]
    railways = [rosa] + [client_of(m, f"rail{i}") for i, m in enumerate(scene.railways[1:])]
    fund = propose(rosa, council, "A strike fund")

    # The secretary schedules the session and sends its agenda down; a delegate may not.
    starts = clock.now + timedelta(days=40)
    body = {"title": "Summer congress", "starts_at": starts.isoformat()}
    before = RecordEntry.objects.count()
    refused = dolores.call("POST", f"/bodies/{council}/sessions", body)
    assert refused.status_code == 403, refused.json()
    assert "only the secretary that 'transport' elected" in refused.json()["detail"]
    assert RecordEntry.objects.count() == before
    summer = ok(carmen.call("POST", f"/bodies/{council}/sessions", body))
    assert summer["secretary"] == scene.carmen.pk
    path = f"/sessions/{summer['id']}"
    (item,) = [ok(carmen.call("POST", f"{path}/items", {"motion": fund}))]
    sent = ok(carmen.call("POST", f"{path}/agenda"), 200)
    assert sent["agenda_sent_at"] <= sent["agenda_deadline"]

    # The docks bind their delegate; the rail depot splits its weight as it votes.
    bound = ok(
        dockers[0].call(
            "POST", f"/items/{item['id']}/mandate-motions", {"body": docks, "mandate": "bound"}
        )
    )["id"]
    proportional = ok(
        rosa.call(
            "POST",
            f"/items/{item['id']}/mandate-motions",
            {"body": rail, "mandate": "proportional"},
        )
    )["id"]
    for client, motion in ((dockers[0], bound), (rosa, proportional)):
        ok(client.call("POST", f"/motions/{motion}/submit"), 200)
    opened_by_itself(clock)
    cast(bound, dict(zip(dockers, ["yes", "yes", "no"], strict=True)))
    cast(proportional, dict(zip(railways, ["yes", "yes", "yes", "no"], strict=True)))
    counted({bound: dockers[0], proportional: rosa}, clock)
    levy = propose(dolores, council, "A solidarity levy")

    # At the session the mandated votes are derived; the delegates cast on what arises there.
    clock.now = starts
    opened = ok(carmen.call("POST", f"{path}/open"), 200)
    (table,) = [i["mandates"] for i in opened["items"]]
    votes = {row["member_body"]: row["votes"] for row in table}
    assert votes == {docks: {"yes": 9}, rail: {"yes": 3, "no": 1, "abstain": 0}}
    decided = ok(carmen.call("POST", f"/items/{item['id']}/decision"))
    assert decided["outcome"] == "carried"
    raised = ok(carmen.call("POST", f"{path}/items", {"motion": levy}))
    assert raised["new_matter"] is True
    for delegate in (dolores, rosa):
        ok(delegate.call("POST", f"/votes/{raised['vote']}/ballots", {"ranking": [["yes"]]}))
    provisional = ok(carmen.call("POST", f"/items/{raised['id']}/decision"))
    assert provisional["provisional"] is True
    ok(carmen.call("POST", f"{path}/close"), 200)

    # Each member body sees what it owes, and ratifies it by its own vote.
    answers = []
    for client, slug in ((dockers[0], docks), (rosa, rail)):
        owed = ok(client.call("GET", f"/bodies/{slug}/ratifications"), 200)
        assert provisional["id"] in {r["decision"] for r in owed}
        ratify = ok(
            client.call("POST", f"/decisions/{provisional['id']}/ratify-motions", {"body": slug})
        )["id"]
        ok(client.call("POST", f"/motions/{ratify}/submit"), 200)
        answers.append(ratify)
    opened_by_itself(clock)
    cast(answers[0], dict.fromkeys(dockers[:2], "yes"))
    cast(answers[1], dict.fromkeys(railways[:2], "yes"))
    counted({answers[0]: dockers[0], answers[1]: rosa}, clock)
    ratified = ok(dockers[0].call("GET", f"/decisions/{provisional['id']}"), 200)
    assert ratified["standing"] == "ratified"
    owed = ok(dockers[0].call("GET", f"/bodies/{docks}/ratifications"), 200)
    assert provisional["id"] not in {r["decision"] for r in owed}
