"""Two-factor sign-in through the pages: enrolment, the code step, recovery codes, the lockout,
and a delegate refused in a council whose statute requires a second factor."""

from __future__ import annotations

import re

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from frombelow.core.statutes import Statute
from frombelow.db.models import DelegateCast, Member, Vote
from frombelow.services import sessions, tokens, two_factor
from frombelow.services.two_factor_rule import ENROL_PAGE, proving
from frombelow.web.second_factor import SESSION_FACTOR
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
ADDRESS = "198.51.100.7"


@pytest.fixture
def ana() -> User:
    user = User.objects.create_user("ana", password=PASSWORD)
    Member.objects.create(user=user, name="Ana Ruiz", created_at=user.date_joined)
    return user


def password_step(client: Client, username: str = "ana") -> str:
    """Post the password form; return where it sends the browser next."""
    response = client.post(reverse("web:login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    location: str = response["Location"]
    return location


def test_the_page_enrols_and_confirms_a_factor_and_shows_the_recovery_codes_once(
    ana: User,
) -> None:
    client = Client()
    client.force_login(ana)
    page = client.get(reverse("web:two-factor"))
    assert b"Enrol a second factor" in page.content
    client.post(reverse("web:two-factor-begin"))
    pending = two_factor.pending_factor(ana)
    assert pending is not None
    page = client.get(reverse("web:two-factor"))
    assert pending.secret.encode() in page.content
    assert b"otpauth://totp/frombelow:ana?secret=" + pending.secret.encode() in page.content
    wrong = client.post(reverse("web:two-factor-confirm"), {"code": "12345"}, follow=True)
    assert b"does not match" in wrong.content
    assert two_factor.live_factor(ana) is None
    shown = client.post(reverse("web:two-factor-confirm"), {"code": code_of(pending)})
    assert shown.status_code == 200
    assert "no-store" in shown["Cache-Control"]
    codes = re.findall(rb"<code>([A-Z2-7]{4}(?:-[A-Z2-7]{4}){3})</code>", shown.content)
    assert len(codes) == 10
    assert client.session[SESSION_FACTOR] == pending.pk
    page = client.get(reverse("web:two-factor"))
    assert b"This session signed in with it." in page.content
    assert b"10 recovery codes left." in page.content
    assert not any(code in page.content for code in codes)  # shown once, never again


def test_an_account_without_a_factor_signs_in_with_its_password_alone(ana: User) -> None:
    client = Client()
    assert password_step(client) == reverse("web:home")
    assert client.session.get("_auth_user_id") == str(ana.pk)


def test_sign_in_asks_for_the_code_after_the_password(ana: User) -> None:
    factor, _ = enrolled(ana)
    client = Client()
    assert password_step(client) == reverse("web:sign-in-code")
    assert "_auth_user_id" not in client.session  # not signed in until the code
    assert b"Second factor" in client.get(reverse("web:sign-in-code")).content
    wrong = client.post(reverse("web:sign-in-code"), {"code": "000000x"})
    assert wrong.status_code == 200
    assert b"That code does not match" in wrong.content
    assert "_auth_user_id" not in client.session
    right = client.post(reverse("web:sign-in-code"), {"code": code_of(factor, ahead=1)})
    assert right.status_code == 302
    assert right["Location"] == reverse("web:home")
    assert client.session.get("_auth_user_id") == str(ana.pk)
    assert client.session[SESSION_FACTOR] == factor.pk


def test_a_recovery_code_signs_in_once(ana: User) -> None:
    _, codes = enrolled(ana)
    first = Client()
    password_step(first)
    assert first.post(reverse("web:sign-in-code"), {"code": codes[0]}).status_code == 302
    again = Client()
    password_step(again)
    refused = again.post(reverse("web:sign-in-code"), {"code": codes[0]})
    assert refused.status_code == 200
    assert "_auth_user_id" not in again.session


def test_the_code_step_without_the_password_step_goes_back_to_the_password(ana: User) -> None:
    enrolled(ana)
    response = Client().post(reverse("web:sign-in-code"), {"code": "123456"})
    assert response.status_code == 302
    assert response["Location"] == reverse("web:login")


def test_wrong_codes_count_as_failed_sign_ins_for_the_lockout(ana: User) -> None:
    factor, _ = enrolled(ana)
    client = Client(REMOTE_ADDR=ADDRESS)
    password_step(client)
    answers = [
        client.post(reverse("web:sign-in-code"), {"code": "abc"}).status_code
        for _ in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert answers == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429]
    # Locked out: the right code, and the password again, are refused from this address.
    locked = client.post(reverse("web:sign-in-code"), {"code": code_of(factor, ahead=1)})
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
    again = Client(REMOTE_ADDR=ADDRESS).post(
        reverse("web:login"), {"username": "ana", "password": PASSWORD}
    )
    assert again.status_code == 429


def test_a_right_code_clears_the_failures_counted_before_it(ana: User) -> None:
    factor, _ = enrolled(ana)
    client = Client(REMOTE_ADDR=ADDRESS)
    password_step(client)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post(reverse("web:sign-in-code"), {"code": "abc"})
    assert AccessAttempt.objects.get(username="ana").failures_since_start == (
        settings.AXES_FAILURE_LIMIT - 1
    )
    assert (
        client.post(reverse("web:sign-in-code"), {"code": code_of(factor, ahead=1)}).status_code
        == 302
    )
    assert not AccessAttempt.objects.filter(username="ana").exists()


def test_disabling_needs_a_current_code(ana: User) -> None:
    factor, _ = enrolled(ana)
    client = Client()
    client.force_login(ana)
    refused = client.post(reverse("web:two-factor-disable"), {"code": "1"}, follow=True)
    assert b"needs a current code" in refused.content
    assert two_factor.live_factor(ana) == factor
    done = client.post(
        reverse("web:two-factor-disable"), {"code": code_of(factor, ahead=1)}, follow=True
    )
    assert b"The second factor is disabled." in done.content
    assert two_factor.live_factor(ana) is None


def test_the_code_step_speaks_spanish(ana: User) -> None:
    enrolled(ana)
    client = Client(HTTP_ACCEPT_LANGUAGE="es")
    password_step(client)
    page = client.get(reverse("web:sign-in-code"))
    assert "Introduce el código de 6 cifras" in page.content.decode()


def test_the_enrolment_page_is_where_refusals_send_the_member() -> None:
    assert reverse("web:two-factor") == ENROL_PAGE


def test_a_delegate_casts_in_a_strict_council_only_after_signing_in_with_a_code(
    clock: Clock,
) -> None:
    fed = federation(clock, Statute(officers_need_two_factor=True))
    delegate = fed.delegates["docks"]
    user = User.objects.create_user("dolores", password=PASSWORD)
    Member.objects.filter(pk=delegate.pk).update(user=user)
    delegate.user = user
    factor, _ = enrolled(user)
    rail = fed.delegates["rail"]
    rail_user = User.objects.create_user("rosa", password=PASSWORD)
    Member.objects.filter(pk=rail.pk).update(user=rail_user)
    rail_factor, _ = enrolled(rail_user)
    with proving(factor.pk):
        # The delegations elect the same delegate the council's secretary, each signed in with
        # their factor; the secretary prepares the agenda.
        session, (item,) = council_session(
            clock,
            fed.council,
            delegate,
            [council_motion(fed, "Strike")],
            factors={delegate.pk: factor.pk, rail.pk: rail_factor.pk},
        )
    # The docks leave their delegate free on the item: the cast is the delegate's own.
    docks = fed.members["docks"]
    mandate(clock, fed.assemblies["docks"], docks[1], item, "free", all_yes(docks))
    with proving(factor.pk):
        clock.now = session.starts_at
        sessions.open_session(actor=delegate, session=session)
    vote = Vote.objects.get(item=item)
    without = Client()
    without.force_login(user)  # signed in, but not with the second factor
    refused = without.post(reverse("web:delegation-cast", args=[vote.pk]), {"choice": "yes"})
    followed = without.get(refused["Location"])
    assert b"requires its officers and delegates to sign in with a second factor" in (
        followed.content
    )
    assert ENROL_PAGE.encode() in followed.content
    assert not DelegateCast.objects.filter(vote=vote).exists()
    signed = Client()
    password_step(signed, "dolores")
    signed.post(reverse("web:sign-in-code"), {"code": code_of(factor, ahead=1)})
    signed.post(reverse("web:delegation-cast", args=[vote.pk]), {"choice": "yes"})
    assert DelegateCast.objects.filter(vote=vote).count() == 1


def test_a_token_the_operator_issued_is_confirmed_or_revoked_on_the_security_page() -> None:
    """The operator's token acts only once its user confirms it here; one revoked never acts."""
    user = User.objects.create_user(username="ana", password="a long test password")
    row, token = tokens.issue_for_user(user=user, name="roll script")
    other, second = tokens.issue_for_user(user=user, name="unasked")
    client = Client()
    client.force_login(user)
    page = client.get(reverse("web:two-factor")).content.decode()
    assert "Tokens the operator issued for you" in page
    assert page.count("Confirm this token") == 2
    assert tokens.user_of_token(token) is None
    confirmed = client.post(reverse("web:confirm-token", args=[row.prefix]), follow=True)
    assert "The token is confirmed" in confirmed.content.decode()
    assert tokens.user_of_token(token) == user
    client.post(reverse("web:revoke-token", args=[other.prefix]))
    refused = client.post(reverse("web:confirm-token", args=[other.prefix]), follow=True)
    assert f"the token {other.prefix} was revoked" in refused.content.decode()
    assert tokens.user_of_token(second) is None
    # Another account's token is no token at all here.
    stranger = User.objects.create_user(username="otto")
    theirs, _ = tokens.issue_for_user(user=stranger, name="x")
    missing = client.post(reverse("web:confirm-token", args=[theirs.prefix]), follow=True)
    assert "no such token" in missing.content.decode()
