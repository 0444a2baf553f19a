"""A profile holds candidates and weighted ballots, refusing what cannot be counted."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from frombelow.core.ballots.profile import NO_PREFERENCE, Ballot, BallotError, Profile

CANDIDATES = ("Ada", "Bea", "Cy")


def test_identical_rankings_are_aggregated_with_their_weights() -> None:
    profile = Profile.from_rankings(CANDIDATES, [("Ada", "Bea"), ("Cy",), ("Ada", "Bea")])
    assert profile.total_weight == 3
    assert sorted((b.ranking, b.weight) for b in profile.ballots) == [
        (((0,), (1,)), 2),
        (((2,),), 1),
    ]


def test_explicit_weights_add_up_per_ranking() -> None:
    profile = Profile.from_rankings(
        CANDIDATES, [("Bea",), ("Bea",), ("Cy", "Ada")], weights=[300, 20, 5]
    )
    assert {b.ranking: b.weight for b in profile.ballots} == {((1,),): 320, ((2,), (0,)): 5}


def test_an_unknown_name_is_refused_by_name() -> None:
    with pytest.raises(BallotError, match="'Dee', not a candidate"):
        Profile.from_rankings(CANDIDATES, [("Ada", "Dee")])


def test_a_candidate_ranked_twice_is_refused() -> None:
    with pytest.raises(BallotError, match="twice"):
        Profile.from_rankings(CANDIDATES, [("Ada", "Bea", "Ada")])


def test_equal_rankings_survive_as_rank_groups() -> None:
    ballot = Ballot(((2,), (0, 1)), 4)
    profile = Profile.from_ballots(CANDIDATES, [ballot])
    assert list(profile.ballots) == [ballot]
    assert not profile.is_strict
    with pytest.raises(BallotError, match="ballot 1 ranks candidates equally"):
        profile.require_strict("stv-scottish")


def test_a_gap_in_the_preferences_is_refused() -> None:
    prefs = np.array([[0, NO_PREFERENCE, 1]], dtype=np.int32)
    with pytest.raises(BallotError, match="skips a preference"):
        Profile(CANDIDATES, prefs, np.zeros_like(prefs, dtype=bool), np.array([1]))


def test_negative_weight_and_unknown_withdrawn_candidate_are_refused() -> None:
    with pytest.raises(BallotError, match="negative weight"):
        Profile.from_ballots(CANDIDATES, [Ballot(((0,),), -1)])
    with pytest.raises(BallotError, match="withdrawn candidate 5"):
        Profile.from_ballots(CANDIDATES, [Ballot(((0,),), 1)], withdrawn=[4])


def test_duplicate_candidate_names_are_refused() -> None:
    with pytest.raises(BallotError, match="same name"):
        Profile.from_rankings(("Ada", "Ada"), [])


def test_strict_ranking_refuses_equal_ranks() -> None:
    assert Ballot(((1,), (0,))).strict_ranking() == (1, 0)
    with pytest.raises(BallotError):
        Ballot(((1, 0),)).strict_ranking()


rankings = st.lists(
    st.permutations(range(4)).flatmap(lambda p: st.integers(1, 4).map(lambda k: tuple(p[:k]))),
    max_size=30,
)


@given(rankings)
def test_from_rankings_keeps_every_ballot(raw: list[tuple[int, ...]]) -> None:
    names = ("a", "b", "c", "d")
    profile = Profile.from_rankings(names, [tuple(names[i] for i in r) for r in raw])
    assert profile.total_weight == len(raw)
    expanded = sorted(b.strict_ranking() for b in profile.ballots for _ in range(b.weight))
    assert expanded == sorted(raw)


def test_rankings_as_tuples_lists_or_a_mix_make_the_same_profile() -> None:
    as_tuples = [("a", "b"), ("b",), ("a", "b"), ("c", "a", "b")]
    built = [
        Profile.from_rankings(["a", "b", "c"], rankings)
        for rankings in (
            as_tuples,
            [list(r) for r in as_tuples],
            [as_tuples[0], ["b"], as_tuples[2], ["c", "a", "b"]],
            iter(as_tuples),
        )
    ]

    def rows(profile: Profile) -> list[tuple[tuple[int, ...], int]]:
        prefs, weights = profile.prefs.tolist(), profile.weights.tolist()
        return sorted(zip(map(tuple, prefs), weights, strict=True))

    for profile in built:
        assert rows(profile) == rows(built[0])
        assert profile.total_weight == 4
