"""Apportionment: textbook examples, the minimum, the published divisor, and properties."""

from __future__ import annotations

import math
import random
from fractions import Fraction

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from frombelow.core.counting.apportionment import (
    APPORTIONMENT_METHODS,
    Apportionment,
    apportion,
)
from frombelow.core.counting.rule import CountError

DIVISOR_METHODS = ("sainte-lague", "dhondt", "huntington-hill")
PROPERTY = settings(max_examples=150, deadline=None)

# The example of the D'Hondt and Sainte-Laguë articles of Wikipedia: 8 seats, 230,000 votes.
PARTIES = {"A": 100_000, "B": 80_000, "C": 30_000, "D": 20_000}


def seats_of(result: Apportionment) -> list[int]:
    """Return the seats in the order the bodies were given."""
    return list(result.seats.values())


@pytest.mark.parametrize(
    ("method", "expected", "divisor"),
    [
        ("dhondt", [4, 3, 1, 0], 21_000),
        ("sainte-lague", [3, 3, 1, 1], 30_000),
        # By hand: first seats for all, then 70,711 A, 56,569 B, 40,825 A, 32,660 B.
        ("huntington-hill", [3, 3, 1, 1], 30_000),
    ],
)
def test_divisor_methods_give_the_published_seats(
    method: str, expected: list[int], divisor: int
) -> None:
    result = apportion(method, PARTIES, 8, minimum=0)
    assert seats_of(result) == expected
    assert result.divisor == divisor
    assert result.quota is None
    assert result.tie_breaks == ()
    assert result.total == 8


def test_hamilton_gives_the_published_largest_remainder_seats() -> None:
    # Wikipedia, "Largest remainders method": Hare quota 10,000; remainders .7, .61, .6 win.
    parties = {
        "Yellows": 47_000,
        "Whites": 16_000,
        "Reds": 15_800,
        "Greens": 12_000,
        "Blues": 6_100,
        "Pinks": 3_100,
    }
    result = apportion("hamilton", parties, 10, minimum=0)
    assert seats_of(result) == [5, 2, 1, 1, 1, 0]
    assert result.quota == 10_000
    assert result.divisor is None
    assert seats_of(apportion("hamilton", PARTIES, 8, minimum=0)) == [3, 3, 1, 1]


def test_hamilton_shows_the_alabama_paradox_and_divisor_methods_do_not() -> None:
    # One more seat in the house takes a seat from C: quotas 4.29/4.29/1.43, then 4.71/4.71/1.57.
    states = {"A": 6, "B": 6, "C": 2}
    assert seats_of(apportion("hamilton", states, 10, minimum=0)) == [4, 4, 2]
    assert seats_of(apportion("hamilton", states, 11, minimum=0)) == [5, 5, 1]
    for method in DIVISOR_METHODS:
        ten = seats_of(apportion(method, states, 10, minimum=0, seed=1))
        eleven = seats_of(apportion(method, states, 11, minimum=0, seed=1))
        assert all(a <= b for a, b in zip(ten, eleven, strict=True))


def test_geometric_rounding_favours_the_smaller_body() -> None:
    bodies = {"A": 30_000, "B": 12_500}
    # After one seat each: B's 12,500 / sqrt(2) = 8,839 beats A's 30,000 / sqrt(12) = 8,660
    # for the fifth seat, while Sainte-Laguë compares 12,500 / 1.5 = 8,333 with 30,000 / 3.5.
    assert seats_of(apportion("huntington-hill", bodies, 5)) == [3, 2]
    assert seats_of(apportion("sainte-lague", bodies, 5)) == [4, 1]
    assert seats_of(apportion("dhondt", bodies, 5)) == [4, 1]


def test_the_minimum_is_a_floor_and_the_divisor_is_recomputed() -> None:
    bodies = {"A": 900, "B": 90, "C": 10}
    # Without a minimum, Sainte-Laguë gives 9, 1, 0. With a minimum of one, C's seat comes off
    # A's weakest, not added on top: 8, 1, 1. Any divisor above A's next quotient 900 / 8.5 =
    # 105.9 and up to A's last 900 / 7.5 = 120 gives these seats: 110 is the roundest.
    assert seats_of(apportion("sainte-lague", bodies, 10, minimum=0)) == [9, 1, 0]
    result = apportion("sainte-lague", bodies, 10, minimum=1)
    assert seats_of(result) == [8, 1, 1]
    assert result.divisor == 110
    assert result.minimum == 1
    assert seats_of(apportion("hamilton", bodies, 10, minimum=1)) == [8, 1, 1]
    assert seats_of(apportion("dhondt", bodies, 10, minimum=2)) == [6, 2, 2]


