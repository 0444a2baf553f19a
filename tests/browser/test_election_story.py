"""Issue 11's election story, walked in a real browser: a term falls due, the election opens by
itself, two members stand, members rank them, it is counted, the winner takes office, and the
substitute is seated when the winner resigns.

The people act on the pages; the other members' ballots go through the services, and the
scheduler's runs (`frombelow notify`, every minute beside the server) are its two functions
called as it would call them, between the clicks, as the clock moves.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from playwright.sync_api import expect

from frombelow.db.models import Election, Term
from frombelow.services import deciding, elections, votes
from tests.browser.conftest import WALKS, Walk, see, sign_in, sign_out
from tests.services.world import Clock
from tests.web.scene import Scene, build

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def scene(served: str, clock: Clock) -> Scene:
    return build(clock)


def scheduler(clock: Clock) -> None:
    """Run what `frombelow notify` runs each minute: count the votes due, open the elections due."""
    deciding.close_due_votes(clock.now)
    elections.open_due_elections(clock.now)


@WALKS
def test_a_term_falls_due_and_the_election_runs_by_itself_to_a_substitute(
    page: Any, scene: Scene, clock: Clock, walk: Walk
) -> None:
    say = walk
    old = scene.delegate_term
    clock.now = old.ends_at - timedelta(days=30)  # the statute's notice: the election is due
    scheduler(clock)
    election = Election.objects.get(body=scene.docks, office="delegate", vote__isnull=True)

    sign_in(page, "ana")
    page.goto(f"/bodies/{scene.docks.slug}/")
    region = page.get_by_role("region", name=say("Elections"))
    expect(region).to_contain_text(say("taking candidacies"))
    see(page, "body-election-due")
    region.get_by_role("link", name=say("delegate")).first.click()
    page.get_by_label(say("Your statement to the electors (optional)")).fill(
        "Every mandate reported back within a week."
    )
    page.get_by_role("button", name=say("Stand"), exact=True).click()
    expect(page.get_by_role("status")).to_contain_text(say("You stand in this election."))
    expect(page.get_by_role("main")).to_contain_text("Every mandate reported back within a week.")
    see(page, "election-nominations", posted=False)

    sign_out(page)
    sign_in(page, "dolores")
    page.goto(f"/elections/{election.pk}/")
    page.get_by_role("button", name=say("Stand"), exact=True).click()
    expect(page.get_by_role("status")).to_contain_text(say("You stand in this election."))

    # Nominations close and the vote opens by itself, with nobody acting.
    clock.now = election.called_at + timedelta(days=14)
    scheduler(clock)
    election.refresh_from_db()
    assert election.vote is not None
    sign_out(page)
    sign_in(page, "ana")
    page.goto(f"/elections/{election.pk}/")
    page.get_by_role("spinbutton", name="Ana Ruiz").fill("1")
    page.get_by_role("spinbutton", name="Dolores Ibárruri").fill("2")
    page.get_by_role("button", name=say("Cast my ballot")).click()
    expect(page.get_by_role("status")).to_be_visible()
    see(page, "election-ballot-cast")
    ana_label = elections.candidate_label(scene.ana)
    dolores_label = elections.candidate_label(scene.dolores)
    for docker in scene.dockers[2:6]:
        votes.cast_ballot(actor=docker, vote=election.vote, ranking=[[ana_label], [dolores_label]])
    for docker in [scene.dolores, *scene.dockers[6:8]]:
        votes.cast_ballot(actor=docker, vote=election.vote, ranking=[[dolores_label]])

    # The vote closes at its end and is counted by itself; the winner takes office.
    assert election.vote.closes_at is not None
    clock.now = election.vote.closes_at
    scheduler(clock)
    page.reload()
    result = page.get_by_role("region", name=say("Result"))
    expect(result).to_contain_text("Ana Ruiz")
    expect(result).to_contain_text(f"{say('Substitutes, in order')}: Dolores Ibárruri")
    see(page, "election-counted")

    # Once the old term has ended, Ana resigns from the body's page: Dolores, her substitute,
    # takes the seat at once.
    clock.now = old.ends_at + timedelta(days=1)
    page.goto(f"/bodies/{scene.docks.slug}/")
    officers = page.get_by_role("region", name=say("Delegates and officers"))
    expect(officers).to_contain_text("Ana Ruiz")
    officers.get_by_text(say("Resign this term")).click()
    officers.get_by_role("button", name=say("Resign now")).click()
    expect(page.get_by_role("status")).to_contain_text(
        say(
            "You have resigned. The next substitute takes the seat, or a by-election is due."
        ).split(".")[0]
    )
    officers = page.get_by_role("region", name=say("Delegates and officers"))
    expect(officers).to_contain_text("Dolores Ibárruri")
    expect(officers).to_contain_text(say("substitute"))
    expect(officers).not_to_contain_text("Ana Ruiz")
    see(page, "body-after-resignation", posted=True)
    seated = Term.objects.get(substitute_for__holder=scene.ana)
    assert seated.holder == scene.dolores
