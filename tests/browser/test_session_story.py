"""Issue 11's council session, walked in a real browser, in English on a desktop and in Spanish on a
phone: a delegate proposes a motion to the federation; Carmen, the secretary its delegations
elected, schedules a session, puts the motion on its agenda and sends it down by the mandate
deadline; the docks vote their mandate bound and the rail depot theirs proportional, each on its
own motion; at the session the secretary opens it, the mandated votes are derived and a matter
raised there is cast by the delegates themselves; the items are decided, the one no mandate
covered provisionally; and the docks and the rail depot ratify it by their own votes.

Every act is a person's on the pages; the scheduler's run (`frombelow notify`, every minute
beside the server) is its functions called as it would call them, once the clock has moved.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from playwright.sync_api import expect

from frombelow.db.models import Decision, Item, Motion, Session, Vote
from frombelow.services import deciding
from frombelow.services.queries.decisions import standing_of
from tests.browser.conftest import WALKS, Walk, fits_a_phone, see, sign_in, sign_out
from tests.services.world import Clock
from tests.web.scene import Scene, account, build

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def scene(served: str, clock: Clock) -> Scene:
    built = build(clock)
    account(built.dockers[2], "benito")
    for member, username in zip(built.railways, ("rosa", "pablo", "lucia", "mario"), strict=True):
        account(member, username)
    return built


def scheduler(clock: Clock) -> None:
    """Run what `frombelow notify` runs each minute: open the motions due, count the votes due."""
    deciding.open_due_motions(clock.now)
    deciding.close_due_votes(clock.now)


def propose_and_submit(page: Any, say: Walk, body: str, title: str, text: str) -> Motion:
    """Propose a motion on the body's page and submit it for debate from its own page."""
    page.goto(f"/bodies/{body}/")
    proposal = page.locator("details", has_text=say("Propose a motion"))
    proposal.locator("summary").click()
    proposal.get_by_label(say("Title"), exact=True).fill(title)
    proposal.get_by_label(say("Text"), exact=True).fill(text)
    proposal.get_by_role("button", name=say("Propose the draft")).click()
    expect(page.get_by_role("status")).to_contain_text(say("Your motion is proposed."))
    submit(page, say)
    return Motion.objects.get(title=title)


def submit(page: Any, say: Walk) -> None:
    """Submit the draft whose page is open."""
    page.get_by_role("button", name=say("Submit for debate")).click()
    expect(page.get_by_role("status")).to_contain_text(say("The motion is submitted for debate."))


def vote_as(page: Any, say: Walk, username: str, motion: Motion, choice: str) -> None:
    """Sign in as `username` and cast `choice` on the motion's page."""
    sign_in(page, username)
    page.goto(f"/motions/{motion.pk}/")
    page.get_by_label(say(choice), exact=True).check()
    page.get_by_role("button", name=say("Cast my ballot")).click()
    expect(page.get_by_role("status")).to_contain_text(say("Your ballot is cast."))
    sign_out(page)


def counted(clock: Clock, *motions: Motion) -> None:
    """Let the clock reach the end of the motions' votes; the scheduler counts them."""
    votes = [Vote.objects.get(motion=m, amendment__isnull=True) for m in motions]
    clock.now = max(v.closes_at for v in votes if v.closes_at) + timedelta(minutes=1)
    scheduler(clock)
    for vote in votes:
        assert Decision.objects.filter(vote=vote).exists(), vote.question


def opened_by_itself(clock: Clock, *motions: Motion) -> None:
    """Let the statute's deadline pass with no secretary to put the motions: they open alone."""
    clock.advance(days=14, minutes=1)
    scheduler(clock)
    for motion in motions:
        assert Vote.objects.filter(motion=motion).exists(), motion.title


