"""Issue 12's founding story, walked in a real browser from an empty database: a person makes an
account, convenes the founding of a tenants' assembly and invites two founders; each sets their
password from the invitation and accepts; the assembly exists, and its founders elect its
membership officer and its secretary. Nobody is appointed: the convenor holds no office.

The people act on the pages; the other founders' ballots go through the services, and the
scheduler's runs (`frombelow notify`: sending invitations, counting the votes due) are called as it
would call them, between the clicks, as the clock moves.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from playwright.sync_api import expect

from frombelow.db.models import Body, Election, Member, Term
from frombelow.services import deciding, elections, invites, votes
from frombelow.services.standing import MEMBERSHIP_OFFICER, SECRETARY
from tests.browser.conftest import WALKS, Walk, see, sign_in, sign_out
from tests.services.world import Clock

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "tenants united 1936"
FOUNDERS = {"Berta Sol": "berta@example.org", "Carlos Mar": "carlos@example.org"}


def path_in(body: str, pattern: str) -> str:
    """Return the first link's path in an e-mail's body that matches `pattern`."""
    match = re.search(rf"https?://[^/\s]+({pattern})", body)
    assert match is not None, body
    return match.group(1)


def set_password(page: Any, say: Walk, button: str) -> None:
    """Choose the password twice on an invitation's or a sign-up's page, and send it."""
    page.get_by_label(say("New password")).fill(PASSWORD)
    page.get_by_label(say("The same password again")).fill(PASSWORD)
    page.get_by_role("button", name=say(button)).click()


def elect_on_the_page(page: Any, say: Walk, election: Election) -> None:
    """Close the election's nominations and open its vote, then rank its one candidate first."""
    page.goto(f"/elections/{election.pk}/")
    page.get_by_text(say("Close the nominations and open the vote now")).click()
    page.get_by_role("button", name=say("Open the election's vote")).click()
    expect(page.get_by_role("heading", name=say("Your ballot"))).to_be_visible()
    page.get_by_role("spinbutton").first.fill("1")
    page.get_by_role("button", name=say("Cast my ballot")).click()
    expect(page.get_by_role("status")).to_be_visible()


@WALKS
def test_three_people_found_an_assembly_and_elect_its_first_officers(
    page: Any, served: str, clock: Clock, walk: Walk, settings: Any
) -> None:
    say = walk
    settings.FROMBELOW_OPEN_SIGN_UP = True
    assert not Body.objects.exists()  # nothing at all
    assert not Member.objects.exists()

    # Ana makes her account by confirming her address.
    page.goto("/")
    page.get_by_role("link", name=say("Make an account")).click()
    page.get_by_label(say("Your name")).fill("Ana Ruiz")
    page.get_by_label(say("Your e-mail address")).fill("ana@example.org")
    page.get_by_role("button", name=say("Send me the link")).click()
    sent = say(
        "We sent a link to the address you gave. Follow it to choose your password; until then "
        "no account is made."
    )
    expect(page.get_by_role("status")).to_contain_text(sent)
    page.goto(path_in(str(mail.outbox[-1].body), r"/accounts/sign-up/[^/\s]+/"))
    set_password(page, say, "Make my account and sign in")
    expect(page.get_by_role("heading", level=1)).to_have_text(say("Found or join an assembly"))
    see(page, "founding-hub")

    # She convenes the founding from the tenants' template, inviting Berta and Carlos.
    page.get_by_role("link", name=say("Convene the founding of an assembly")).click()
    page.get_by_label(say("Tenants' assembly")).check()
    page.get_by_role("button", name=say("Fill the rules from this template")).click()
    expect(page.get_by_label(say("Shortest time a vote stays open, in hours"))).to_have_value("48")
    page.get_by_label(say("Name of the assembly")).fill("Tenants of Calle Mayor 7")
    page.get_by_label(
        say("Short name, for its address (lower-case letters, digits and hyphens)")
    ).fill("calle-mayor-7")
    page.get_by_label(say("The founders to invite, one a line: name, then e-mail address")).fill(
        "\n".join(f"{name} <{email}>" for name, email in FOUNDERS.items())
    )
    see(page, "founding-convene")
    page.get_by_role("button", name=say("Convene the founding"), exact=True).click()
    expect(page.get_by_role("status")).to_contain_text(
        say("The founding is convened: each founder is invited by e-mail, and answers here.")
    )
    see(page, "founding-convened")
    sign_out(page)

    # `frombelow notify` sends the invitations: each founder sets a password and accepts.
    assert invites.send_due_invitations() == 2
    for name, email in FOUNDERS.items():
        (invitation,) = [m for m in mail.outbox if m.to == [email]]
        body = str(invitation.body)
        page.goto(path_in(body, r"/accounts/invitation/[^/\s]+/[^/\s]+/"))
        set_password(page, say, "Set my password and sign in")
        expect(page.get_by_role("heading", level=1)).to_contain_text(name)
        page.goto(path_in(body, r"/foundings/\d+/"))
        page.get_by_role("button", name=say("Accept to found it")).click()
        expect(page.get_by_role("status")).to_contain_text(say("You have accepted to found it."))
        if name == "Berta Sol":
            see(page, "founding-accepted")
            sign_out(page)
    body_link = page.get_by_role(
        "link", name=say("Go to the assembly and elect its first officers")
    )
    body_link.click()
    assembly = Body.objects.get(slug="calle-mayor-7")
    region = page.get_by_role("region", name=say("Elections"))
    expect(region).to_contain_text(say("taking candidacies"))
    see(page, "founded-assembly")

    # The founders elect: Berta their membership officer, Carlos their secretary.
    secretary = Election.objects.get(body=assembly, office=SECRETARY)
    officer = Election.objects.get(body=assembly, office=MEMBERSHIP_OFFICER)
    page.goto(f"/elections/{secretary.pk}/")
    page.get_by_role("button", name=say("Stand"), exact=True).click()
    expect(page.get_by_role("status")).to_contain_text(say("You stand in this election."))
    elect_on_the_page(page, say, secretary)
    sign_out(page)
    sign_in(page, FOUNDERS["Berta Sol"], PASSWORD)
    page.goto(f"/elections/{officer.pk}/")
    page.get_by_role("button", name=say("Stand"), exact=True).click()
    elect_on_the_page(page, say, officer)
    see(page, "founding-election-cast")
    people = {m.name: m for m in Member.objects.filter(memberships__assembly=assembly)}
    for election, winner in ((secretary, "Carlos Mar"), (officer, "Berta Sol")):
        election.refresh_from_db()
        assert election.vote is not None
        label = elections.candidate_label(people[winner])
        for voter in ("Ana Ruiz", "Berta Sol", "Carlos Mar"):
            if not election.vote.participations.filter(member=people[voter]).exists():
                votes.cast_ballot(actor=people[voter], vote=election.vote, ranking=[[label]])
    closes = [e.vote.closes_at for e in (secretary, officer) if e.vote is not None]
    clock.now = max(c for c in closes if c is not None)
    assert deciding.close_due_votes(clock.now) == 2

    page.goto(f"/bodies/{assembly.slug}/")
    officers = page.get_by_role("region", name=say("Delegates and officers"))
    expect(officers).to_contain_text("Berta Sol")
    expect(officers).to_contain_text("Carlos Mar")
    expect(officers).not_to_contain_text("Ana Ruiz")
    see(page, "founded-officers")
    held = {(t.holder.name, t.office) for t in Term.objects.filter(body=assembly)}
    assert held == {("Berta Sol", MEMBERSHIP_OFFICER), ("Carlos Mar", SECRETARY)}
