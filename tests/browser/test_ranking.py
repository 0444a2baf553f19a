"""Ranking the candidates of an election by dragging and with the move buttons (rank.js), in a
real browser: the number inputs follow the order, and they are what is cast."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from playwright.sync_api import expect

from frombelow.db.models import Ballot, Election, SecretBallot
from frombelow.services import elections
from frombelow.web.charts import label_name
from tests.browser.conftest import (
    DESKTOP,
    PHONE,
    screenshot_path,
    see,
    serious_violations,
    sign_in,
)
from tests.services.world import Clock
from tests.web.scene import Scene, build

pytestmark = pytest.mark.django_db(transaction=True)

DIEGO, ELENA, FELIX = "Diego Marín", "Elena Soto", "Félix Roca"


@pytest.fixture
def scene(served: str, clock: Clock) -> Scene:
    return build(clock)


@pytest.fixture
def election(scene: Scene, clock: Clock) -> Election:
    """The docks elect their secretary; Diego, Elena and Félix stand, in that order."""
    called = elections.call_election(actor=scene.ana, body=scene.docks, office="secretary")
    for candidate in scene.dockers[4:7]:
        elections.stand(actor=candidate, election=called)
    elections.open_election(
        actor=scene.ana, election=called, closes_at=clock.now + timedelta(days=3)
    )
    called.refresh_from_db()
    return called


def cast_ballots(election: Election) -> list[list[list[str]]]:
    """The rankings cast in the election, each with the candidates' names for their labels."""
    vote = election.vote
    assert vote is not None
    rankings = [b.ranking for b in SecretBallot.objects.filter(vote=vote)]
    rankings += [b.ranking for b in Ballot.objects.filter(vote=vote)]
    return [[[label_name(label) for label in group] for group in r] for r in rankings]


def row(page: Any, name: str) -> Any:
    return page.locator("ul.ranking > li").filter(has=page.get_by_text(name, exact=True))


def names(page: Any) -> list[str]:
    return [str(text) for text in page.locator("ul.ranking label").all_inner_texts()]


def numbers(page: Any) -> list[tuple[str, str]]:
    """The candidates in the list's order, each with the number the form would post ('' = not
    ranked)."""
    return [(name, row(page, name).get_by_role("spinbutton").input_value()) for name in names(page)]


def drag(page: Any, name: str, onto: str) -> None:
    """Drag a candidate's handle with the mouse onto the top of another's row: into its place."""
    handle = row(page, name).locator(".handle").bounding_box()
    target = row(page, onto).bounding_box()
    page.mouse.move(handle["x"] + handle["width"] / 2, handle["y"] + handle["height"] / 2)
    page.mouse.down()
    y = target["y"] + target["height"] * 0.2
    page.mouse.move(handle["x"] + handle["width"] / 2, y, steps=8)
    page.mouse.up()


def at(election: Election) -> str:
    return f"/elections/{election.pk}/"


def test_a_member_ranks_by_dragging_and_by_keyboard_and_casts_that_order(
    page: Any, election: Election
) -> None:
    sign_in(page, "ana")
    page.goto(at(election))
    said = page.locator(".ranking .said")
    assert names(page) == [DIEGO, ELENA, FELIX]
    expect(row(page, DIEGO).locator(".handle")).to_be_visible()

    drag(page, FELIX, onto=DIEGO)
    assert names(page) == [FELIX, DIEGO, ELENA]
    assert numbers(page) == [(FELIX, "1"), (DIEGO, ""), (ELENA, "")]
    expect(said).to_have_text(f"{FELIX}: place 1 of 3")

    # Dragged into second place, Elena is ranked; Diego, below, stays unranked.
    drag(page, ELENA, onto=DIEGO)
    assert numbers(page) == [(FELIX, "1"), (ELENA, "2"), (DIEGO, "")]

    # By keyboard: the focus stays on the button as its row moves, so it can be pressed again.
    up = page.get_by_role("button", name=f"Move {DIEGO} up")
    up.focus()
    page.keyboard.press("Enter")
    assert numbers(page) == [(FELIX, "1"), (DIEGO, "2"), (ELENA, "3")]
    expect(up).to_be_focused()
    page.keyboard.press("Space")
    assert numbers(page) == [(DIEGO, "1"), (FELIX, "2"), (ELENA, "3")]
    expect(said).to_have_text(f"{DIEGO}: place 1 of 3")
    page.get_by_role("button", name=f"Move {DIEGO} down").press("Enter")
    assert numbers(page) == [(FELIX, "1"), (DIEGO, "2"), (ELENA, "3")]
    # Finally Elena, last, dragged back to the top.
    drag(page, ELENA, onto=FELIX)
    assert numbers(page) == [(ELENA, "1"), (FELIX, "2"), (DIEGO, "3")]
    expect(said).to_have_text(f"{ELENA}: place 1 of 3")
    see(page, "election-ballot")
    # On a phone the ballot is below the first screen: its screenshot is taken scrolled to it.
    page.set_viewport_size(PHONE)
    page.get_by_role("heading", name="Your ballot").evaluate("h => h.scrollIntoView()")
    page.screenshot(path=screenshot_path("election-ballot-phone.png"))
    page.set_viewport_size(DESKTOP)

    page.get_by_role("button", name="Cast my ballot").click()
    expect(page.get_by_role("status")).to_contain_text("Your ballot is cast.")
    assert cast_ballots(election) == [[[ELENA], [FELIX], [DIEGO]]]


