"""A question's totals are decided by the counting engine's majority rule."""

from __future__ import annotations

from fractions import Fraction

import pytest

from frombelow.core.counting.rule import Threshold
from frombelow.core.decisions import decide
from frombelow.core.errors import DomainError


def test_totals_are_carried_lost_or_inquorate_under_the_quorum_and_threshold() -> None:
    simple = Threshold()
    result = decide(
        {"yes": 180, "no": 120, "abstain": 5}, electorate=400, quorum=Fraction(0), threshold=simple
    )
    assert (result.outcome, result.details["turnout"]) == ("carried", "305")
    two_thirds = Threshold.parse("two-thirds")
    assert (
        decide(
            {"yes": 180, "no": 120}, electorate=400, quorum=Fraction(0), threshold=two_thirds
        ).outcome
        == "lost"
    )
    assert (
        decide(
            {"yes": 180, "no": 20}, electorate=400, quorum=Fraction(3, 4), threshold=simple
        ).outcome
        == "inquorate"
    )


def test_only_yes_no_and_abstain_are_decided() -> None:
    with pytest.raises(DomainError, match="not on maybe"):
        decide({"yes": 1, "maybe": 2}, electorate=3, quorum=Fraction(0), threshold=Threshold())
    with pytest.raises(DomainError, match="whole number"):
        decide({"yes": -1}, electorate=3, quorum=Fraction(0), threshold=Threshold())
