"""Repeated failed sign-ins lock out a username from one address only, for a cool-off period."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.models import User
from django.http import HttpRequest
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from frombelow.http.client import client_address

ATTACKER = "203.0.113.9"
HOME = "198.51.100.7"
PASSWORD = "a long and good passphrase"

pytestmark = pytest.mark.django_db


def sign_in(
    username: str, password: str, address: str, forwarded: str | None = None
) -> User | None:
    """Try to sign in as a browser at `address` would, through the authentication backends."""
    request = request_from(address, forwarded, method="POST")
    user = authenticate(request, username=username, password=password)
    assert user is None or isinstance(user, User)
    return user


@pytest.fixture
def ana() -> User:
    return User.objects.create_user("ana", password=PASSWORD)


def fail_until_locked(username: str, address: str) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):
        assert sign_in(username, "guess", address) is None


def test_repeated_failures_from_one_address_refuse_even_the_right_password(ana: User) -> None:
    fail_until_locked("ana", ATTACKER)
    assert sign_in("ana", PASSWORD, ATTACKER) is None


def test_the_member_still_signs_in_from_another_address(ana: User) -> None:
    fail_until_locked("ana", ATTACKER)
    assert sign_in("ana", PASSWORD, HOME) == ana


def test_fewer_failures_than_the_limit_lock_nobody_out(ana: User) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in("ana", "guess", ATTACKER) is None
    assert sign_in("ana", PASSWORD, ATTACKER) == ana


def test_other_members_at_the_locked_address_still_sign_in(ana: User) -> None:
    bea = User.objects.create_user("bea", password=PASSWORD)
    fail_until_locked("ana", ATTACKER)
    assert sign_in("bea", PASSWORD, ATTACKER) == bea


def test_the_lockout_ends_after_the_cool_off(ana: User) -> None:
    fail_until_locked("ana", ATTACKER)
    cool_off = settings.AXES_COOLOFF_TIME
    assert isinstance(cool_off, timedelta)
    for attempt in AccessAttempt.objects.filter(username="ana"):
        AccessAttempt.objects.filter(pk=attempt.pk).update(
            attempt_time=attempt.attempt_time - cool_off - timedelta(seconds=1)
        )
    assert sign_in("ana", PASSWORD, ATTACKER) == ana


@override_settings(FROMBELOW_PROXY_COUNT=1)
def test_behind_a_proxy_a_forged_forwarded_address_does_not_escape_the_lockout(ana: User) -> None:
    proxy = "127.0.0.1"
    for forged in ["10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5"]:
        assert sign_in("ana", "guess", proxy, f"{forged}, {ATTACKER}") is None
    assert sign_in("ana", PASSWORD, proxy, f"10.9.9.9, {ATTACKER}") is None
    assert sign_in("ana", PASSWORD, proxy, HOME) == ana


def request_from(remote: str, forwarded: str | None = None, method: str = "GET") -> HttpRequest:
    """Build a request that arrives from `remote`, with an X-Forwarded-For header if given."""
    request = RequestFactory().generic(method, "/accounts/login/")
    request.META["REMOTE_ADDR"] = remote
    if forwarded is not None:
        request.META["HTTP_X_FORWARDED_FOR"] = forwarded
    return request


def test_without_trusted_proxies_the_forwarded_header_is_ignored() -> None:
    with override_settings(FROMBELOW_PROXY_COUNT=0):
        assert client_address(request_from(ATTACKER, forwarded=HOME)) == ATTACKER


def test_each_trusted_proxy_counts_from_the_right_of_the_forwarded_header() -> None:
    with override_settings(FROMBELOW_PROXY_COUNT=1):
        assert client_address(request_from("127.0.0.1", f"{HOME}, {ATTACKER}")) == ATTACKER
        assert client_address(request_from("127.0.0.1")) == "127.0.0.1"
    with override_settings(FROMBELOW_PROXY_COUNT=2):
        assert client_address(request_from("10.0.0.1", f"{HOME}, {ATTACKER}")) == HOME


def sign_in_page(username: str, password: str, address: str) -> int:
    """Post the sign-in page's form from `address`; return the status of the answer."""
    client = Client(REMOTE_ADDR=address)
    response = client.post(
        reverse("web:login"), {"username": username, "password": password}, follow=False
    )
    return response.status_code


def test_the_sign_in_page_refuses_a_locked_out_pair_and_admits_the_member_elsewhere(
    ana: User,
) -> None:
    failures = [sign_in_page("ana", "guess", ATTACKER) for _ in range(settings.AXES_FAILURE_LIMIT)]
    # The form comes back after each failure until the last, which is answered with the lockout.
    assert failures == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429]
    assert sign_in_page("ana", PASSWORD, ATTACKER) == 429
    assert sign_in_page("ana", PASSWORD, HOME) == 302
