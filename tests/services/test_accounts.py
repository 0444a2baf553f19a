"""A member's sign-ins end when they leave an assembly or are sanctioned, with the act itself."""

from __future__ import annotations

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, override_settings

from frombelow.db.models import Member, Motion
from frombelow.services import bodies, charges
from frombelow.services.accounts import end_sessions
from tests.services.world import Clock, all_yes, assembly, decide, people

pytestmark = pytest.mark.django_db


def with_account(member: Member) -> User:
    """Give the member an account, as the sign-up would."""
    user = User.objects.create_user(f"member-{member.pk}", password="a long passphrase")
    Member.objects.filter(pk=member.pk).update(user=user)
    member.refresh_from_db()
    return user


def signed_in(user: User, times: int = 1) -> list[Client]:
    """Sign the account in from `times` browsers."""
    clients = [Client() for _ in range(times)]
    for client in clients:
        client.force_login(user)
    return clients


def sessions_of(user: User) -> int:
    return sum(1 for s in Session.objects.all() if s.get_decoded().get(SESSION_KEY) == str(user.pk))


def test_leaving_an_assembly_signs_the_member_out_everywhere_and_no_one_else() -> None:
    members = people("Docker", 3)
    docks = assembly("docks", members)
    leaver, stayer = with_account(members[2]), with_account(members[1])
    browsers = signed_in(leaver, times=2)
    signed_in(stayer)
    assert browsers[0].session.get(SESSION_KEY) == str(leaver.pk)

    bodies.leave_assembly(actor=members[2], assembly=docks)

    assert sessions_of(leaver) == 0
    assert sessions_of(stayer) == 1


def test_a_leave_that_fails_keeps_the_sessions(monkeypatch: pytest.MonkeyPatch) -> None:
    members = people("Docker", 3)
    docks = assembly("docks", members)
    leaver = with_account(members[2])
    signed_in(leaver)

    def refuse(**_: object) -> None:
        raise RuntimeError("the record refused the entry")

    # The entry is written after the sessions are ended: its failure must undo that too.
    monkeypatch.setattr(bodies, "append_entry", refuse)
    with pytest.raises(RuntimeError):
        bodies.leave_assembly(actor=members[2], assembly=docks)
    assert sessions_of(leaver) == 1


@pytest.mark.parametrize("kind", ["suspension", "expulsion"])
def test_a_sanctioned_member_is_signed_out(clock: Clock, kind: str) -> None:
    members = people("Docker", 4)
    docks = assembly("docks", members)
    accused = with_account(members[3])
    bystander = with_account(members[0])
    signed_in(accused)
    signed_in(bystander)
    charge = charges.file_charge(
        actor=members[1], body=docks, accused_member=members[3], text="Took the strike fund"
    )
    charges.reply_to_charge(actor=members[3], charge=charge, text="I paid it back")
    details: dict[str, object] = {"sanction": kind}
    if kind == "suspension":
        details["days"] = 30
    decision = decide(
        clock,
        docks,
        members[1],
        all_yes(members[:3]),
        kind=Motion.Kind.SANCTION_MEMBER,
        member=members[3],
        charge=charge,
        details=details,
    )
    assert decision.outcome == "carried"
    assert sessions_of(accused) == 0
    assert sessions_of(bystander) == 1


def test_a_member_without_an_account_has_no_session_to_end() -> None:
    (member,) = people("Docker", 1)
    assert end_sessions(member) == 0


@override_settings(SESSION_ENGINE="django.contrib.sessions.backends.signed_cookies")
def test_sessions_kept_outside_the_database_are_refused_rather_than_left_running() -> None:
    (member,) = people("Docker", 1)
    with_account(member)
    with pytest.raises(ImproperlyConfigured, match="cannot end a member's sessions"):
        end_sessions(member)
