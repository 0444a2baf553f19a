"""Issue 11's council session, walked in a real browser: a delegate of the council schedules a
session, puts a motion on its agenda and sends it down; a docker proposes the docks' bound mandate
from the item; the docks and the rail depot vote their mandates (bound, proportional); the
delegate opens the session, is offered no cast against the mandate, decides the item and closes
the session. The session page fits a phone's width."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from playwright.sync_api import expect

from frombelow.db.models import Motion, Session
from frombelow.services import deciding, motions, votes
from tests.browser.conftest import PHONE, see, sign_in, sign_out
from tests.services.world import Clock, mandate, propose
from tests.web.scene import Scene, build

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def scene(served: str, clock: Clock) -> Scene:
    return build(clock)


def vote_mandate(clock: Clock, motion: Motion, voters: dict[Any, str]) -> None:
    """Submit a proposed mandate, put it to the assembly's vote, cast, and count at its close."""
    assert motion.proposer is not None
    motions.submit_motion(actor=motion.proposer, motion=motion)
    vote = votes.open_vote(
        actor=motion.proposer, motion=motion, closes_at=clock.now + timedelta(days=7)
    )
    for voter, choice in voters.items():
        votes.cast_ballot(actor=voter, vote=vote, ranking=[[choice]])
    clock.advance(days=7)
    deciding.close_vote(actor=motion.proposer, vote=vote)


def test_a_session_is_scheduled_mandated_and_decided_on_the_pages(
    page: Any, scene: Scene, clock: Clock
) -> None:
    propose(scene.council, scene.rosa, "A strike fund", text="Each depot pays in.")
    sign_in(page, "dolores")
    page.goto(f"/bodies/{scene.council.slug}/")
    page.get_by_text("Schedule a session").click()
    page.get_by_label("Title of the session").fill("Summer congress")
    starts = clock.now + timedelta(days=40)
    page.get_by_label("Starts at").fill(starts.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Schedule the session").click()
    expect(page.get_by_role("status")).to_contain_text("The session is scheduled.")
    page.get_by_label("A submitted motion of the council").select_option(label="A strike fund")
    page.get_by_role("button", name="Put it on the agenda").click()
    expect(page.get_by_role("status")).to_contain_text("The motion is on the agenda.")
    page.get_by_role("button", name="Send the agenda down").click()
    expect(page.get_by_role("status")).to_contain_text("The agenda is sent down")
    see(page, "session-agenda", posted=True)
    summer = Session.objects.get(title="Summer congress")
    sign_out(page)

    sign_in(page, "ana")
    page.goto(f"/sessions/{summer.pk}/")
    page.get_by_text("Propose your body's mandate on this item").click()
    page.get_by_label(re.compile("^bound:")).check()
    page.get_by_role("button", name="Propose the mandate").click()
    expect(page.get_by_role("status")).to_contain_text("The mandate is proposed")
    ours = Motion.objects.get(kind=Motion.Kind.DECIDE_MANDATE, council_item__session=summer)
    # The docks vote their bound mandate, five to two; the rail depot splits three to one.
    vote_mandate(
        clock,
        ours,
        dict.fromkeys(scene.dockers[:5], "yes")
        | {
            scene.dockers[5]: "no",
            scene.dockers[6]: "no",
        },
    )
    item = summer.items.get()
    ballots = dict(zip(scene.railways, ["yes", "yes", "yes", "no"], strict=True))
    mandate(clock, scene.rail, scene.rosa, item, "proportional", ballots)
    sign_out(page)

    clock.now = starts
    sign_in(page, "dolores")
    page.goto(f"/sessions/{summer.pk}/")
    page.get_by_role("button", name="Open the session").click()
    table = page.get_by_role("table")
    expect(table.get_by_role("row", name=re.compile("Docks"))).to_contain_text("Bound: yes")
    expect(table.get_by_role("row", name=re.compile("Rail Depot"))).to_contain_text("yes 3, no 1")
    # Both delegations' votes are derived: no cast is offered, and nothing holds the item open.
    expect(page.get_by_role("button", name="Cast for my delegation")).to_have_count(0)
    page.set_viewport_size(PHONE)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the session page is {width} px wide on a phone"
    page.set_viewport_size({"width": 1280, "height": 800})
    see(page, "session-mandated", posted=True)
    page.get_by_role("button", name="Decide the item").click()
    expect(page.locator(".tally .badge.carried")).to_be_visible()
    page.get_by_role("button", name="Close the session").click()
    expect(page.get_by_role("status")).to_contain_text("The session is closed.")
