"""The stories of issue 4, walked in a real browser as a person would, on a real server.

Each story signs in, clicks and types; the other members' acts and the passing of days happen
through the services and the services' clock, between the clicks. Every page is saved at desktop
and phone widths into docs/screenshots/, and axe-core checks it for serious or critical problems.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from playwright.sync_api import expect

from frombelow.db.models import Motion, Petition, Referendum, Term, Vote
from frombelow.services import petitions, referendums, votes
from tests.browser.conftest import see, sign_in, sign_out
from tests.services.world import Clock
from tests.web.scene import Scene, build

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def scene(served: str, clock: Clock) -> Scene:
    return build(clock)


def test_a_member_votes_the_mandate_and_the_session_derives_and_decides(
    page: Any, scene: Scene, clock: Clock
) -> None:
    page.goto("/accounts/login/")
    see(page, "sign-in")
    sign_in(page, "ana")
    expect(page.get_by_role("heading", name="My delegates")).to_be_visible()
    see(page, "home")

    page.get_by_role("link", name="Our mandate on the strike").click()
    page.get_by_role("radio", name="yes").first.check()
    page.get_by_role("button", name="Cast my ballot").click()
    expect(page.get_by_role("status")).to_contain_text("Your ballot is cast.")
    see(page, "motion")

    # The rest of the docks vote, five for and three against, and the week passes.
    for docker, choice in zip(scene.dockers[2:], ["yes"] * 4 + ["no"] * 3, strict=True):
        votes.cast_ballot(actor=docker, vote=scene.mandate_vote, ranking=[[choice]])
    clock.advance(days=7)
    page.reload()
    page.get_by_role("button", name="Count the vote").click()
    # The decision's badge (a secret vote's page also lists its ballots recounted, "Carried" too).
    expect(page.locator(".badge.carried", has_text="Carried")).to_be_visible()

    # At the session, its secretary opens it: the bound and proportional votes derive at once.
    clock.now = scene.session.starts_at
    sign_out(page)
    sign_in(page, "carmen")
    page.goto(f"/sessions/{scene.session.pk}/")
    page.get_by_role("button", name="Open the session").click()
    table = page.get_by_role("table")
    expect(table.get_by_role("row", name=re.compile("Docks"))).to_contain_text("Bound: yes")
    expect(table.get_by_role("row", name=re.compile("Rail Depot"))).to_contain_text("yes 3, no 1")
    expect(page.get_by_text("Live tally")).to_be_visible()
    see(page, "session-open")
    page.get_by_role("button", name="Decide the item").click()
    expect(page.get_by_text("Final tally")).to_be_visible()
    expect(page.locator(".tally .badge.carried")).to_be_visible()
    see(page, "session-decided")


def test_a_member_petitions_to_recall_the_delegate_and_the_substitute_takes_the_seat(
    page: Any, scene: Scene, clock: Clock
) -> None:
    sign_in(page, "ana")
    page.goto(f"/bodies/{scene.docks.slug}/")
    see(page, "body")
    page.get_by_role("link", name="Petition to recall Dolores Ibárruri").click()
    page.get_by_label("Why should they be recalled?").fill("She cast our vote against our mandate.")
    see(page, "recall-reason")
    page.get_by_role("button", name="Open the petition and sign it").click()
    # Its opener's signature is the first, and one of nine dockers reaches the tenth needed.
    expect(page.get_by_text("threshold reached")).to_be_visible()
    expect(page.get_by_text("She cast our vote against our mandate.")).to_be_visible()
    see(page, "petition")

    page.get_by_role("link", name=re.compile("Recall Dolores")).click()
    page.get_by_role("radio", name="yes").first.check()
    page.get_by_role("button", name="Cast my ballot").click()
    expect(page.get_by_role("status")).to_contain_text("Your ballot is cast.")
    recall = Vote.objects.get(motion__kind=Motion.Kind.RECALL)
    for docker in scene.dockers[2:7]:
        votes.cast_ballot(actor=docker, vote=recall, ranking=[["yes"]])
    clock.advance(days=7)
    page.reload()
    page.get_by_role("button", name="Count the vote").click()
    # The decision's badge (a secret vote's page also lists its ballots recounted, "Carried" too).
    expect(page.locator(".badge.carried", has_text="Carried")).to_be_visible()

    page.goto(f"/bodies/{scene.docks.slug}/")
    officers = page.get_by_role("region", name="Delegates and officers")
    expect(officers).to_contain_text("Benito Sala")
    expect(officers).to_contain_text("substitute")
    expect(officers).not_to_contain_text("Dolores Ibárruri")
    see(page, "body-after-recall")
    assert Term.objects.get(substitute_for=scene.delegate_term).holder == scene.dockers[2]


def test_a_member_votes_in_the_referendum_and_sees_the_roll_up(
    page: Any, scene: Scene, clock: Clock
) -> None:
    petitions.open_petition(
        actor=scene.railways[1],
        kind=Petition.Kind.REFERENDUM,
        body=scene.council,
        question="Shall the federation call a general strike?",
    )  # its opener's signature is the first of two
    sign_in(page, "ana")
    page.get_by_role("link", name="Shall the federation call a general strike?").click()
    page.get_by_role("button", name="Sign the petition").click()
    page.get_by_role("link", name="Shall the federation call a general strike?").click()
    page.get_by_role("radio", name="yes").first.check()
    page.get_by_role("button", name="Cast my ballot").click()
    expect(page.get_by_role("status")).to_contain_text("Your ballot is cast.")
    see(page, "referendum-vote")

    referendum = Referendum.objects.get()
    for member, choice in [
        *[(d, "yes") for d in scene.dockers[2:6]],
        *[(r, "no") for r in scene.railways[:3]],
    ]:
        referendums.cast_referendum_ballot(actor=member, referendum=referendum, option=choice)
    clock.now = referendum.closes_at + timedelta(minutes=1)
    page.reload()
    page.get_by_role("button", name="Count the referendum").click()
    tree = page.locator("ul.tree")
    expect(tree).to_contain_text("Transport")
    expect(tree.locator("li li")).to_have_count(2)
    expect(tree).to_contain_text("5 of 9 voted")  # the docks
    see(page, "referendum-roll-up")


def test_an_election_result_shows_each_round_in_spanish_too(page: Any, scene: Scene) -> None:
    sign_in(page, "ana")
    page.goto(f"/elections/{scene.election.pk}/")
    expect(page.get_by_role("heading", name="Round 1")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("Round 2"))).to_be_visible()
    expect(page.locator("svg.bars rect.bar.elected")).to_have_count(1)
    expect(page.locator("svg.bars rect.bar.excluded")).to_have_count(1)  # Carmen, in round 2
    expect(page.get_by_role("main")).not_to_contain_text("#")  # names, not ballot labels
    see(page, "election-rounds")
    page.get_by_label("Language").select_option("es")
    page.get_by_role("button", name="Change").click()
    expect(page.get_by_role("heading", name=re.compile("Ronda 2"))).to_be_visible()
    see(page, "election-rounds-es")
