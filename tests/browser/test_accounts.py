"""The stories of the accounts, in a real browser: the membership officer imports a roll, the
invited member sets a password from the e-mail, chooses their notices and enrols a second factor,
then signs in with it. Every page is saved at desktop and phone widths and checked by axe-core."""

from __future__ import annotations

import re
import time
from typing import Any

import pyotp
import pytest
from django.core import mail
from playwright.sync_api import expect

from frombelow.core.statutes import Statute
from frombelow.db.models import Body, Member, Membership
from frombelow.services import invites
from frombelow.services.standing import MEMBERSHIP_OFFICER
from tests.browser.conftest import see, sign_in, sign_out
from tests.services.world import Clock, assembly, elect_one, people
from tests.web.scene import account

pytestmark = pytest.mark.django_db(transaction=True)

ROLL = "name,email,member_number\nAna Ruiz,ana@example.org,17\n,x@example.org,\nBenito,benito@,\n"


@pytest.fixture
def docks(served: str, clock: Clock) -> Body:
    """The docks, whose statute lets its elected membership officer admit; the officer signs in
    as 'officer'."""
    founders = people("Docker", 3)
    body = assembly("docks", founders, Statute(officer_admits_members=True))
    elect_one(clock, body, MEMBERSHIP_OFFICER, founders[1], founders)
    account(founders[1], "officer")
    return body


def test_the_officer_imports_a_roll_and_the_invited_member_signs_in_with_two_factors(
    page: Any, docks: Body, tmp_path: Any
) -> None:
    sign_in(page, "officer")
    page.goto(f"/bodies/{docks.slug}/")
    page.get_by_role("link", name="The membership roll").click()
    see(page, "roll")

    roll = tmp_path / "roll.csv"
    roll.write_text(ROLL, encoding="utf-8")
    page.get_by_label("Roll file (CSV, UTF-8)").set_input_files(str(roll))
    page.get_by_role("button", name="Preview the import").click()
    expect(page.get_by_role("status")).to_contain_text("1 person will be admitted.")
    expect(page.get_by_role("status")).to_contain_text("2 rows cannot be admitted.")
    bad = page.get_by_role("region", name="Rows that cannot be admitted")
    expect(bad.get_by_role("row", name=re.compile("^3 "))).to_contain_text("the name is missing")
    assert not Member.objects.filter(name="Ana Ruiz").exists()  # nothing stored before confirming
    see(page, "roll-preview", posted=True)

    page.get_by_role("button", name="Admit 1 person").click()
    expect(page.get_by_text("1 member admitted.")).to_be_visible()
    expect(page.get_by_text("Their invitations will be sent by e-mail shortly.")).to_be_visible()
    expect(page.get_by_text("4 members on the roll.")).to_be_visible()
    assert Membership.objects.filter(assembly=docks, member__name="Ana Ruiz").exists()
    # Ana is listed until she sets a password; sending again while hers waits sends one.
    invited = page.get_by_role("region", name="Invited, no password set yet")
    expect(invited).to_contain_text("Ana Ruiz")
    expect(invited).to_contain_text("(invitation on its way)")
    invited.get_by_role("button", name="Send again to Ana Ruiz").click()
    expect(
        page.get_by_text("The invitation to Ana Ruiz will be sent again shortly.")
    ).to_be_visible()
    see(page, "roll-invited")
    sign_out(page)

    # `frombelow notify` sends the invitation; Ana follows its link.
    assert invites.send_due_invitations() == 1
    link = re.search(r"http://[^/]+(/accounts/invitation/\S+/)", str(mail.outbox[-1].body))
    assert link is not None, [m.body for m in mail.outbox]
    page.goto(link.group(1))
    see(page, "invitation")
    page.get_by_label("New password", exact=True).fill("a long new password")
    page.get_by_label("The same password again").fill("a long new password")
    page.get_by_role("button", name="Set my password and sign in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hello")

    # She keeps the vote reminders and drops the rest.
    page.get_by_role("link", name="Notices by e-mail").click()
    see(page, "notices")
    for box in page.get_by_role("checkbox").all()[1:]:
        box.uncheck()
    page.get_by_role("button", name="Save my choice").click()
    expect(page.get_by_role("checkbox").first).to_be_checked()
    expect(page.get_by_role("checkbox").nth(1)).not_to_be_checked()

    # She enrols a second factor with the key her app would take.
    page.get_by_role("link", name="Account security").click()
    page.get_by_role("button", name="Enrol a second factor").click()
    secret = page.locator("dd code").first.inner_text()
    see(page, "two-factor-enrol")
    page.get_by_label("Code").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", name="Recovery codes")).to_be_visible()
    see(page, "recovery-codes", posted=True)
    sign_out(page)

    # Signing in now asks for the code after the password.
    user = Member.objects.get(name="Ana Ruiz").user
    assert user is not None
    username = user.username
    page.goto("/accounts/login/")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill("a long new password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Second factor")
    see(page, "sign-in-code")
    # A code is taken once: the one that confirmed the enrolment may still be the current one, so
    # the app's next one (accepted 30 seconds early) signs in.
    page.get_by_label("Code").fill(pyotp.TOTP(secret).at(time.time() + 30))
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hello")
