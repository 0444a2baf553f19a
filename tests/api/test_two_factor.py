"""The API and a statute that requires a second factor of officers and delegates.

A token acts in such a role only if it was issued from a session that signed in with the account's
second factor, and while that factor stays live (docs/two-factor.md).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from frombelow.core.statutes import Statute
from frombelow.db.models import DelegateCast, Member, SecondFactor, Vote
from frombelow.services import sessions, two_factor
from frombelow.services.tokens import issue_token
from frombelow.services.two_factor_rule import ENROL_PAGE, proving
from tests.services.world import (
    Clock,
    all_yes,
    council_motion,
    council_session,
    federation,
    mandate,
)
from tests.support.two_factor import code_of, enrolled

pytestmark = pytest.mark.django_db

PASSWORD = "a long and good passphrase"  # a test account's, nothing real


def cast(token: str, vote: Vote) -> tuple[int, dict[str, Any]]:
    """Cast yes for the delegation with the token; return the status and the answer."""
    response = Client().post(
        f"/api/v1/votes/{vote.pk}/ballots",
        data=json.dumps({"ranking": [["yes"]]}),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    return response.status_code, response.json()


@pytest.fixture
def open_item(clock: Clock) -> tuple[User, SecondFactor, Vote]:
    """A strict council's item open in session, its docks delegate with an enrolled factor."""
    fed = federation(clock, Statute(officers_need_two_factor=True))
    delegate = fed.delegates["docks"]
    user = User.objects.create_user("dolores", password=PASSWORD)
    Member.objects.filter(pk=delegate.pk).update(user=user)
    delegate.user = user
    pending = two_factor.begin_enrolment(user=user)
    factor, _ = two_factor.confirm_enrolment(user=user, code=code_of(pending))
    rail = fed.delegates["rail"]
    rail_user = User.objects.create_user("rosa", password=PASSWORD)
    Member.objects.filter(pk=rail.pk).update(user=rail_user)
    rail_factor, _ = enrolled(rail_user)
    with proving(factor.pk):
        # The delegations elect the docks' delegate the council's secretary, each with their
        # factor; the secretary prepares the agenda.
        session, (item,) = council_session(
            clock,
            fed.council,
            delegate,
            [council_motion(fed, "Strike")],
            factors={delegate.pk: factor.pk, rail.pk: rail_factor.pk},
        )
    docks = fed.members["docks"]
    mandate(clock, fed.assemblies["docks"], docks[1], item, "free", all_yes(docks))
    with proving(factor.pk):
        clock.now = session.starts_at
        sessions.open_session(actor=delegate, session=session)
    return user, factor, Vote.objects.get(item=item)


def test_a_token_from_no_second_factor_cannot_cast_for_the_delegation(
    open_item: tuple[User, SecondFactor, Vote],
) -> None:
    user, _, vote = open_item
    status, answer = cast(issue_token(user=user, name="script")[1], vote)
    assert status == 403
    detail = answer["detail"]
    assert "requires its officers and delegates to sign in with a second factor" in detail
    assert ENROL_PAGE in detail
    assert not DelegateCast.objects.filter(vote=vote).exists()


def test_a_session_without_the_code_issues_no_token_and_one_with_it_issues_one_that_acts(
    open_item: tuple[User, SecondFactor, Vote],
) -> None:
    user, factor, vote = open_item
    stale = Client()
    stale.force_login(user)  # a session from before enrolment: no code was given in it
    refused = stale.post("/api/v1/tokens", data={"name": "phone"}, content_type="application/json")
    assert refused.status_code == 403
    assert "sign in again with its code" in refused.json()["detail"]
    browser = Client()
    browser.post(reverse("web:login"), {"username": "dolores", "password": PASSWORD})
    browser.post(reverse("web:sign-in-code"), {"code": code_of(factor, ahead=1)})
    issued = browser.post("/api/v1/tokens", data={"name": "phone"}, content_type="application/json")
    assert issued.status_code == 201
    assert cast(issued.json()["token"], vote)[0] == 201
    assert DelegateCast.objects.filter(vote=vote).count() == 1


def test_a_token_stops_proving_the_factor_once_it_is_disabled(
    open_item: tuple[User, SecondFactor, Vote],
) -> None:
    user, factor, vote = open_item
    _, token = issue_token(user=user, name="phone", proved_factor=factor.pk)
    two_factor.disable(user=user, code=code_of(factor, ahead=1))
    assert cast(token, vote)[0] == 403
