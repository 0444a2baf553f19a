"""A lot is reproducible from its seed and fair among the tied."""

from collections import Counter

import pytest

from frombelow.core.counting.lot import Lot


def test_the_same_seed_draws_the_same_candidates() -> None:
    first, second = Lot(2026), Lot(2026)
    assert [first.draw([3, 1, 2]) for _ in range(20)] == [second.draw([3, 1, 2]) for _ in range(20)]


def test_the_order_in_which_ties_are_listed_does_not_matter() -> None:
    assert Lot(7).draw([5, 2, 9]) == Lot(7).draw([9, 5, 2])


def test_without_a_seed_one_is_drawn_and_kept() -> None:
    lot = Lot()
    assert Lot(lot.seed).draw(range(10)) == lot.draw(range(10))
    assert str(lot.seed) in lot.method()


def test_every_tied_candidate_can_be_drawn() -> None:
    lot = Lot(1)
    drawn = Counter(lot.draw([0, 1, 2]) for _ in range(3000))
    assert set(drawn) == {0, 1, 2}
    assert min(drawn.values()) > 800


def test_a_lot_among_nobody_is_refused() -> None:
    with pytest.raises(ValueError, match="no candidates"):
        Lot(1).draw([])
