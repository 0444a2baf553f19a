"""Invitations: a link that sets the password once, expires, and names its account."""

from __future__ import annotations

import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail

from frombelow.db.models import Member, Motion
from frombelow.services import invites
from frombelow.services.invites import InvitationError
from tests.services.world import Clock, assembly, decide, people, person

pytestmark = pytest.mark.django_db

PASSWORD = "a long invited password"


def invited(name: str, email: str) -> tuple[Member, str, str]:
    """Register a member with an address, invite them, and return the link's two parts."""
    member = person(name)
    Member.objects.filter(pk=member.pk).update(email=email)
    member.refresh_from_db()
    assert invites.prepare_account(member)
    assert invites.send_invitations([member.pk]) == 1
    match = re.search(r"/accounts/invitation/([^/]+)/([^/]+)/", str(mail.outbox[-1].body))
    assert match is not None
    return member, match.group(1), match.group(2)


def test_an_invitation_sets_the_password_once(clock: Clock) -> None:
    member, uid, token = invited("Ana Ruiz", "Ana@Example.org")
    user = User.objects.get(member=member)
    assert user.username == "ana@example.org"
    assert not user.has_usable_password()
    assert "ana@example.org" in mail.outbox[-1].body  # the user name to sign in with
    invites.accept_invitation(uidb64=uid, token=token, password=PASSWORD)
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    with pytest.raises(InvitationError, match="has been used, has expired"):
        invites.accept_invitation(uidb64=uid, token=token, password="another long password")
    # With a password set, the member is not invited again.
    assert not invites.prepare_account(member)


def test_an_invitation_expires(clock: Clock) -> None:
    _, uid, token = invited("Ana Ruiz", "ana@example.org")
    clock.advance(days=8)
    with pytest.raises(InvitationError, match="expired"):
        invites.invited_account(uid, token)


def test_a_weak_password_or_an_altered_link_is_refused_and_sets_nothing(clock: Clock) -> None:
    member, uid, token = invited("Ana Ruiz", "ana@example.org")
    with pytest.raises(InvitationError, match="too short"):
        invites.accept_invitation(uidb64=uid, token=token, password="short")
    with pytest.raises(InvitationError, match="not one frombelow sent"):
        invites.invited_account("%%%", token)
    with pytest.raises(InvitationError):
        invites.invited_account(uid, token[:-1] + ("0" if token[-1] != "0" else "1"))
    assert not User.objects.get(member=member).has_usable_password()


def test_a_taken_user_name_gives_the_member_another(clock: Clock) -> None:
    User.objects.create_user(username="ana@example.org", password=None)
    member, _, _ = invited("Ana Ruiz", "ana@example.org")
    assert User.objects.get(member=member).username == f"member-{member.pk}"


def test_a_member_without_an_address_has_no_account_made(clock: Clock) -> None:
    member = person("Benito Sala")
    assert not invites.prepare_account(member)
    assert member.user_id is None


def test_a_member_who_never_set_a_password_is_invited_again(clock: Clock) -> None:
    member, _, _ = invited("Ana Ruiz", "ana@example.org")
    user = member.user_id
    assert invites.prepare_accounts([member]) == [member]
    member.refresh_from_db()
    assert member.user_id == user  # the same account, invited anew


def test_a_member_admitted_by_the_assemblys_decision_is_invited(
    clock: Clock, django_capture_on_commit_callbacks: Callable[..., AbstractContextManager[Any]]
) -> None:
    founders = people("Docker", 3)
    docks = assembly("docks", founders)
    newcomer = person("Nuria Vega")
    Member.objects.filter(pk=newcomer.pk).update(email="nuria@example.org")
    newcomer.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        decide(
            clock,
            docks,
            founders[0],
            dict.fromkeys(founders, "yes"),
            kind=Motion.Kind.ADMIT_MEMBER,
            member=newcomer,
        )
    assert [m.to for m in mail.outbox] == [["nuria@example.org"]]