def test_typing_numbers_orders_the_list_and_axe_passes_with_the_enhancement(
    page: Any, browser: Any, served: str, election: Election
) -> None:
    sign_in(page, "ana")
    page.goto(at(election))
    row(page, FELIX).get_by_role("spinbutton").fill("1")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name=f"Move {FELIX} up")).to_be_focused()
    expect(page.locator("ul.ranking label").first).to_have_text(FELIX)
    row(page, DIEGO).get_by_role("spinbutton").fill("2")
    row(page, DIEGO).get_by_role("spinbutton").press("Tab")
    expect(page.locator("ul.ranking label")).to_have_text([FELIX, DIEGO, ELENA])
    row(page, FELIX).get_by_role("spinbutton").fill("")
    row(page, FELIX).get_by_role("spinbutton").press("Tab")
    # Unranked again, Félix goes back after the ranked, in the page's first order.
    expect(page.locator("ul.ranking label")).to_have_text([DIEGO, ELENA, FELIX])
    expect(page.locator(".ranking .said")).to_have_text(f"{FELIX}: not ranked")

    # axe-core with the script active (the policy lifted only to inject axe), after a move.
    checker = browser.new_context(
        viewport=DESKTOP,
        base_url=served,
        storage_state=page.context.storage_state(),
        bypass_csp=True,
    )
    try:
        check = checker.new_page()
        check.goto(at(election))
        check.get_by_role("button", name=f"Move {ELENA} up").click()
        expect(check.locator(".ranking .said")).to_have_text(f"{ELENA}: place 1 of 3")
        assert serious_violations(check) == []
    finally:
        checker.close()


def test_a_finger_drags_a_row_on_a_phone(browser: Any, served: str, election: Election) -> None:
    context = browser.new_context(viewport=PHONE, base_url=served, has_touch=True, is_mobile=True)
    try:
        tab = context.new_page()
        sign_in(tab, "ana")
        tab.goto(at(election))
        handle = row(tab, ELENA).locator(".handle")
        handle.scroll_into_view_if_needed()
        start = handle.bounding_box()
        target = row(tab, DIEGO).bounding_box()
        x, y = start["x"] + start["width"] / 2, start["y"] + start["height"] / 2
        # Touch events as a phone's screen sends them (Playwright's touchscreen only taps).
        touch = context.new_cdp_session(tab)
        touch.send(
            "Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]}
        )
        for step in range(1, 9):
            at_y = y + (target["y"] + 5 - y) * step / 8
            touch.send(
                "Input.dispatchTouchEvent",
                {"type": "touchMove", "touchPoints": [{"x": x, "y": at_y}]},
            )
        touch.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
        expect(tab.locator("ul.ranking label")).to_have_text([ELENA, DIEGO, FELIX])
        assert numbers(tab) == [(ELENA, "1"), (DIEGO, ""), (FELIX, "")]
    finally:
        context.close()


def test_without_javascript_the_ballot_is_numbers_alone(
    browser: Any, served: str, election: Election
) -> None:
    context = browser.new_context(viewport=DESKTOP, base_url=served, java_script_enabled=False)
    try:
        tab = context.new_page()
        sign_in(tab, "ana")
        tab.goto(at(election))
        expect(tab.locator(".handle")).to_have_count(0)
        expect(tab.get_by_role("button", name=f"Move {DIEGO} up")).to_have_count(0)
        row(tab, ELENA).get_by_role("spinbutton").fill("1")
        row(tab, DIEGO).get_by_role("spinbutton").fill("2")
        tab.get_by_role("button", name="Cast my ballot").click()
        expect(tab.get_by_role("status")).to_contain_text("Your ballot is cast.")
    finally:
        context.close()
    assert cast_ballots(election) == [[[ELENA], [DIEGO]]]
