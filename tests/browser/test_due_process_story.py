"""Issue 12's tendencies and due process, walked in a real browser, in English on a desktop and in
Spanish on a phone: a member founds a tendency and publishes a statement; she files a charge
against a member, who replies on the charge's page; the hearing is proposed there, and its vote
waits for the reply; the member suspended appeals to the federation above his assembly.

Every act is a person's on the pages, but the hearing's vote, which the world opens and counts
as its secretary and its members would (the motion story walks those pages).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from playwright.sync_api import expect

from frombelow.core.errors import DueProcessError
from frombelow.db.models import Appeal, Charge, Motion, Reply, Sanction, Statement
from frombelow.services import deciding, motions, votes
from tests.browser.conftest import WALKS, Walk, fits_a_phone, see, sign_in, sign_out
from tests.services.world import Clock, open_at_once
from tests.web.scene import Scene, account, build

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def scene(served: str, clock: Clock) -> Scene:
    built = build(clock)
    account(built.dockers[2], "benito")
    return built


@WALKS
def test_a_tendency_publishes_and_a_charge_is_heard_after_the_reply_and_appealed(
    page: Any, scene: Scene, clock: Clock, walk: Walk
) -> None:
    say = walk
    benito = scene.dockers[2]
    sign_in(page, "ana")
    page.get_by_role("link", name=say("Tendencies")).click()
    page.get_by_label(say("Its name")).fill("Rank and File")
    page.get_by_role("button", name=say("Found the tendency")).click()
    expect(page.get_by_role("status")).to_contain_text(
        say("The tendency is founded; you adhere to it.")
    )
    publish = page.locator("details", has_text=say("Publish a statement"))
    publish.locator("summary").click()
    publish.get_by_label(say("To the body")).select_option(label="Docks")
    publish.get_by_label(say("Title"), exact=True).fill("No to the two-tier deal")
    publish.get_by_label(say("Text"), exact=True).fill("New hires would earn a fifth less.")
    publish.get_by_role("button", name=say("Publish the statement")).click()
    expect(page.get_by_role("status")).to_contain_text(say("The statement is published."))
    expect(page.get_by_role("main")).to_contain_text("New hires would earn a fifth less.")
    see(page, "tendency", posted=True)
    fits_a_phone(page)
    assert Statement.objects.get().body == scene.docks

    page.goto(f"/bodies/{scene.docks.slug}/charges/")
    page.get_by_label(say("Against")).select_option(label=benito.name)
    page.get_by_label(say("What they did")).fill("He worked through the strike of March.")
    page.get_by_role("button", name=say("File the charge")).click()
    expect(page.get_by_role("status")).to_contain_text(
        say("The charge is filed; the accused is asked to reply.")
    )
    charge = Charge.objects.get()
    expect(page.get_by_role("main")).to_contain_text(
        say("reply due by %(when)s").split("%")[0].strip()
    )
    see(page, "charge-filed", posted=True)
    fits_a_phone(page)

    # The hearing is proposed at once; its vote waits for the reply.
    hearing = page.locator("details", has_text=say("Propose the motion that decides on the charge"))
    hearing.locator("summary").click()
    hearing.get_by_label(say("The sanction asked")).select_option(value="suspension")
    hearing.get_by_label(say("Days of suspension")).fill("30")
    hearing.get_by_role("button", name=say("Propose the draft")).click()
    motion = Motion.objects.get(charge=charge)
    assert motion.details == {"sanction": "suspension", "days": 30}
    motions.submit_motion(actor=scene.ana, motion=motion)
    with pytest.raises(DueProcessError, match="no written reply"):
        open_at_once(motion, closes_at=clock.now + timedelta(days=7))
    sign_out(page)

    sign_in(page, "benito")
    page.get_by_role("link", name=say("Charges against me")).click()
    mine = say("Charge %(number)s before %(body)s") % {"number": charge.pk, "body": "Docks"}
    page.get_by_role("link", name=mine).click()
    page.get_by_label(say("Your written reply")).fill("I was on sick leave that week.")
    page.get_by_role("button", name=say("Enter my reply")).click()
    expect(page.get_by_role("status")).to_contain_text(say("Your reply is in the record."))
    see(page, "charge-replied", posted=True)
    fits_a_phone(page)
    assert Reply.objects.get().author == benito

    # Once replied, the docks vote; a majority suspends him.
    vote = open_at_once(motion, closes_at=clock.now + timedelta(days=7))
    assert vote.closes_at is not None
    for docker in scene.dockers[3:8]:
        votes.cast_ballot(actor=docker, vote=vote, ranking=[["yes"]])
    clock.now = vote.closes_at + timedelta(minutes=1)
    deciding.close_due_votes(clock.now)
    sanction = Sanction.objects.get()

    # A sanction ends the member's sessions: he signs in again, and appeals.
    sign_in(page, "benito")
    page.get_by_role("link", name=say("Charges against me")).click()
    page.get_by_role("link", name=say("Appeal it")).click()
    page.get_by_label(say("Appeal to the council")).select_option(label="Transport")
    page.get_by_label(say("Why the sanction is wrong")).fill("I was ill, not at work.")
    page.get_by_role("button", name=say("Make the appeal")).click()
    expect(page.get_by_role("status")).to_contain_text(
        say("Your appeal is made; the council decides on it.")
    )
    see(page, "sanction-appealed", posted=True)
    fits_a_phone(page)
    assert Appeal.objects.get().sanction == sanction
