"""The demo confederation in the browser: its member sees their home and the referendum its
members petitioned for, its delegate the congress (the demo at a twentieth of its size)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from frombelow.db.models import Referendum, Session
from frombelow.services.demo import DEMO_PASSWORD, seed_demo
from tests.browser.conftest import see, sign_in, sign_out

pytestmark = pytest.mark.django_db(transaction=True)

SMALL = 0.05


def test_the_demo_member_sees_the_referendum_and_the_delegate_the_congress(
    page: Any, served: str
) -> None:
    seed_demo(seed=1, scale=SMALL)
    sign_in(page, "member", DEMO_PASSWORD)
    expect(page.get_by_role("heading", name="My delegates")).to_be_visible()
    expect(page.get_by_role("region", name="Elections due or overdue")).to_contain_text("overdue")
    see(page, "demo-home")
    # The referendum its members petitioned for: open to vote, voted already, or past its close
    # and ready to count, as the demo's history and today's date have it.
    referendum = Referendum.objects.get()
    page.goto(f"/referendums/{referendum.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(referendum.question)
    action = re.compile("Cast my ballot|You have voted|Count the referendum")
    expect(page.get_by_role("main").get_by_text(action).first).to_be_visible()
    see(page, "demo-referendum")

    sign_out(page)
    sign_in(page, "delegate", DEMO_PASSWORD)
    congress = Session.objects.filter(opened_at__isnull=False).order_by("pk").first()
    assert congress is not None
    page.goto(f"/sessions/{congress.pk}/")
    expect(page.get_by_role("table").first).to_contain_text(re.compile("Bound|Proportional"))
    see(page, "demo-congress")
