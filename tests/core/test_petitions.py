"""A petition opens by its signatures alone; each member signs once."""

from __future__ import annotations

import inspect
from datetime import UTC, datetime, timedelta
from fractions import Fraction

import pytest

from frombelow.core.errors import DomainError, PetitionError
from frombelow.core.petitions import (
    Signatures,
    has_reached_threshold,
    recall_petition,
    referendum_petition,
    reopening_petition,
)
from frombelow.core.statutes import PetitionThreshold, Statute

NOW = datetime(2026, 6, 1, tzinfo=UTC)


def test_a_member_signs_once_and_signing_twice_is_refused() -> None:
    members = range(10)
    signed = Signatures[int]("recall-7").sign(3, members).sign(4, members)
    assert signed.signers == {3, 4}
    with pytest.raises(PetitionError, match="member 3 has already signed petition 'recall-7'"):
        signed.sign(3, members)
    with pytest.raises(PetitionError, match="member 3 has already signed"):
        Signatures.collect("recall-7", [3, 4, 3], members)


def test_only_those_entitled_sign() -> None:
    with pytest.raises(PetitionError, match="member 99 is not entitled"):
        Signatures[int]("recall-7").sign(99, range(10))
    with pytest.raises(PetitionError, match="body 'ministry' is not entitled"):
        Signatures.collect("referendum-1", ["ministry"], {"section-a"})
    with pytest.raises(DomainError):
        Signatures.collect("recall-7", [99], range(10))


@pytest.mark.parametrize(
    ("members", "signers", "opens"),
    [
        (30, 2, False),  # 10% of 30 is 3, fewer than 5
        (30, 3, True),
        (300, 4, False),  # 5 members, fewer than 10% of 300
        (300, 5, True),
        (3, 1, True),  # 10% of 3 rounds up to one signature
    ],
)
def test_a_recall_opens_at_10_percent_or_5_members_whichever_is_smaller(
    members: int, signers: int, opens: bool
) -> None:
    roll = range(members)
    signatures = Signatures.collect("recall-7", range(signers), roll)
    state = recall_petition(Statute(), signatures, roll)
    assert state.opens is opens
    assert state.reason.endswith("the recall opens" if opens else "the recall does not open yet")


def test_a_signer_who_left_the_body_no_longer_counts() -> None:
    signatures = Signatures.collect("recall-7", range(5), range(300))
    still_members = range(1, 300)
    assert not has_reached_threshold(
        signatures, PetitionThreshold(Fraction(1, 10), 5), still_members
    )


def test_a_referendum_opens_by_members_or_by_member_bodies_and_no_one_approves_it() -> None:
    statute = Statute(
        referendum_petition_members=PetitionThreshold(Fraction(1, 10)),
        referendum_petition_bodies=PetitionThreshold(Fraction(1, 3)),
    )
    members = range(1000)
    bodies = ["a", "b", "c", "d", "e", "f"]

    def state(members_signing: int, bodies_signing: list[str]) -> tuple[bool, str]:
        result = referendum_petition(
            statute,
            members=members,
            member_signatures=Signatures.collect("r", range(members_signing), members),
            member_bodies=bodies,
            body_signatures=Signatures.collect("r", bodies_signing, bodies),
        )
        return result.opens, result.reason

    assert state(100, [])[0]
    assert state(0, ["a", "b"])[0]
    opens, reason = state(99, ["a"])
    assert not opens
    assert reason == (
        "by members, 99 of 1000 members signed, 100 needed: the referendum does not open yet; "
        "by member bodies, 1 of 6 bodies signed, 2 needed: the referendum does not open yet"
    )
    # Nothing in the rule takes a council's approval: its inputs are signatures, roll, statute.
    parameters = set(inspect.signature(referendum_petition).parameters)
    assert parameters == {
        "statute",
        "members",
        "member_signatures",
        "member_bodies",
        "body_signatures",
    }


def test_a_decision_is_reopened_only_after_the_minimum_period() -> None:
    statute = Statute(
        reopening_after_days=90, reopening_petition=PetitionThreshold(Fraction(1, 10))
    )
    members = range(100)
    signatures = Signatures.collect("reopen-12", range(10), members)
    early = reopening_petition(
        statute, signatures, members, decided_at=NOW, now=NOW + timedelta(days=89)
    )
    assert not early.opens
    assert "can be reopened from 2026-08-30" in early.reason
    later = reopening_petition(
        statute, signatures, members, decided_at=NOW, now=NOW + timedelta(days=90)
    )
    assert later.opens
    too_few = Signatures.collect("reopen-12", range(9), members)
    assert not reopening_petition(
        statute, too_few, members, decided_at=NOW, now=NOW + timedelta(days=400)
    ).opens