def test_hamilton_recomputes_the_quota_until_every_remaining_body_reaches_the_minimum() -> None:
    # Quota 1000 / 10 = 100: C (30) and D (40) fall below 2 seats and keep 2 each; then
    # 930 / 6 = 155 makes B (160) a 1.03-seat body, below 2 too; A takes the 4 seats left.
    bodies = {"A": 770, "B": 160, "C": 30, "D": 40}
    result = apportion("hamilton", bodies, 10, minimum=2)
    assert seats_of(result) == [4, 2, 2, 2]
    assert result.quota == Fraction(770, 4)


def test_a_body_without_members_gets_only_its_minimum() -> None:
    bodies = {"A": 500, "B": 0, "C": 300}
    for method in APPORTIONMENT_METHODS:
        assert apportion(method, bodies, 8, minimum=1).seats["B"] == 1
        assert apportion(method, bodies, 8, minimum=0).seats["B"] == 0


def test_only_the_minimums_leave_no_divisor() -> None:
    result = apportion("dhondt", {"A": 5, "B": 7}, 2)
    assert seats_of(result) == [1, 1]
    assert result.divisor is None


def test_a_tie_for_the_last_seat_is_drawn_by_lot_and_recorded() -> None:
    bodies = {"A": 150, "B": 150, "C": 150, "D": 50}
    # First seats go to A, B and C (300 each); the fourth is a tie of four quotients of 100:
    # the second seats of A, B and C (150 / 1.5) and the first of D (50 / 0.5).
    result = apportion("sainte-lague", bodies, 4, minimum=0, seed=4)
    assert len(result.tie_breaks) == 1
    tie = result.tie_breaks[0]
    assert (tie.tied, tie.purpose, tie.method) == (
        ("A", "B", "C", "D"),
        "last seat",
        "lot (seed 4)",
    )
    expected = {"A": 1, "B": 1, "C": 1, "D": 0}
    expected[tie.chosen] += 1
    assert dict(result.seats) == expected
    assert result.seed == 4
    assert result.divisor == 100  # the tie sits on the signpost itself
    assert apportion("sainte-lague", bodies, 4, minimum=0, seed=4) == result
    chosen = {
        apportion("sainte-lague", bodies, 4, minimum=0, seed=s).tie_breaks[0].chosen
        for s in range(60)
    }
    assert chosen == {"A", "B", "C", "D"}


def test_a_hamilton_tie_on_remainders_is_drawn_by_lot() -> None:
    # Three quotas of 2/3: no whole seats, and two seats for three equal remainders.
    result = apportion("hamilton", {"A": 1, "B": 1, "C": 1}, 2, minimum=0, seed=2)
    first, second = result.tie_breaks
    assert first.tied == ("A", "B", "C")
    assert second.tied == tuple(name for name in "ABC" if name != first.chosen)
    assert {name for name, held in result.seats.items() if held} == {first.chosen, second.chosen}
    assert result.quota == Fraction(3, 2)


def test_methods_by_name() -> None:
    assert set(APPORTIONMENT_METHODS) == {"sainte-lague", "dhondt", "hamilton", "huntington-hill"}
    for name, method in APPORTIONMENT_METHODS.items():
        assert method.name == name
        assert method.summary
        assert method.source


@pytest.mark.parametrize(
    ("method", "populations", "seats", "minimum", "message"),
    [
        ("dhondt", {}, 3, 1, "no bodies"),
        ("dhondt", {"A": 5, "B": -1}, 3, 1, r"population of 'B' is negative \(-1\)"),
        ("dhondt", {"A": 5, "B": 2.5}, 3, 1, "population of 'B' must be a whole number"),
        ("dhondt", {"A": 5, "B": 3}, 3, 2, "need 4 seats, more than the 3"),
        ("dhondt", {"A": 5}, -1, 0, "cannot be negative"),
        ("dhondt", {"A": 5}, 3, -1, "minimum seats per body cannot be negative"),
        ("dhondt", {"A": 0, "B": 0}, 3, 1, "no body has members, so the 1 seats"),
        ("webster", {"A": 5}, 3, 1, "unknown apportionment method 'webster'"),
        ("huntington-hill", {"A": 5, "B": 3, "C": 1}, 2, 0, "2 seats cannot cover the 3 bodies"),
    ],
)
def test_refuses_what_cannot_be_apportioned(
    method: str, populations: dict[str, int], seats: int, minimum: int, message: str
) -> None:
    with pytest.raises(CountError, match=message):
        apportion(method, populations, seats, minimum=minimum)


def highest_averages(method: str, populations: list[int], seats: int, minimum: int) -> list[int]:
    """Give every body its minimum, then each seat to the highest quotient, one by one."""

    def quotient(p: int, s: int) -> tuple[int, Fraction]:
        if method == "dhondt":
            return (0, Fraction(p, s + 1))
        if method == "sainte-lague":
            return (0, Fraction(2 * p, 2 * s + 1))
        if s == 0:
            return (1 if p else 0, Fraction(0))
        return (0, Fraction(p * p, s * (s + 1)))

    allocation = [minimum] * len(populations)
    for _ in range(seats - minimum * len(populations)):
        best = max(range(len(populations)), key=lambda i: quotient(populations[i], allocation[i]))
        allocation[best] += 1
    return allocation


