"""A recall by the electing body ends the term at once and seats the first substitute."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from fractions import Fraction

import pytest

from frombelow.core.counting.rule import Threshold
from frombelow.core.errors import RecallError
from frombelow.core.recall import PendingCast, decide_recall, recall
from frombelow.core.statutes import Statute
from frombelow.core.terms import Substitutes, Term, begin_term

JAN = datetime(2026, 1, 1, tzinfo=UTC)
AT = JAN + timedelta(days=100)
STATUTE = Statute(quorum=Fraction(1, 4), threshold=Threshold.parse("two-thirds"))


def delegate() -> Term:
    return begin_term(
        STATUTE,
        holder=7,
        office="delegation to the local federation",
        body="section-a",
        start=JAN,
        end=JAN + timedelta(days=365),
        election="e1",
    )


SUBSTITUTES = Substitutes("e1", "delegation to the local federation", "section-a", (9, 4))
PENDING = [
    PendingCast("local", "amendment-3", "section-a", 7),
    PendingCast("local", "amendment-4", "section-a", 7),
    PendingCast("local", "amendment-3", "section-b", 12),
]


def test_a_recall_passes_by_simple_majority_of_votes_cast_whatever_the_statutes_threshold() -> None:
    # The statute asks two-thirds for motions; a recall needs only more yes than no.
    assert (
        decide_recall({"yes": 11, "no": 10, "abstain": 30}, electorate=100, statute=STATUTE).outcome
        == "carried"
    )
    assert decide_recall({"yes": 10, "no": 10}, electorate=40, statute=STATUTE).outcome == "lost"


def test_a_recall_needs_the_bodys_quorum() -> None:
    assert (
        decide_recall({"yes": 20, "no": 4}, electorate=100, statute=STATUTE).outcome == "inquorate"
    )


def test_a_carried_recall_ends_the_term_now_and_seats_the_first_substitute() -> None:
    count = decide_recall({"yes": 30, "no": 5}, electorate=100, statute=STATUTE)
    effect = recall(
        delegate(), by="section-a", count=count, at=AT, substitutes=SUBSTITUTES, pending=PENDING
    )
    assert effect.recalled.ends_at == AT
    assert effect.recalled.vacated_because == "recall"
    assert effect.successor is not None
    assert (effect.successor.holder, effect.successor.start, effect.successor.end) == (
        9,
        AT,
        JAN + timedelta(days=365),
    )
    assert effect.substitutes.order == (4,)
    # The recalled delegate's open votes are the substitute's now; other delegations' are not.
    assert effect.reassigned == (
        PendingCast("local", "amendment-3", "section-a", 9),
        PendingCast("local", "amendment-4", "section-a", 9),
    )
    assert not effect.is_vacant


def test_with_no_substitute_left_the_seat_stays_empty_and_open_votes_lapse() -> None:
    count = decide_recall({"yes": 30, "no": 5}, electorate=100, statute=STATUTE)
    effect = recall(
        delegate(),
        by="section-a",
        count=count,
        at=AT,
        substitutes=SUBSTITUTES,
        unavailable={9, 4},
        pending=PENDING,
    )
    assert effect.is_vacant
    assert effect.reassigned == ()
    assert [p.item for p in effect.lapsed] == ["amendment-3", "amendment-4"]


def test_only_the_body_that_elected_can_recall() -> None:
    count = decide_recall({"yes": 30, "no": 5}, electorate=100, statute=STATUTE)
    with pytest.raises(RecallError, match=r"only 'section-a'.* can recall them; 'local' cannot"):
        recall(delegate(), by="local", count=count, at=AT, substitutes=SUBSTITUTES)


def test_a_recall_that_did_not_carry_changes_nothing() -> None:
    for votes, electorate in (({"yes": 5, "no": 30}, 100), ({"yes": 20, "no": 4}, 100)):
        count = decide_recall(votes, electorate=electorate, statute=STATUTE)
        with pytest.raises(RecallError, match="their term goes on"):
            recall(delegate(), by="section-a", count=count, at=AT, substitutes=SUBSTITUTES)


def test_a_term_already_over_cannot_be_recalled() -> None:
    count = decide_recall({"yes": 30, "no": 5}, electorate=100, statute=STATUTE)
    with pytest.raises(RecallError, match="already over"):
        recall(
            delegate(),
            by="section-a",
            count=count,
            at=JAN + timedelta(days=365),
            substitutes=SUBSTITUTES,
        )