@WALKS
def test_the_secretary_calls_a_session_the_bodies_mandate_and_ratify_its_decision(
    page: Any, scene: Scene, clock: Clock, walk: Walk
) -> None:
    say = walk
    # A delegate brings a motion to the federation.
    sign_in(page, "rosa")
    fund = propose_and_submit(
        page, say, scene.council.slug, "A strike fund", "Each depot pays in a day's wage."
    )
    sign_out(page)

    # The secretary schedules a session forty days ahead, puts the motion on its agenda, and
    # sends it down by the deadline the page names.
    sign_in(page, "carmen")
    page.goto(f"/bodies/{scene.council.slug}/")
    page.get_by_text(say("Schedule a session")).click()
    page.get_by_label(say("Title of the session")).fill("Summer congress")
    starts = clock.now + timedelta(days=40)
    page.get_by_label(say("Starts at")).fill(starts.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name=say("Schedule the session")).click()
    expect(page.get_by_role("status")).to_contain_text(say("The session is scheduled."))
    summer = Session.objects.get(title="Summer congress")
    expect(page.get_by_role("main")).to_contain_text("Carmen Vidal")
    page.get_by_label(say("A submitted motion of the council")).select_option(label=fund.title)
    page.get_by_role("button", name=say("Put it on the agenda")).click()
    expect(page.get_by_role("status")).to_contain_text(say("The motion is on the agenda."))
    page.get_by_role("button", name=say("Send the agenda down")).click()
    expect(page.get_by_role("status")).to_contain_text(
        say("The agenda is sent down; the member bodies may decide their mandates.")
    )
    see(page, "session-agenda", posted=True)
    fits_a_phone(page)
    sign_out(page)
    item = Item.objects.get(session=summer)

    # Each assembly proposes its mandate from the session's page and submits it.
    mandates = {}
    for username, kind in (("ana", "bound"), ("rosa", "proportional")):
        sign_in(page, username)
        page.goto(f"/sessions/{summer.pk}/")
        page.get_by_text(say("Propose your body's mandate on this item")).click()
        choice = {
            "bound": "bound: the delegation votes as the body's majority decides (yes if the "
            "motion carries, no if it is lost)",
            "proportional": "proportional: the delegation's weight is split as the body votes",
        }[kind]
        page.get_by_label(say(choice)).check()
        page.get_by_role("button", name=say("Propose the mandate")).click()
        expect(page.get_by_role("status")).to_contain_text(
            say("The mandate is proposed: submit it for your body's vote.")
        )
        submit(page, say)
        mandates[kind] = Motion.objects.get(
            kind=Motion.Kind.DECIDE_MANDATE, council_item=item, details__mandate=kind
        )
        sign_out(page)

    # No secretary of theirs puts them to the vote: they open by themselves at the deadline,
    # and the members vote. The docks carry theirs two to one; the rail depot splits three to one.
    opened_by_itself(clock, *mandates.values())
    for username, choice in (("ana", "yes"), ("dolores", "yes"), ("benito", "no")):
        vote_as(page, say, username, mandates["bound"], choice)
    for username, choice in (("rosa", "yes"), ("pablo", "yes"), ("lucia", "yes"), ("mario", "no")):
        vote_as(page, say, username, mandates["proportional"], choice)
    counted(clock, *mandates.values())

    # A delegate brings a matter to raise at the session, which no mandate covers.
    sign_in(page, "dolores")
    levy = propose_and_submit(
        page, say, scene.council.slug, "A solidarity levy", "Each member gives an hour's pay."
    )
    sign_out(page)

    # The session opens: the bound and proportional votes are derived from the mandates.
    clock.now = starts
    sign_in(page, "carmen")
    page.goto(f"/sessions/{summer.pk}/")
    page.get_by_role("button", name=say("Open the session")).click()
    expect(page.get_by_role("status")).to_contain_text(
        say("The session is open; the mandated votes are derived.")
    )
    table = page.get_by_role("table")
    expect(table.get_by_role("row", name=re.compile("Docks"))).to_contain_text(
        f"{say('Bound')}: {say('yes')}"
    )
    expect(table.get_by_role("row", name=re.compile("Rail Depot"))).to_contain_text(
        f"{say('yes')} 3, {say('no')} 1"
    )
    see(page, "session-mandated", posted=True)
    page.get_by_role("button", name=say("Decide the item")).click()
    expect(page.get_by_role("status")).to_contain_text(say("The item is decided."))
    # The secretary raises the levy at the session: the delegates cast on it themselves.
    page.get_by_label(say("A submitted motion of the council")).select_option(label=levy.title)
    page.get_by_role("button", name=say("Put it on the agenda")).click()
    expect(page.get_by_role("status")).to_contain_text(say("The motion is on the agenda."))
    sign_out(page)
    for username in ("dolores", "rosa"):
        sign_in(page, username)
        page.goto(f"/sessions/{summer.pk}/")
        raised = page.get_by_role("region", name=re.compile(levy.title))
        raised.get_by_label(say("yes"), exact=True).check()
        raised.get_by_role("button", name=say("Cast for my delegation")).click()
        expect(page.get_by_role("status")).to_contain_text(say("Your delegation's vote is cast."))
        sign_out(page)
    sign_in(page, "carmen")
    page.goto(f"/sessions/{summer.pk}/")
    raised = page.get_by_role("region", name=re.compile(levy.title))
    raised.get_by_role("button", name=say("Decide the item")).click()
    expect(page.get_by_role("status")).to_contain_text(say("The item is decided."))
    raised = page.get_by_role("region", name=re.compile(levy.title))
    expect(raised).to_contain_text(say("provisional, awaiting ratification"))
    see(page, "session-decided", posted=True)
    fits_a_phone(page)
    page.get_by_role("button", name=say("Close the session")).click()
    expect(page.get_by_role("status")).to_contain_text(say("The session is closed."))
    sign_out(page)
    provisional = Decision.objects.get(vote__item__motion=levy)
    assert provisional.provisional

    # The provisional decision goes down: each member body's page asks for its answer, by the
    # deadline, and a member proposes that their body ratify it.
    answers = []
    for username, body in (("ana", scene.docks), ("rosa", scene.rail)):
        sign_in(page, username)
        page.goto(f"/bodies/{body.slug}/")
        asked = page.get_by_role("region", name=say("Ratifications asked of us"))
        expect(asked).to_contain_text(levy.title)
        see(page, f"ratification-asked-{body.slug}")
        # The strike fund, outside the federation's competences, awaits ratification too.
        on_levy = asked.get_by_role("listitem").filter(has_text=levy.title)
        on_levy.get_by_role("button", name=say("Propose that we ratify it")).click()
        expect(page.get_by_role("status")).to_contain_text(
            say("The ratification is proposed: submit it for your body's vote.")
        )
        submit(page, say)
        answers.append(Motion.objects.get(kind=Motion.Kind.RATIFY, body=body))
        sign_out(page)
    opened_by_itself(clock, *answers)
    for username in ("ana", "dolores"):
        vote_as(page, say, username, answers[0], "yes")
    for username in ("rosa", "pablo"):
        vote_as(page, say, username, answers[1], "yes")
    counted(clock, *answers)
    assert standing_of(provisional, clock.now) == "ratified"

    sign_in(page, "ana")
    page.goto(f"/bodies/{scene.docks.slug}/")
    asked = page.get_by_role("region", name=say("Ratifications asked of us"))
    expect(asked.get_by_role("listitem").filter(has_text=levy.title)).to_have_count(0)
    page.goto(f"/sessions/{summer.pk}/")
    raised = page.get_by_role("region", name=re.compile(levy.title))
    expect(raised.locator(".badge.ratified")).to_be_visible()
    see(page, "session-ratified")
