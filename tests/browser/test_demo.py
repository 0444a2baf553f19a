"""The demo confederation in the browser, as `make run` serves it on the day it is seeded (at a
twentieth of its size): each login finds their work on their home page and does one act of it on
the pages. The member votes in their section's open vote, the delegate casts for their section in
the regional session, and the officer puts the motion waiting for them to the vote and, as the
regional federation's secretary, decides the item the delegate cast on."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from frombelow.db.models import Ballot, Decision, DelegateCast, Member, Motion, Vote
from frombelow.services.demo import DEMO_PASSWORD, seed_demo
from tests.browser.conftest import see, sign_in, sign_out

pytestmark = pytest.mark.django_db(transaction=True)

SMALL = 0.05


def work(page: Any, heading: str) -> Any:
    """Return the home page's part with this heading."""
    return page.get_by_role("region", name=heading)


def test_each_demo_login_finds_their_work_at_home_and_does_it_on_the_pages(
    page: Any, served: str
) -> None:
    seed_demo(seed=1, scale=SMALL)
    member, delegate = (Member.objects.get(user__username=u) for u in ("member", "delegate"))

    # The member: a vote open to them, an election taking candidacies, a petition to sign.
    sign_in(page, "member", DEMO_PASSWORD)
    levy = "A solidarity levy for the cleaners' strike"
    expect(work(page, "Open for my vote")).to_contain_text(levy)
    expect(work(page, "Elections taking candidacies")).to_contain_text("secretary")
    expect(work(page, "Petitions to sign")).to_contain_text("rent rises")
    expect(work(page, "Elections due or overdue")).to_contain_text("due")
    see(page, "demo-member-home")
    work(page, "Open for my vote").get_by_role("link", name=levy).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(levy)
    page.get_by_label("yes", exact=True).check()
    page.get_by_role("button", name="Cast my ballot").click()
    expect(page.get_by_role("status")).to_contain_text("Your ballot is cast.")
    see(page, "demo-member-voted", posted=True)
    assert Ballot.objects.filter(vote__motion__title=levy, voter=member).exists()
    sign_out(page)

    # The delegate: the regional session open, their section's mandates, a cast due from them.
    sign_in(page, "delegate", DEMO_PASSWORD)
    fund = "A hardship fund for the region's strikers"
    delegating = work(page, "As a delegate")
    expect(delegating).to_contain_text("North regional federation: spring session")
    expect(delegating).to_contain_text("One May Day march for the whole region")
    casts = delegating.get_by_role("list").first
    expect(casts).to_contain_text(fund)
    see(page, "demo-delegate-home")
    casts.get_by_role("link", name=fund).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("spring session")
    # One form only: no cast is offered on the item their section bound them on.
    form = page.get_by_role("group", name=re.compile("^Cast for "))
    expect(form).to_have_count(1)
    form.get_by_label("yes", exact=True).check()
    page.get_by_role("button", name="Cast for my delegation").click()
    expect(page.get_by_role("status")).to_contain_text("Your delegation's vote is cast.")
    see(page, "demo-delegate-cast", posted=True)
    assert DelegateCast.objects.filter(delegate=delegate, vote__question=fund).exists()
    sign_out(page)

    # The officer: a motion waiting for them to put it to the vote, its notice passed.
    sign_in(page, "officer", DEMO_PASSWORD)
    saturdays = "General meetings on Saturdays, with childcare"
    secretary = work(page, "As secretary")
    expect(secretary).to_contain_text(saturdays)
    see(page, "demo-officer-home")
    secretary.get_by_role("link", name=saturdays).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(saturdays)
    page.get_by_text("Put it to the vote", exact=True).click()
    page.get_by_role("button", name="Open the vote").click()
    expect(page.get_by_role("status")).to_contain_text("The motion is put to the vote.")
    see(page, "demo-officer-put", posted=True)
    assert Vote.objects.filter(motion__title=saturdays).exists()
    assert Motion.objects.get(title=saturdays).status == Motion.Status.VOTING

    # As the regional federation's secretary: every delegation has cast on the fund, which the
    # officer now decides in the open session.
    page.goto("/")
    expect(secretary).to_contain_text("North regional federation: spring session")
    secretary.get_by_role("link", name="North regional federation: spring session").first.click()
    item = page.get_by_role("region", name=re.compile(fund))
    item.get_by_role("button", name="Decide the item").click()
    expect(page.get_by_role("status")).to_contain_text("The item is decided.")
    see(page, "demo-officer-decided", posted=True)
    assert Decision.objects.filter(vote__question=fund).exists()
