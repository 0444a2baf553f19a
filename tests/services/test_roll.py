"""The membership roll: the officer previews a file (nothing stored), then admits it in one act;
the roll exports in the same columns; the new members' invitations are due, and sent by the
sender."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.core import mail

from frombelow.core.errors import FederationError, StandingError
from frombelow.core.roll import RollError, parse_roll
from frombelow.core.statutes import Statute
from frombelow.db.models import Body, Member, Membership, RecordEntry
from frombelow.services import bodies, invites, roll
from frombelow.services.standing import MEMBERSHIP_OFFICER
from tests.services.world import Clock, assembly, elect_one, people, person

pytestmark = pytest.mark.django_db

FILE = (
    "name,email,member_number\n"
    "Ana Ruiz,ana@example.org,101\n"
    "Benito Sala,,102\n"
    ",nobody@example.org,\n"
    "Carmen Vidal,carmen@,\n"
    "Diego Marín,ANA@example.org,\n"
    "Docker 1,,\n"  # the same name as a member: names are not who a person is
    "Elena Soto,elena@example.org,7\n"  # line 8: number 7 is a founder's
)


@pytest.fixture
def docks(clock: Clock) -> tuple[Body, Member]:
    founders = people("Docker", 3)
    body = assembly("docks", founders, Statute(officer_admits_members=True))
    officer = elect_one(clock, body, MEMBERSHIP_OFFICER, founders[1], founders).holder
    Membership.objects.filter(member=founders[2], assembly=body).update(member_number="7")
    return body, officer


def test_a_preview_names_every_bad_row_and_stores_nothing(docks: tuple[Body, Member]) -> None:
    body, officer = docks
    before = (Member.objects.count(), Membership.objects.count(), RecordEntry.objects.count())
    seen = roll.preview_roll(actor=officer, assembly=body, data=FILE.encode())
    assert [r.line for r in seen.rows] == [2, 3, 7]
    assert [(b.line, b.reason) for b in seen.bad] == [
        (4, "missing-name"),
        (5, "bad-email"),
        (6, "duplicate"),
        (8, "already-member"),
    ]
    assert seen.bad[-1].detail == "line 8: member number 7 is already on the roll of 'docks'"
    after = (Member.objects.count(), Membership.objects.count(), RecordEntry.objects.count())
    assert after == before


def test_a_roll_holding_a_nul_is_refused_at_the_preview(docks: tuple[Body, Member]) -> None:
    # It once passed the preview, then failed the import on PostgreSQL, answered 500.
    body, officer = docks
    with pytest.raises(RollError, match=r"^line 3: the roll holds a NUL character"):
        roll.preview_roll(actor=officer, assembly=body, data=FILE.replace("Benito", "Be\x00nito"))


def test_confirming_admits_every_good_row_with_one_entry_each(
    docks: tuple[Body, Member],
    django_capture_on_commit_callbacks: Callable[..., AbstractContextManager[Any]],
) -> None:
    body, officer = docks
    seen = roll.preview_roll(actor=officer, assembly=body, data=FILE)
    with django_capture_on_commit_callbacks(execute=True):
        admitted = roll.import_roll(actor=officer, assembly=body, token=seen.token)
    assert [(m.member.name, m.member_number) for m in admitted] == [
        ("Ana Ruiz", "101"),
        ("Benito Sala", "102"),
        ("Docker 1", ""),
    ]
    entries = RecordEntry.objects.filter(action="member.admitted", body=body)
    # The founders are on the roll by founding; the three are admitted, one entry each.
    assert [e.subject for e in entries.order_by("seq")] == [
        f"member:{m.member_id}" for m in admitted
    ]
    assert {e.data["by"] for e in entries} == {"membership officer"}
    # Only Ana gave an address: she alone is invited, by the sender, not in the import.
    assert mail.outbox == []
    assert invites.send_due_invitations() == 1
    assert [m.to for m in mail.outbox] == [["ana@example.org"]]
    assert "/accounts/invitation/" in mail.outbox[0].body


def test_a_token_is_good_once_for_its_officer_and_assembly(docks: tuple[Body, Member]) -> None:
    body, officer = docks
    seen = roll.preview_roll(actor=officer, assembly=body, data="Ana Ruiz,ana@example.org\n")
    roll.import_roll(actor=officer, assembly=body, token=seen.token)
    entries = RecordEntry.objects.count()
    with pytest.raises(FederationError, match=r"line 1: ana@example\.org is already on the roll"):
        roll.import_roll(actor=officer, assembly=body, token=seen.token)
    with pytest.raises(RollError, match="not one this installation issued"):
        roll.import_roll(actor=officer, assembly=body, token=seen.token[:-2] + "xx")
    assert RecordEntry.objects.count() == entries


def test_a_preview_expires_after_an_hour(docks: tuple[Body, Member], clock: Clock) -> None:
    body, officer = docks
    seen = roll.preview_roll(actor=officer, assembly=body, data="Ana Ruiz\n")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(roll, "PREVIEW_SECONDS", -1)
        with pytest.raises(RollError, match="more than an hour old"):
            roll.import_roll(actor=officer, assembly=body, token=seen.token)
    assert not Member.objects.filter(name="Ana Ruiz").exists()


def test_a_roll_changed_since_the_preview_admits_no_one(docks: tuple[Body, Member]) -> None:
    body, officer = docks
    seen = roll.preview_roll(actor=officer, assembly=body, data="Ana Ruiz\nBenito,b@example.org\n")
    benito = bodies.register_member(actor="system", name="Benito", email="B@example.org")
    bodies.admit_member(actor=officer, assembly=body, member=benito)
    members = Member.objects.count()
    with pytest.raises(FederationError, match=r"line 2: b@example\.org .* nothing was admitted"):
        roll.import_roll(actor=officer, assembly=body, token=seen.token)
    assert Member.objects.count() == members


def test_only_the_elected_officer_previews_imports_and_exports(
    docks: tuple[Body, Member],
) -> None:
    body, officer = docks
    seen = roll.preview_roll(actor=officer, assembly=body, data="Ana Ruiz\n")
    member = Member.objects.get(name="Docker 1")
    with pytest.raises(StandingError, match="only the membership officer"):
        roll.preview_roll(actor=member, assembly=body, data="Ana Ruiz\n")
    with pytest.raises(StandingError, match="only the membership officer"):
        roll.import_roll(actor=member, assembly=body, token=seen.token)
    with pytest.raises(StandingError, match="only the membership officer"):
        roll.export_roll(actor=member, assembly=body)


def test_an_officer_whose_statute_keeps_admission_imports_nothing(clock: Clock) -> None:
    founders = people("Docker", 3)
    body = assembly("docks", founders)
    officer = elect_one(clock, body, MEMBERSHIP_OFFICER, founders[1], founders).holder
    with pytest.raises(StandingError, match="does not let its membership officer admit"):
        roll.preview_roll(actor=officer, assembly=body, data="Ana Ruiz\n")
    assert "Docker 1" in roll.export_roll(actor=officer, assembly=body)


def test_a_registered_member_named_by_address_is_admitted_not_doubled(
    docks: tuple[Body, Member],
) -> None:
    body, officer = docks
    ana = person("Ana Ruiz")
    Member.objects.filter(pk=ana.pk).update(email="ana@example.org")
    seen = roll.preview_roll(actor=officer, assembly=body, data="Ana R.,Ana@Example.org\n")
    (membership,) = roll.import_roll(actor=officer, assembly=body, token=seen.token)
    assert membership.member == ana


def test_the_export_reads_back_as_the_roll(docks: tuple[Body, Member], clock: Clock) -> None:
    body, officer = docks
    seen = roll.preview_roll(actor=officer, assembly=body, data=FILE)
    roll.import_roll(actor=officer, assembly=body, token=seen.token)
    clock.advance(seconds=1)
    bodies.leave_assembly(actor=Member.objects.get(name="Benito Sala"), assembly=body)
    clock.advance(seconds=1)
    text = roll.export_roll(actor=officer, assembly=body)
    rows = parse_roll(text).rows
    assert [(r.name, r.email, r.member_number) for r in rows] == [
        ("Ana Ruiz", "ana@example.org", "101"),
        ("Docker 1", "", ""),
        ("Docker 1", "", ""),
        ("Docker 2", "", ""),
        ("Docker 3", "", "7"),
    ]
