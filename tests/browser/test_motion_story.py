"""Issue 11's motion story, walked in a real browser: a member proposes a motion, two members
support it, it is submitted and put to the vote, members vote, it closes by itself at its end and
is counted, a member of the minority dissents, and the implementer reports progress.

Every act is a person's on the pages; the scheduler's run (`frombelow notify`, every minute
beside the server) is its function called as it would call it, once the clock has moved.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from playwright.sync_api import expect

from frombelow.db.models import Decision, Motion, ProgressReport
from frombelow.services import deciding
from tests.browser.conftest import see, sign_in, sign_out
from tests.services.world import Clock
from tests.web.scene import Scene, account, build

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def scene(served: str, clock: Clock) -> Scene:
    built = build(clock)
    account(built.dockers[2], "benito")
    return built


def vote_as(page: Any, username: str, motion: Motion, choice: str) -> None:
    """Sign in as `username` and cast `choice` on the motion's page."""
    sign_in(page, username)
    page.goto(f"/motions/{motion.pk}/")
    page.get_by_label(choice, exact=True).check()
    page.get_by_role("button", name="Cast my ballot").click()
    expect(page.get_by_role("status")).to_contain_text("Your ballot is cast.")
    sign_out(page)


def test_a_motion_goes_from_proposal_to_a_decision_carried_out(
    page: Any, scene: Scene, clock: Clock
) -> None:
    sign_in(page, "ana")
    page.goto(f"/bodies/{scene.docks.slug}/")
    proposal = page.locator("details", has_text="Propose a motion")
    proposal.locator("summary").click()
    proposal.get_by_label("Title", exact=True).fill("No two night shifts running")
    proposal.get_by_label("Text", exact=True).fill("No one works two nights in a row.")
    proposal.get_by_label("Who carries it out if it carries (optional)").select_option(
        label="Ana Ruiz"
    )
    proposal.get_by_label("By when (optional)").fill(
        (clock.now.date() + timedelta(days=30)).isoformat()
    )
    see(page, "motion-propose")
    proposal.get_by_role("button", name="Propose the draft").click()
    expect(page.get_by_role("status")).to_contain_text("Your motion is proposed.")
    motion = Motion.objects.get(title="No two night shifts running")
    see(page, "motion-draft", posted=True)
    sign_out(page)

    for supporter in ("dolores", "benito"):
        sign_in(page, supporter)
        page.goto(f"/motions/{motion.pk}/")
        page.get_by_role("button", name="Support this motion").click()
        expect(page.get_by_role("status")).to_contain_text("Your support is recorded.")
        sign_out(page)

    sign_in(page, "ana")
    page.goto(f"/motions/{motion.pk}/")
    expect(page.get_by_role("main")).to_contain_text("Dolores Ibárruri, Benito Sala")
    page.get_by_role("button", name="Submit for debate").click()
    expect(page.get_by_role("status")).to_contain_text("submitted for debate")
    page.get_by_text("Put it to the vote").click()
    see(page, "motion-put-to-vote", posted=True)
    # The form offers a close an hour or two past the soonest the statute allows.
    page.get_by_role("button", name="Open the vote").click()
    expect(page.get_by_role("status")).to_contain_text("The motion is put to the vote.")
    sign_out(page)

    vote_as(page, "ana", motion, "yes")
    vote_as(page, "dolores", motion, "yes")
    vote_as(page, "benito", motion, "no")

    # The vote closes by itself at its end: the scheduler counts it, with nobody acting.
    vote = motion.votes.get()
    assert vote.closes_at is not None
    clock.now = vote.closes_at + timedelta(minutes=1)
    deciding.close_due_votes(clock.now)
    decision = Decision.objects.get(vote=vote)
    assert decision.outcome == Decision.Outcome.CARRIED

    sign_in(page, "benito")
    page.goto(f"/motions/{motion.pk}/")
    expect(page.get_by_role("main")).to_contain_text("Carried")
    page.get_by_label("State your dissent (members of the minority)").fill(
        "Short-staffed crews will pay for this."
    )
    page.get_by_role("button", name="Record my dissent").click()
    expect(page.get_by_role("status")).to_contain_text("Your dissent is recorded.")
    see(page, "motion-decided", posted=True)
    sign_out(page)

    sign_in(page, "ana")
    page.goto(f"/motions/{motion.pk}/")
    page.get_by_label("Report on your progress").fill("The new rota is drafted with the crews.")
    page.get_by_role("button", name="Send the report").click()
    expect(page.get_by_role("status")).to_contain_text("Your report is recorded.")
    expect(page.get_by_role("main")).to_contain_text("The new rota is drafted with the crews.")
    see(page, "motion-progress", posted=True)
    assert ProgressReport.objects.get().author == scene.ana
