"""Issue 11's motion story, walked in a real browser, in English on a desktop and in Spanish on a
phone: a member proposes a motion, two members support it, it is submitted; no secretary puts it
to the vote, so it opens by itself at the statute's deadline; members vote, it closes by itself at
its end and is counted, a member of the minority dissents, and the implementer reports progress.

Every act is a person's on the pages; the scheduler's runs (`frombelow notify`, every minute
beside the server) are its functions called as it would call them, once the clock has moved.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from playwright.sync_api import expect

from frombelow.db.models import Decision, Motion, ProgressReport
from frombelow.services import deciding
from tests.browser.conftest import WALKS, Walk, fits_a_phone, see, sign_in, sign_out
from tests.services.world import Clock
from tests.web.scene import Scene, account, build

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def scene(served: str, clock: Clock) -> Scene:
    built = build(clock)
    account(built.dockers[2], "benito")
    return built


def scheduler(clock: Clock) -> None:
    """Run what `frombelow notify` runs each minute: count the votes due, open the motions due."""
    deciding.close_due_votes(clock.now)
    deciding.open_due_motions(clock.now)


def vote_as(page: Any, say: Walk, username: str, motion: Motion, choice: str) -> None:
    """Sign in as `username` and cast `choice` on the motion's page."""
    sign_in(page, username)
    page.goto(f"/motions/{motion.pk}/")
    page.get_by_label(say(choice), exact=True).check()
    page.get_by_role("button", name=say("Cast my ballot")).click()
    expect(page.get_by_role("status")).to_contain_text(say("Your ballot is cast."))
    sign_out(page)


@WALKS
def test_a_motion_goes_from_proposal_to_a_decision_carried_out(
    page: Any, scene: Scene, clock: Clock, walk: Walk
) -> None:
    say = walk
    sign_in(page, "ana")
    page.goto(f"/bodies/{scene.docks.slug}/")
    proposal = page.locator("details", has_text=say("Propose a motion"))
    proposal.locator("summary").click()
    proposal.get_by_label(say("Title"), exact=True).fill("No two night shifts running")
    proposal.get_by_label(say("Text"), exact=True).fill("No one works two nights in a row.")
    proposal.get_by_label(say("Who carries it out if it carries (optional)")).select_option(
        label="Ana Ruiz"
    )
    proposal.get_by_label(say("By when (optional)")).fill(
        (clock.now.date() + timedelta(days=45)).isoformat()
    )
    see(page, "motion-propose")
    proposal.get_by_role("button", name=say("Propose the draft")).click()
    expect(page.get_by_role("status")).to_contain_text(say("Your motion is proposed."))
    motion = Motion.objects.get(title="No two night shifts running")
    see(page, "motion-draft", posted=True)
    sign_out(page)

    for supporter in ("dolores", "benito"):
        sign_in(page, supporter)
        page.goto(f"/motions/{motion.pk}/")
        page.get_by_role("button", name=say("Support this motion")).click()
        expect(page.get_by_role("status")).to_contain_text(say("Your support is recorded."))
        sign_out(page)

    sign_in(page, "ana")
    page.goto(f"/motions/{motion.pk}/")
    expect(page.get_by_role("main")).to_contain_text("Dolores Ibárruri, Benito Sala")
    page.get_by_role("button", name=say("Submit for debate")).click()
    expect(page.get_by_role("status")).to_contain_text(say("The motion is submitted for debate."))
    # The page says until when the docks' secretary may put it, and that it then opens by itself;
    # the docks have elected no secretary, and Ana is offered no form to put it herself.
    vote_box = page.get_by_role("region", name=say("Vote"), exact=True)
    expect(vote_box).to_contain_text(say("This motion has not been put to a vote."))
    expect(page.get_by_role("button", name=say("Open the vote"))).to_have_count(0)
    see(page, "motion-submitted", posted=True)
    fits_a_phone(page)
    sign_out(page)

    # Nobody sits on a motion: at the statute's deadline the scheduler opens its vote.
    assert not motion.votes.exists()
    clock.advance(days=14, minutes=1)
    scheduler(clock)
    vote = motion.votes.get()
    for username, choice in (("ana", "yes"), ("dolores", "yes"), ("benito", "no")):
        vote_as(page, say, username, motion, choice)

    # The vote closes by itself at its end: the scheduler counts it, with nobody acting.
    assert vote.closes_at is not None
    clock.now = vote.closes_at + timedelta(minutes=1)
    scheduler(clock)
    decision = Decision.objects.get(vote=vote)
    assert decision.outcome == Decision.Outcome.CARRIED

    sign_in(page, "benito")
    page.goto(f"/motions/{motion.pk}/")
    expect(page.get_by_role("main")).to_contain_text(say("Carried"))
    page.get_by_label(say("State your dissent (members of the minority)")).fill(
        "Short-staffed crews will pay for this."
    )
    page.get_by_role("button", name=say("Record my dissent")).click()
    expect(page.get_by_role("status")).to_contain_text(say("Your dissent is recorded."))
    see(page, "motion-decided", posted=True)
    sign_out(page)

    sign_in(page, "ana")
    page.goto(f"/motions/{motion.pk}/")
    page.get_by_label(say("Report on your progress")).fill(
        "The new rota is drafted with the crews."
    )
    page.get_by_role("button", name=say("Send the report")).click()
    expect(page.get_by_role("status")).to_contain_text(say("Your report is recorded."))
    expect(page.get_by_role("main")).to_contain_text("The new rota is drafted with the crews.")
    see(page, "motion-progress", posted=True)
    fits_a_phone(page)
    assert ProgressReport.objects.get().author == scene.ana
