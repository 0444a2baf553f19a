"""Instant runoff elects the candidate a majority of the continuing votes prefers."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pref_voting.iterative_methods import (
    instant_runoff_for_truncated_linear_orders,
    instant_runoff_put,
)
from pref_voting.profiles import Profile as PrefVotingProfile
from pref_voting.profiles_with_ties import ProfileWithTies

from frombelow.core.ballots.profile import Ballot, BallotError, Profile
from frombelow.core.counting import irv, stv_meek, stv_scottish
from frombelow.core.counting.result import Result, TieBreak
from frombelow.core.counting.rule import CountError, CountOptions, Rule
from tests.core.counting.strict_profiles import expand_weights, shuffled, strict_profiles

SETTINGS = settings(max_examples=150, deadline=None)


def count(profile: Profile, seed: int = 1) -> Result:
    return irv.count(profile, CountOptions(seats=1, seed=seed))


def votes(result: Result, number: int) -> dict[str, int]:
    return {name: int(total) for name, total in result.rounds[number - 1].votes.items()}


# -- Counted by hand --------------------------------------------------------------------------


def test_a_majority_of_first_preferences_elects_at_once() -> None:
    # A 5, B 3, C 1: 5 of 9 is more than half.
    profile = Profile.from_rankings("ABC", ["AB"] * 5 + ["BA"] * 3 + ["C"])
    result = count(profile)
    assert result.elected == ("A",)
    assert len(result.rounds) == 1
    assert votes(result, 1) == {"A": 5, "B": 3, "C": 1}
    assert result.rounds[0].elected == ("A",)
    assert result.valid_votes == Decimal(9)


def test_the_lowest_are_excluded_until_a_majority_of_continuing_votes() -> None:
    # Round 1: A 4, B 3, C 2, D 3 (12 votes, 7 needed): nobody.
    # Round 2: C excluded; CB x2 go to B: A 4, B 5, D 3.
    # Round 3: D excluded; D x2 exhaust, DC passes C (excluded) and exhausts: A 4, B 5,
    #   exhausted 3; B has 5 of the 9 continuing votes, more than half, though not of all 12.
    profile = Profile.from_rankings(
        "ABCD", ["ABC"] * 4 + ["BCA"] * 3 + ["CB"] * 2 + ["D"] * 2 + ["DC"]
    )
    result = count(profile)
    assert result.elected == ("B",)
    assert [r.excluded for r in result.rounds] == [(), ("C",), ("D",)]
    assert votes(result, 2) == {"A": 4, "B": 5, "C": 0, "D": 3}
    assert votes(result, 3) == {"A": 4, "B": 5, "C": 0, "D": 0}
    assert result.rounds[2].exhausted == Decimal(3)
    assert result.rounds[1].transfers == {
        "A": Decimal(0),
        "B": Decimal(2),
        "C": Decimal(-2),
        "D": Decimal(0),
    }
    assert result.rounds[2].elected == ("B",)
    assert result.tie_breaks == ()


def test_ties_go_to_the_earliest_round_that_separates_the_candidates() -> None:
    # Round 1: A 6, B 4, C 3, D 2 (15 votes): D excluded, DC to C, DA to A.
    # Round 2: A 7, B 4, C 4: B and C tie for last; at round 1 C had fewer, so C goes.
    # Round 3: CB x3 go to B, DC exhausts: A 7, B 7. The last two are level; at round 1
    #   A had more, so A is elected.
    profile = Profile.from_rankings("ABCD", ["A"] * 6 + ["B"] * 4 + ["CB"] * 3 + ["DC", "DA"])
    result = count(profile)
    assert result.elected == ("A",)
    assert votes(result, 2) == {"A": 7, "B": 4, "C": 4, "D": 0}
    assert votes(result, 3) == {"A": 7, "B": 7, "C": 0, "D": 0}
    assert result.tie_breaks == (
        TieBreak(3, "exclusion", ("B", "C"), "C", "totals at round 1"),
        TieBreak(3, "election", ("A", "B"), "A", "totals at round 1"),
    )


def test_later_rounds_narrow_a_tie_the_earliest_round_leaves_open() -> None:
    # Round 1: A 12, B 4, C 3, D 3, F 2, E 1 (25 votes): E excluded, EC to C.
    # Round 2: A 12, B 4, C 4, D 3, F 2: F excluded, FD to D, F alone exhausts.
    # Round 3: A 12, B 4, C 4, D 4; A's 12 of 24 continuing is not more than half.
    # Round 4: B, C and D tie for last. Round 1 puts C and D behind B (3 to 4); round 2 puts
    #   D behind C (3 to 4): D is excluded. Then A has 12 of the 20 continuing votes.
    profile = Profile.from_rankings(
        "ABCDEF", ["A"] * 12 + ["B"] * 4 + ["C"] * 3 + ["D"] * 3 + ["EC", "FD", "F"]
    )
    result = count(profile)
    assert [r.excluded for r in result.rounds] == [(), ("E",), ("F",), ("D",)]
    assert votes(result, 3) == {"A": 12, "B": 4, "C": 4, "D": 4, "E": 0, "F": 0}
    assert result.tie_breaks == (
        TieBreak(4, "exclusion", ("B", "C", "D"), "D", "totals at round 1, then totals at round 2"),
    )
    assert result.elected == ("A",)


def test_a_tie_that_no_round_separates_is_drawn_by_the_recorded_lot() -> None:
    profile = Profile.from_rankings("AB", ["A", "B"])
    winners = {count(profile, seed).elected for seed in range(20)}
    assert winners == {("A",), ("B",)}
    result = count(profile, 7)
    assert result.seed == 7
    assert result.tie_breaks[0].method == "lot (seed 7)"
    assert count(profile, 7) == result


def test_withdrawn_candidates_are_passed_over() -> None:
    # B withdrew: BA x3 count for A, B x1 exhausts: A 4, C 3.
    ballots = [Ballot(((1,), (0,)), 3), Ballot(((1,),), 1), Ballot(((2,),), 3), Ballot(((0,),), 1)]
    profile = Profile.from_ballots("ABC", ballots, withdrawn={1})
    result = count(profile)
    assert result.elected == ("A",)
    assert votes(result, 1) == {"A": 4, "B": 0, "C": 3}
    assert result.rounds[0].exhausted == Decimal(1)


def test_equal_rankings_are_refused() -> None:
    profile = Profile.from_ballots("AB", [Ballot(((0, 1),), 1)])
    with pytest.raises(BallotError, match="irv needs strict rankings, but ballot 1"):
        count(profile)


def test_irv_fills_one_seat_only() -> None:
    profile = Profile.from_rankings("AB", ["AB"])
    with pytest.raises(CountError, match="one seat, but 2 seats"):
        irv.count(profile, CountOptions(seats=2))


def test_a_count_with_every_candidate_withdrawn_is_refused() -> None:
    profile = Profile.from_ballots("AB", [Ballot(((0,),), 1)], withdrawn={0, 1})
    with pytest.raises(CountError, match="every candidate has withdrawn"):
        count(profile)


def test_ballots_too_heavy_to_sum_exactly_are_refused() -> None:
    profile = Profile.from_ballots("AB", [Ballot(((0,),), 2**62)])
    with pytest.raises(CountError, match="too large"):
        count(profile)


def test_heavy_weights_are_summed_exactly() -> None:
    # Beyond 2**53 a float sum would lose the single vote that decides this count.
    heavy = 2**54
    profile = Profile.from_ballots("AB", [Ballot(((0,),), heavy + 1), Ballot(((1,),), heavy)])
    result = count(profile)
    assert result.elected == ("A",)
    assert votes(result, 1) == {"A": heavy + 1, "B": heavy}


# -- Properties -------------------------------------------------------------------------------


@SETTINGS
@given(strict_profiles())
def test_every_round_accounts_for_every_vote(profile: Profile) -> None:
    result = count(profile)
    for stage in result.rounds:
        assert sum(stage.votes.values()) + stage.exhausted == profile.total_weight
    assert len(result.elected) == 1


@SETTINGS
@given(strict_profiles())
def test_weighted_ballots_count_as_the_same_ballots_repeated(profile: Profile) -> None:
    assert count(expand_weights(profile)) == count(profile)


@SETTINGS
@given(strict_profiles(), st.randoms(use_true_random=False))
def test_the_order_of_the_ballots_changes_nothing(profile: Profile, rng: random.Random) -> None:
    assert count(shuffled(profile, rng)) == count(profile)


@settings(max_examples=80, deadline=None)  # pref_voting's parallel universes are slow
@given(strict_profiles(complete=True, max_candidates=4, min_ballots=6))
def test_agrees_with_pref_voting_on_complete_rankings(profile: Profile) -> None:
    ballots = list(profile.ballots)
    theirs = PrefVotingProfile(
        [b.strict_ranking() for b in ballots], rcounts=[b.weight for b in ballots]
    )
    # Every tie-breaking order gives one of pref_voting's parallel-universe winners ...
    winners = [profile.candidates[c] for c in instant_runoff_put(theirs)]
    result = count(profile)
    assert result.elected[0] in winners
    # ... and with no tie to break there is one universe and one winner.
    if not result.tie_breaks:
        assert winners == list(result.elected)


@SETTINGS
@given(strict_profiles(min_ballots=6))
def test_agrees_with_pref_voting_on_truncated_rankings(profile: Profile) -> None:
    ballots = list(profile.ballots)
    theirs = ProfileWithTies(
        [{c: rank for rank, c in enumerate(b.strict_ranking(), start=1)} for b in ballots],
        rcounts=[b.weight for b in ballots],
        candidates=list(range(len(profile.candidates))),
    )
    result = count(profile)
    if not result.tie_breaks:
        winners = instant_runoff_for_truncated_linear_orders(theirs)
        assert [profile.candidates[c] for c in winners] == list(result.elected)


@SETTINGS
@pytest.mark.parametrize("rule", [stv_scottish.RULE, stv_meek.RULE], ids=lambda rule: rule.name)
@given(profile=strict_profiles(min_ballots=6))
def test_elects_whom_single_seat_stv_elects(rule: Rule, profile: Profile) -> None:
    ours = count(profile)
    theirs = rule.count(profile, CountOptions(seats=1, seed=1))
    if not ours.tie_breaks and not theirs.tie_breaks:
        assert theirs.elected == ours.elected
