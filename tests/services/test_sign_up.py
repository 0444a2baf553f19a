"""Open sign-up: off by default; where on, asking stores nothing and sends a signed link, and
confirming it makes the account and registers the person, who belongs to no body yet."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import override_settings

from frombelow.core.statutes import Statute
from frombelow.db.models import Member, Membership, RecordEntry
from frombelow.services import founding, sign_up
from frombelow.services.founding import Invitee
from frombelow.services.sign_up import SignUpError
from tests.services.world import Clock, person

pytestmark = pytest.mark.django_db

OPEN = override_settings(FROMBELOW_OPEN_SIGN_UP=True)
PASSWORD = "a long passphrase 17"


def token_in(body: str) -> str:
    match = re.search(r"/accounts/sign-up/([^/\s]+)/", body)
    assert match is not None, body
    return match.group(1)


def test_sign_up_is_off_by_default_and_stores_nothing() -> None:
    with pytest.raises(SignUpError, match="by invitation only"):
        sign_up.ask_to_sign_up(name="Ana", email="ana@example.org")
    assert mail.outbox == []
    assert not User.objects.exists()


@OPEN
def test_asking_stores_nothing_and_confirming_makes_the_account_and_the_member() -> None:
    sign_up.ask_to_sign_up(name=" Ana Ruiz ", email="ana@example.org")
    assert not User.objects.exists()
    assert not RecordEntry.objects.exists()
    (message,) = mail.outbox
    assert message.to == ["ana@example.org"]
    user = sign_up.confirm_sign_up(token=token_in(str(message.body)), password=PASSWORD)
    assert user.check_password(PASSWORD)
    member = Member.objects.get(user=user)
    assert (member.name, member.email) == ("Ana Ruiz", "ana@example.org")
    assert not Membership.objects.filter(member=member).exists()  # no body admitted her yet
    assert RecordEntry.objects.get(action="member.registered").subject == f"member:{member.pk}"


@OPEN
def test_a_link_works_once_and_not_altered_or_late() -> None:
    sign_up.ask_to_sign_up(name="Ana", email="ana@example.org")
    token = token_in(str(mail.outbox[0].body))
    with pytest.raises(SignUpError, match="expired or was altered"):
        sign_up.confirm_sign_up(token=token[:-2] + "xx", password=PASSWORD)
    sign_up.confirm_sign_up(token=token, password=PASSWORD)
    with pytest.raises(SignUpError, match="exists already"):
        sign_up.confirm_sign_up(token=token, password=PASSWORD)
    sign_up.ask_to_sign_up(name="Bea", email="bea@example.org")
    late = token_in(str(mail.outbox[-1].body))
    with (
        override_settings(FROMBELOW_SIGN_UP_DAYS=-1),  # as if its days had passed
        pytest.raises(SignUpError, match="expired or was altered"),
    ):
        sign_up.confirm_sign_up(token=late, password=PASSWORD)
    assert not User.objects.filter(username="bea@example.org").exists()


@OPEN
def test_a_weak_password_is_refused_in_words_and_nothing_is_made() -> None:
    sign_up.ask_to_sign_up(name="Ana", email="ana@example.org")
    with pytest.raises(SignUpError, match=r"too short|too common"):
        sign_up.confirm_sign_up(token=token_in(str(mail.outbox[0].body)), password="abc")
    assert not User.objects.exists()
    assert not Member.objects.exists()


@OPEN
def test_an_address_with_an_account_is_told_so_and_nobody_else_learns_it() -> None:
    User.objects.create_user(username="ana@example.org", password=PASSWORD)
    sign_up.ask_to_sign_up(name="Ana", email="ANA@example.org")
    (message,) = mail.outbox
    assert "has one already" in message.body
    assert "/accounts/sign-up/" not in message.body


@OPEN
def test_a_founder_invited_without_a_password_may_confirm_their_address_instead(
    clock: Clock,
) -> None:
    founding.convene_founding(
        actor=person("Ana"),
        name="Calle",
        slug="calle",
        statute=Statute(),
        invitees=[Invitee("Bea", "bea@example.org"), Invitee("Cruz", "cruz@example.org")],
    )
    bea = Member.objects.get(email="bea@example.org")
    sign_up.ask_to_sign_up(name="Bea", email="bea@example.org")
    user = sign_up.confirm_sign_up(token=token_in(str(mail.outbox[-1].body)), password=PASSWORD)
    assert user == Member.objects.get(pk=bea.pk).user  # her account, not a second person
    assert Member.objects.filter(email="bea@example.org").count() == 1
