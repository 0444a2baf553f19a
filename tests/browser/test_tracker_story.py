"""Issue 14's tracker story, walked in a real browser: a member casts a secret ballot, keeps the
tracker the page gives once, changes the ballot with it while the vote is open; at the count the
motion's page lists the ballots by their trackers' hashes with the count recomputed from them, and
the member finds theirs with the tracker: only its last version counted.

The other members' ballots and the scheduler's count (`frombelow notify`) happen through the
services between the clicks, once the clock has moved.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from playwright.sync_api import expect

from frombelow.db.models import Vote
from frombelow.services import deciding, motions, votes
from tests.browser.conftest import fits_a_phone, see, sign_in
from tests.services.world import Clock, open_at_once
from tests.web.scene import Scene, build

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def scene(served: str, clock: Clock) -> Scene:
    return build(clock)


def test_a_voter_changes_their_secret_ballot_and_finds_its_last_version_in_the_list(
    page: Any, scene: Scene, clock: Clock
) -> None:
    motion = motions.submit_motion(
        actor=scene.dolores,
        motion=motions.propose_motion(
            actor=scene.dolores, body=scene.docks, title="Night shifts", text="Two at most."
        ),
    )
    vote = open_at_once(
        motion, closes_at=clock.now + timedelta(days=3), ballot_kind=Vote.BallotKind.SECRET
    )
    sign_in(page, "ana")
    page.goto(f"/motions/{motion.pk}/")
    cast = page.locator("form", has=page.get_by_role("button", name="Cast my ballot"))
    cast.get_by_label("yes", exact=True).check()
    cast.get_by_role("button", name="Cast my ballot").click()
    status = page.get_by_role("status")
    expect(status).to_contain_text("Your ballot is cast.")
    shown = re.search(r"tracker is ([0-9a-f]{64})", status.inner_text())
    assert shown is not None
    tracker = shown.group(1)
    see(page, "tracker-given")

    change = page.locator("details", has_text="Change a secret ballot with its tracker")
    change.locator("summary").click()
    change.get_by_label("The ballot's tracker").fill(tracker)
    change.get_by_label("no", exact=True).check()
    change.get_by_role("button", name="Change the ballot").click()
    expect(page.get_by_role("status")).to_contain_text("only its last version counts")

    for voter, choice in ((scene.dolores, "yes"), (scene.dockers[2], "no")):
        votes.cast_ballot(actor=voter, vote=vote, ranking=[[choice]])
    assert vote.closes_at is not None
    clock.now = vote.closes_at
    deciding.close_due_votes(clock.now)  # the scheduler counts it at its close

    page.goto(f"/motions/{motion.pk}/")
    ballots = page.get_by_role("region", name="The published ballots")
    expect(ballots).to_contain_text("they agree")
    # One yes against two no, Ana's changed ballot among them, on the recount as officially.
    expect(ballots.get_by_role("row", name="Outcome")).to_have_text(re.compile(r"Lost\s*Lost"))
    ballots.locator("summary", has_text="The list: 3 ballots").click()
    expect(ballots.locator("code")).to_have_count(3)
    see(page, "ballots-published")
    fits_a_phone(page)  # a hash of 64 hex digits wraps rather than widening the page
    ballots.get_by_label("Find your ballot: your tracker").fill(tracker)
    ballots.get_by_role("button", name="Find my ballot").click()
    expect(page.get_by_role("status")).to_have_text("Your ballot is in the list: it says no.")
    assert tracker not in page.url
    see(page, "ballot-found", posted=True)
    fits_a_phone(page)
