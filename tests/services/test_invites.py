"""Invitations: due when a member is admitted, sent once by the sender (in the member's language),
sent again at the membership officer's request; a link that sets the password once, expires, and
names its account."""

from __future__ import annotations

import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.utils import translation

from frombelow.core.errors import DomainError, FederationError, StandingError
from frombelow.core.statutes import Statute
from frombelow.db.models import Body, Member, Motion
from frombelow.services import invites
from frombelow.services.invites import InvitationError
from frombelow.services.standing import MEMBERSHIP_OFFICER
from tests.services.world import Clock, assembly, decide, elect_one, people, person

pytestmark = pytest.mark.django_db

PASSWORD = "a long invited password"


def invited(name: str, email: str) -> tuple[Member, str, str]:
    """Register a member with an address, invite them, and return the link's two parts."""
    member = person(name)
    Member.objects.filter(pk=member.pk).update(email=email)
    member.refresh_from_db()
    assert invites.prepare_account(member)
    assert invites.send_due_invitations() == 1
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
    # Admitting marks the invitation due; the sender sends it.
    assert mail.outbox == []
    assert invites.send_due_invitations() == 1
    assert [m.to for m in mail.outbox] == [["nuria@example.org"]]


def addressed(name: str, email: str, language: str = "") -> Member:
    member = person(name)
    Member.objects.filter(pk=member.pk).update(email=email, language=language)
    member.refresh_from_db()
    return member


def test_a_due_invitation_is_sent_once(clock: Clock) -> None:
    ana = addressed("Ana Ruiz", "ana@example.org")
    assert invites.prepare_accounts([ana]) == [ana]
    ana.refresh_from_db()
    assert ana.invitation_due == clock.now
    assert invites.send_due_invitations() == 1
    assert invites.send_due_invitations() == 0
    assert [m.to for m in mail.outbox] == [["ana@example.org"]]
    ana.refresh_from_db()
    assert ana.invitation_due is None
    assert ana.invitation_taken is None


def test_an_invitation_taken_by_a_sender_that_died_is_sent_later_not_twice_at_once(
    clock: Clock,
) -> None:
    ana = addressed("Ana Ruiz", "ana@example.org")
    invites.prepare_account(ana)
    # A sender takes it and dies before sending or marking it sent.
    _, taken = invites._take()
    assert taken == [ana.pk]
    # Another sender, meanwhile, leaves it to the first.
    assert invites.send_due_invitations() == 0
    clock.advance(seconds=int(invites.TAKE_TIMEOUT.total_seconds()) + 1)
    # The first never marked it sent: it is not lost.
    assert invites.send_due_invitations() == 1
    assert invites.send_due_invitations() == 0
    assert len(mail.outbox) == 1


def test_an_invitation_asked_again_while_it_is_being_sent_is_sent_again(
    clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    ana = addressed("Ana Ruiz", "ana@example.org")
    invites.prepare_account(ana)
    send = invites._send
    asked: list[int] = []

    def asked_meanwhile(member_ids: list[int]) -> int:
        sent = send(member_ids)
        if not asked:  # the officer asks again while the first is on its way
            asked.append(1)
            invites.prepare_account(Member.objects.get(pk=ana.pk))
        return sent

    monkeypatch.setattr(invites, "_send", asked_meanwhile)
    # The first sending does not mark the new ask sent: it goes out too.
    assert invites.send_due_invitations() == 2
    assert invites.send_due_invitations() == 0


def test_a_mail_server_that_refuses_leaves_the_invitations_due(
    clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    ana = addressed("Ana Ruiz", "ana@example.org")
    invites.prepare_account(ana)

    def refuse(*args: object) -> int:
        raise ConnectionRefusedError("no mail server")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    assert invites.send_due_invitations() == 0
    monkeypatch.undo()
    assert invites.send_due_invitations() == 1


def test_an_invitation_is_written_in_the_members_language_or_the_officers(clock: Clock) -> None:
    ana = addressed("Ana Ruiz", "ana@example.org", language="es")
    ben = addressed("Ben Hall", "ben@example.org", language="en")
    cat = addressed("Cat Rey", "cat@example.org")
    with translation.override("es"):  # the officer's request, in Spanish
        invites.prepare_accounts([ana, ben, cat])
    assert invites.send_due_invitations() == 3
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects == {
        "ana@example.org": "Tu invitación a frombelow",
        "ben@example.org": "Your invitation to frombelow",
        # Cat chose no language: the officer's.
        "cat@example.org": "Tu invitación a frombelow",
    }


@pytest.fixture
def docks(clock: Clock) -> tuple[Body, Member, list[Member]]:
    founders = people("Docker", 3)
    body = assembly("docks", founders, Statute(officer_admits_members=True))
    officer = elect_one(clock, body, MEMBERSHIP_OFFICER, founders[1], founders).holder
    return body, officer, founders


def test_the_officer_sends_an_invitation_again(docks: tuple[Body, Member, list[Member]]) -> None:
    body, officer, founders = docks
    Member.objects.filter(pk=founders[0].pk).update(email="d0@example.org")
    founders[0].refresh_from_db()
    assert list(invites.not_signed_up(body)) == [founders[0]]
    invites.invite_again(actor=officer, assembly=body, member=founders[0])
    assert invites.send_due_invitations() == 1
    # Lost again: a second time, a new link.
    invites.invite_again(actor=officer, assembly=body, member=founders[0])
    assert invites.send_due_invitations() == 1
    assert [m.to for m in mail.outbox] == [["d0@example.org"]] * 2


def test_sending_again_is_refused_where_it_cannot_help(
    docks: tuple[Body, Member, list[Member]],
) -> None:
    body, officer, founders = docks
    with pytest.raises(DomainError, match="Docker 1 has no e-mail address"):
        invites.invite_again(actor=officer, assembly=body, member=founders[0])
    outsider = addressed("Olga Paz", "olga@example.org")
    with pytest.raises(FederationError, match="Olga Paz is not on the roll of 'docks'"):
        invites.invite_again(actor=officer, assembly=body, member=outsider)
    Member.objects.filter(pk=founders[0].pk).update(email="d0@example.org")
    founders[0].refresh_from_db()
    with pytest.raises(StandingError, match="only the membership officer"):
        invites.invite_again(actor=founders[2], assembly=body, member=founders[0])
    invites.prepare_account(founders[0])
    founders[0].refresh_from_db()
    assert founders[0].user is not None
    founders[0].user.set_password("a password of her own")
    founders[0].user.save()
    with pytest.raises(DomainError, match="has set a password already"):
        invites.invite_again(actor=officer, assembly=body, member=founders[0])
    assert list(invites.not_signed_up(body)) == []
