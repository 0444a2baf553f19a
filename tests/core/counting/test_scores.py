"""The shared ending of score rules: exact tallies, rankings by score, seats filled by lot."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from frombelow.core.ballots.profile import Ballot, Profile
from frombelow.core.counting.lot import Lot
from frombelow.core.counting.scores import (
    exact_total,
    fill_seats,
    is_continuing,
    is_voting,
    rank_by_score,
    tally,
)


def test_exact_total_goes_past_int64() -> None:
    weights = np.array([2**62, 2**62, 2**62, 5], dtype=np.int64)
    assert exact_total(weights) == 3 * 2**62 + 5
    assert exact_total(np.array([], dtype=np.int64)) == 0


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 4), st.integers(0, 2**62)), max_size=30),
)
def test_tally_adds_every_weight_to_its_candidate_exactly(
    entries: list[tuple[int, int]],
) -> None:
    candidates = np.array([c for c, _ in entries], dtype=np.int32)
    weights = np.array([w for _, w in entries], dtype=np.int64)
    expected = [sum(w for c, w in entries if c == k) for k in range(5)]
    assert tally(candidates, weights, 5) == expected


def test_rank_by_score_groups_equal_scores_best_first_in_candidate_order() -> None:
    assert rank_by_score([3, 7, 3, 0, 7], [4, 2, 1, 0, 3]) == ((1, 4), (0, 2), (3,))
    assert rank_by_score([3, 7, 3], [0, 2]) == ((0, 2),)


def test_fill_seats_draws_each_seat_of_a_straddling_group_and_records_it() -> None:
    ranking = ((2,), (0, 1, 3, 4), (5,))
    elected, draws = fill_seats(ranking, 3, Lot(21), "ABCDEF")
    assert elected[0] == 2
    assert len(draws) == 2
    first, second = draws
    assert first.tied == ("A", "B", "D", "E")
    assert second.tied == tuple(n for n in first.tied if n != first.chosen)
    assert elected[1:] == tuple("ABCDEF".index(t.chosen) for t in draws)
    assert {t.method for t in draws} == {"lot (seed 21)"}
    assert fill_seats(ranking, 3, Lot(21), "ABCDEF") == (elected, draws)


def test_fill_seats_draws_nothing_when_the_groups_fit() -> None:
    assert fill_seats(((1, 0), (2,)), 2, Lot(1), "ABC") == ((1, 0), ())
    assert fill_seats(((1, 0), (2,)), 3, Lot(1), "ABC") == ((1, 0, 2), ())


def test_continuing_preferences_skip_padding_and_withdrawn_candidates() -> None:
    profile = Profile.from_ballots(
        "ABC", [Ballot(((1,), (0,), (2,)), 1), Ballot(((1,),), 1), Ballot((), 1)], withdrawn={1}
    )
    assert is_continuing(profile).tolist() == [
        [False, True, True],
        [False, False, False],
        [False, False, False],
    ]
    assert is_voting(profile).tolist() == [True, False, False]
    everyone = Profile.from_ballots("ABC", [Ballot(((1,),), 1), Ballot((), 1)])
    assert is_voting(everyone).tolist() == [True, False]
