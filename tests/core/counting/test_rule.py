"""Thresholds are read from the words a statute uses."""

from fractions import Fraction

import pytest

from frombelow.core.counting.rule import CountError, Threshold


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("simple", Threshold(Fraction(1, 2), "cast", True)),
        ("absolute", Threshold(Fraction(1, 2), "electorate", True)),
        ("two-thirds", Threshold(Fraction(2, 3), "cast", False)),
        ("3/5", Threshold(Fraction(3, 5), "cast", False)),
        ("3/4-electorate", Threshold(Fraction(3, 4), "electorate", False)),
    ],
)
def test_named_and_fractional_thresholds(text: str, expected: Threshold) -> None:
    assert Threshold.parse(text) == expected


@pytest.mark.parametrize("text", ["most", "0", "5/4", "1/2-members", "1/0"])
def test_nonsense_thresholds_are_refused_with_the_text(text: str) -> None:
    with pytest.raises(CountError, match="threshold"):
        Threshold.parse(text)