def divisor_rounding(method: str, population: int, divisor: Fraction) -> int:
    """Round population / divisor as the method does, by hand."""
    x = population / divisor
    if method == "dhondt":
        return math.floor(x)
    if method == "sainte-lague":
        return math.floor(x + Fraction(1, 2))
    whole = math.floor(x)
    return 0 if population == 0 else whole + (x * x >= whole * (whole + 1))


POPULATIONS = st.lists(st.integers(0, 1000), min_size=1, max_size=7)


@PROPERTY
@given(st.sampled_from(DIVISOR_METHODS), POPULATIONS, st.integers(0, 30), st.integers(0, 2))
def test_divisor_methods_are_the_highest_averages_method(
    method: str, populations: list[int], extra: int, minimum: int
) -> None:
    assume(any(populations) or extra == 0)
    with_members = sum(1 for p in populations if p)
    seats = minimum * len(populations) + extra
    assume(not (method == "huntington-hill" and minimum == 0 and seats < with_members))
    bodies = {f"b{i}": p for i, p in enumerate(populations)}
    result = apportion(method, bodies, seats, minimum=minimum, seed=1)
    assert result.total == seats
    assert all(s >= minimum for s in result.seats.values())
    if not result.tie_breaks:
        assert seats_of(result) == highest_averages(method, populations, seats, minimum)
        if result.divisor is not None:
            assert [
                max(minimum, divisor_rounding(method, p, result.divisor)) for p in populations
            ] == seats_of(result)


@PROPERTY
@given(st.sampled_from(DIVISOR_METHODS), POPULATIONS, st.integers(1, 30), st.integers(0, 1))
def test_divisor_methods_are_house_monotone(
    method: str, populations: list[int], extra: int, minimum: int
) -> None:
    assume(sum(populations) > 0)
    seats = minimum * len(populations) + extra
    assume(method != "huntington-hill" or minimum == 1 or seats >= len(populations))
    bodies = {f"b{i}": p for i, p in enumerate(populations)}
    smaller = apportion(method, bodies, seats, minimum=minimum, seed=1)
    larger = apportion(method, bodies, seats + 1, minimum=minimum, seed=1)
    assume(not smaller.tie_breaks and not larger.tie_breaks)
    assert all(a <= b for a, b in zip(seats_of(smaller), seats_of(larger), strict=True))


@PROPERTY
@given(POPULATIONS, st.integers(0, 40))
def test_hamilton_stays_within_quota(populations: list[int], seats: int) -> None:
    assume(sum(populations) > 0)
    result = apportion(
        "hamilton", {f"b{i}": p for i, p in enumerate(populations)}, seats, minimum=0
    )
    total = sum(populations)
    for population, held in zip(populations, seats_of(result), strict=True):
        quota = Fraction(population * seats, total)
        assert math.floor(quota) <= held <= math.ceil(quota)
    assert result.total == seats


@PROPERTY
@given(
    st.sampled_from(sorted(APPORTIONMENT_METHODS)),
    POPULATIONS,
    st.integers(0, 25),
    st.randoms(use_true_random=False),
)
def test_the_order_of_the_bodies_does_not_matter(
    method: str, populations: list[int], extra: int, rng: random.Random
) -> None:
    assume(sum(populations) > 0)
    bodies = {f"b{i}": p for i, p in enumerate(populations)}
    seats = len(bodies) + extra
    names = list(bodies)
    rng.shuffle(names)
    before = apportion(method, bodies, seats, seed=3)
    after = apportion(method, {name: bodies[name] for name in names}, seats, seed=3)
    assume(not before.tie_breaks and not after.tie_breaks)
    assert dict(after.seats) == dict(before.seats)
    assert list(after.seats) == names
    assert (after.divisor, after.quota) == (before.divisor, before.quota)


@pytest.mark.parametrize("method", sorted(APPORTIONMENT_METHODS))
def test_ten_thousand_bodies_add_up_and_divisor_methods_match_highest_averages(
    method: str,
) -> None:
    rng = random.Random(8)
    populations = [int(rng.paretovariate(1.2) * 100) for _ in range(10_000)]
    bodies = {f"section {i}": p for i, p in enumerate(populations)}
    result = apportion(method, bodies, 12_000, seed=8)
    assert result.total == 12_000
    assert min(result.seats.values()) >= 1
    if method != "hamilton":
        assert result.divisor is not None
        rounded = [max(1, divisor_rounding(method, p, result.divisor)) for p in populations]
        differences = [
            i for i, (a, b) in enumerate(zip(rounded, seats_of(result), strict=True)) if a != b
        ]
        # Only bodies in a tie may sit on the signpost the other way.
        tied = {name for tie in result.tie_breaks for name in tie.tied}
        assert all(f"section {i}" in tied for i in differences)
