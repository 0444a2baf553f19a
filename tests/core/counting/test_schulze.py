"""The Schulze method: the paper's example, properties, pref_voting, and a real election."""

from __future__ import annotations

import random
from itertools import permutations

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pref_voting.margin_based_methods import beat_path

from frombelow.core.ballots.blt import read_blt
from frombelow.core.ballots.profile import Ballot, Profile
from frombelow.core.counting import schulze
from frombelow.core.counting.result import Result
from frombelow.core.counting.rule import CountError, CountOptions
from tests.core.counting.weak_profiles import (
    pairwise_by_hand,
    renamed,
    shuffled,
    to_pref_voting,
    weak_profiles,
    without_withdrawn,
)
from tests.shared_data import elections_dir

PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Schulze (2011), section 3.1, example 1 (also the example of the method's Wikipedia article):
# 45 voters, five candidates, strict complete rankings.
EXAMPLE_1 = [
    (5, "ACBED"),
    (5, "ADECB"),
    (8, "BEDAC"),
    (3, "CABED"),
    (7, "CAEBD"),
    (2, "CBADE"),
    (7, "DCEBA"),
    (8, "EBADC"),
]


def example_1() -> Profile:
    """Return the 45 ballots of the paper's first example."""
    rankings = [tuple(r) for _, r in EXAMPLE_1]
    return Profile.from_rankings("ABCDE", rankings, weights=[w for w, _ in EXAMPLE_1])


def count(profile: Profile, seats: int = 1, seed: int = 7) -> Result:
    """Count by Schulze with a fixed seed."""
    return schulze.RULE.count(profile, CountOptions(seats=seats, seed=seed))


def winners_by_pref_voting(profile: Profile) -> set[str]:
    """Return pref_voting's Beat Path winners with winning votes, then opposition, as strength."""
    pv = to_pref_voting(profile)
    total = profile.total_weight

    def strength(a: int, b: int) -> int:
        return int(pv.support(a, b)) * (total + 1) + total - int(pv.support(b, a))

    return {profile.candidates[c] for c in beat_path(pv, strength_function=strength)}


def test_the_papers_first_example_has_its_published_matrices_and_ranking() -> None:
    result = count(example_1(), seats=2)
    d = {k[2:-1]: int(v) for k, v in result.details.items() if k.startswith("d[")}
    assert d == {
        "A>B": 20, "A>C": 26, "A>D": 30, "A>E": 22, "B>A": 25, "B>C": 16, "B>D": 33,
        "B>E": 18, "C>A": 19, "C>B": 29, "C>D": 17, "C>E": 24, "D>A": 15, "D>B": 12,
        "D>C": 28, "D>E": 14, "E>A": 23, "E>B": 27, "E>C": 21, "E>D": 31,
    }  # fmt: skip
    p = {k[2:-1]: int(v.split(":")[0]) for k, v in result.details.items() if k.startswith("p[")}
    assert p == {
        "A>B": 28, "A>C": 28, "A>D": 30, "A>E": 24, "B>A": 25, "B>C": 28, "B>D": 33,
        "B>E": 24, "C>A": 25, "C>B": 29, "C>D": 29, "C>E": 24, "D>A": 25, "D>B": 28,
        "D>C": 28, "D>E": 24, "E>A": 25, "E>B": 28, "E>C": 28, "E>D": 31,
    }  # fmt: skip
    assert result.details["p[E>A]"] == "25:20"  # E>B>A, whose weakest link B>A is 25 to 20
    assert result.ranking == (("E",), ("A",), ("C",), ("B",), ("D",))
    assert result.elected == ("E", "A")
    assert result.tie_breaks == ()
    assert result.valid_votes == 45
    wins = {name: int(v) for name, v in result.rounds[0].votes.items()}
    assert wins == {"E": 4, "A": 3, "C": 2, "B": 1, "D": 0}


def test_opposition_decides_between_links_of_equal_support() -> None:
    # A cycle A>B, B>C, C>A with 5 supporters on each link but 3, 4 and 2 opponents: by
    # winning votes alone all three tie; section 2.1 makes B>C, the most opposed, the weakest.
    ballots = [
        Ballot(((0,), (1,), (2,)), 2),  # A > B > C
        Ballot(((1,), (0, 2)), 2),  # B > A = C
        Ballot(((2,), (0, 1)), 1),  # C > A = B
        Ballot(((2,), (0,), (1,)), 3),  # C > A > B
        Ballot(((1,), (2,), (0,)), 1),  # B > C > A
    ]
    profile = Profile.from_ballots("ABC", ballots)
    assert schulze.pairwise_matrix(profile).tolist() == [[0, 5, 2], [3, 0, 5], [5, 4, 0]]
    result = count(profile)
    assert result.details["p[A>B]"] == "5:3"
    assert result.details["p[B>A]"] == "5:4"  # through B>C, the weakest link
    assert result.details["p[C>B]"] == "5:3"
    assert result.details["p[A>C]"] == "5:4"
    assert result.ranking == (("C",), ("A",), ("B",))
    assert result.tie_breaks == ()
    assert winners_by_pref_voting(profile) == {"C"}


def test_a_cycle_of_equal_strength_ties_everyone_and_the_lot_is_recorded() -> None:
    rankings = [("A", "B", "C"), ("B", "C", "A"), ("C", "A", "B")]
    profile = Profile.from_rankings("ABC", rankings)
    result = count(profile, seed=11)
    assert result.ranking == (("A", "B", "C"),)
    assert len(result.tie_breaks) == 1
    tie = result.tie_breaks[0]
    assert (tie.tied, tie.purpose, tie.method) == (("A", "B", "C"), "election", "lot (seed 11)")
    assert result.elected == (tie.chosen,)
    assert result.seed == 11
    assert count(profile, seed=11) == result  # the same seed draws the same lot


def test_unranked_candidates_are_below_the_ranked_and_equal_among_themselves() -> None:
    profile = Profile.from_ballots("ABC", [Ballot(((1,),), 3), Ballot(((0,), (1,)), 2)])
    d = schulze.pairwise_matrix(profile)
    assert d.tolist() == [[0, 2, 2], [3, 0, 5], [0, 0, 0]]
    assert count(profile).ranking == (("B",), ("A",), ("C",))


def test_equal_rankings_count_for_neither() -> None:
    profile = Profile.from_ballots("ABC", [Ballot(((0, 1), (2,)), 4)])
    assert schulze.pairwise_matrix(profile).tolist() == [[0, 0, 4], [0, 0, 4], [0, 0, 0]]
    assert count(profile, seats=2).elected == ("A", "B")


def test_withdrawn_candidates_are_left_out() -> None:
    profile = Profile.from_ballots(
        "ABC", [Ballot(((2,), (0,), (1,)), 3), Ballot(((1,), (0,)), 2)], withdrawn={2}
    )
    result = count(profile)
    assert result.ranking == (("A",), ("B",))
    assert "d[C>A]" not in result.details
    assert set(result.rounds[0].votes) == {"A", "B"}


def test_refuses_more_seats_than_continuing_candidates() -> None:
    profile = Profile.from_rankings("AB", [("A", "B")])
    with pytest.raises(CountError, match="cannot fill 3 seats from 2"):
        count(profile, seats=3)
    with pytest.raises(CountError, match="at least one seat"):
        count(profile, seats=0)


@PROPERTY
@given(weak_profiles(withdrawals=True))
def test_pairwise_matrix_counts_what_each_ballot_says(profile: Profile) -> None:
    by_hand = pairwise_by_hand(profile)
    for c in profile.withdrawn:  # withdrawn candidates are left out of the count
        for other in range(len(profile.candidates)):
            by_hand[c][other] = by_hand[other][c] = 0
    assert schulze.pairwise_matrix(profile).tolist() == by_hand


@settings(max_examples=50, deadline=None)
@given(weak_profiles(max_ballots=12), st.integers(1, 4))
def test_pairwise_matrix_does_not_depend_on_the_chunks(profile: Profile, rows: int) -> None:
    whole = schulze.pairwise_matrix(profile)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(schulze, "CHUNK_ROWS", rows)
        assert schulze.pairwise_matrix(profile).tolist() == whole.tolist()


def test_pairwise_matrix_stays_exact_beyond_float_precision() -> None:
    heavy = 2**60 + 1  # 2**60 + 1 is not a float64; the sums run past 2**63 too
    ballots = [Ballot(((0,), (1,)), heavy), Ballot(((1,), (0,)), heavy), Ballot(((0,),), 3)]
    profile = Profile.from_ballots("ABC", ballots * 5)
    d = schulze.pairwise_matrix(profile)
    assert d.tolist() == pairwise_by_hand(profile)
    assert d[0, 2] == 10 * heavy + 15
    result = count(profile)
    assert result.ranking == (("A",), ("B",), ("C",))
    assert result.details["p[A>B]"] == f"{5 * heavy + 15}:{5 * heavy}"


@PROPERTY
@given(weak_profiles(max_candidates=6))
def test_elects_the_condorcet_winner_when_there_is_one(profile: Profile) -> None:
    d = pairwise_by_hand(profile)
    n = len(profile.candidates)
    winners = [a for a in range(n) if all(d[a][b] > d[b][a] for b in range(n) if b != a)]
    assume(winners)
    result = count(profile)
    assert result.ranking[0] == (profile.candidates[winners[0]],)
    assert result.elected == (profile.candidates[winners[0]],)


@PROPERTY
@given(weak_profiles(withdrawals=True), st.integers(0, 2**32))
def test_is_anonymous(profile: Profile, shuffle: int) -> None:
    assert count(shuffled(profile, random.Random(shuffle))) == count(profile)


@PROPERTY
@given(weak_profiles(withdrawals=True), st.randoms(use_true_random=False), st.integers(1, 3))
def test_is_neutral_up_to_recorded_lots(profile: Profile, rng: random.Random, seats: int) -> None:
    assume(seats <= len(profile.candidates) - len(profile.withdrawn))
    order = list(range(len(profile.candidates)))
    rng.shuffle(order)
    before, after = count(profile, seats), count(renamed(profile, order), seats)
    assume(not before.tie_breaks and not after.tie_breaks)
    # Candidates of one group that all get seats are elected in candidate order.
    assert set(after.elected) == set(before.elected)
    assert [set(g) for g in after.ranking] == [set(g) for g in before.ranking]
    assert dict(after.details) == dict(before.details)


@PROPERTY
@given(weak_profiles(withdrawals=True, max_candidates=4))
def test_withdrawing_a_candidate_is_counting_without_them(profile: Profile) -> None:
    assume(len(profile.withdrawn) < len(profile.candidates))
    kept = count(profile)
    dropped = count(without_withdrawn(profile))
    assert (kept.ranking, kept.details) == (dropped.ranking, dropped.details)


@PROPERTY
@given(weak_profiles(max_candidates=5))
def test_each_group_of_the_ranking_is_unbeaten_by_the_rest_and_beats_the_next(
    profile: Profile,
) -> None:
    result = count(profile)
    flat = sorted(name for group in result.ranking for name in group)
    assert flat == sorted(profile.candidates)

    def strength(a: str, b: str) -> tuple[int, int]:
        support, _, opposition = result.details[f"p[{a}>{b}]"].partition(":")
        return (int(support), -int(opposition or 0))

    def beats(a: str, b: str) -> bool:
        return a != b and strength(a, b) > strength(b, a)

    for level, group in enumerate(result.ranking):
        rest = [b for lower in result.ranking[level:] for b in lower]
        assert not any(beats(b, a) for a in group for b in rest)
        if level:
            assert all(any(beats(c, a) for c in result.ranking[level - 1]) for a in group)


@PROPERTY
@given(weak_profiles(max_candidates=5, blank=False))
def test_agrees_with_pref_voting_beat_path(profile: Profile) -> None:
    result = count(profile)
    assert set(result.ranking[0]) == winners_by_pref_voting(profile)
    if not result.tie_breaks:
        assert set(result.elected) == winners_by_pref_voting(profile)


@PROPERTY
@given(st.integers(2, 5).flatmap(lambda n: st.lists(st.permutations(range(n)), min_size=1)))
def test_agrees_with_pref_voting_on_complete_rankings_by_margin(
    rankings: list[list[int]],
) -> None:
    # With complete strict rankings, winning votes and margins give the same method.
    n = len(rankings[0])
    profile = Profile.from_rankings("ABCDE"[:n], [["ABCDE"[c] for c in r] for r in rankings])
    pv = to_pref_voting(profile)
    assert set(count(profile).ranking[0]) == {profile.candidates[c] for c in beat_path(pv)}


def test_counts_a_real_ward_as_pref_voting_does() -> None:
    profile = read_blt(elections_dir("glasgow2007") / "Calton-2007.blt")
    d = schulze.pairwise_matrix(profile)
    pv = to_pref_voting(profile)
    n = len(profile.candidates)
    by_pref_voting = [[int(pv.support(a, b)) for b in range(n)] for a in range(n)]
    assert d.tolist() == by_pref_voting
    result = count(profile, seats=3)
    assert set(result.ranking[0]) == winners_by_pref_voting(profile)
    assert result.valid_votes == profile.total_weight


def test_all_orders_of_a_tiny_profile_give_the_same_ranking() -> None:
    base = Profile.from_rankings("ABCD", [("A", "B", "C", "D"), ("B", "C", "A"), ("D", "A")])
    expected = [set(g) for g in count(base).ranking]
    for order in permutations(range(4)):
        assert [set(g) for g in count(renamed(base, order)).ranking] == expected


def test_a_large_profile_is_counted_in_chunks_as_positions_say() -> None:
    # 200,003 ballots: three full chunks of 65,536 rows and a short one.
    rng = np.random.default_rng(3)
    rows = 200_003
    prefs = np.argsort(rng.random((rows, 6)), axis=1).astype(np.int32)
    prefs[rows // 2 :, 4:] = -1  # half of them rank four candidates only
    tied = np.zeros_like(prefs, dtype=np.bool_)
    tied[::7, 1] = True  # and every seventh ranks its first two equally
    weights = rng.integers(1, 4, rows).astype(np.int64)
    d = schulze.pairwise_matrix(Profile(tuple("ABCDEF"), prefs, tied, weights))
    # Independently: each candidate's rank group on each ballot, 99 where unranked.
    level = np.cumsum(~tied, axis=1)
    position = [np.where(prefs == c, level, 99).min(axis=1) for c in range(6)]
    for a in range(6):
        for b in range(6):
            if a != b:
                assert d[a, b] == weights[position[a] < position[b]].sum()
