"""Plurality and block vote: hand-checked counts, real first preferences, and properties."""

from __future__ import annotations

import random
import re
from collections import Counter

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pref_voting.scoring_methods import plurality as pv_plurality

from frombelow.core.ballots.blt import read_blt
from frombelow.core.ballots.profile import Ballot, BallotError, Profile
from frombelow.core.counting import plurality
from frombelow.core.counting.result import Result
from frombelow.core.counting.rule import CountError, CountOptions
from tests.core.counting.weak_profiles import (
    renamed,
    shuffled,
    to_pref_voting,
    weak_profiles,
    without_withdrawn,
)
from tests.golden.droop_report import read_droop_report
from tests.shared_data import elections_dir

PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def count(profile: Profile, seats: int = 1, seed: int = 5) -> Result:
    """Count by plurality with a fixed seed."""
    return plurality.RULE.count(profile, CountOptions(seats=seats, seed=seed))


def votes(result: Result) -> dict[str, int]:
    """Return the round's totals as integers."""
    return {name: int(total) for name, total in result.rounds[0].votes.items()}


def block_votes_by_hand(profile: Profile, seats: int) -> Counter[str]:
    """Give each ballot's weight to its first `seats` continuing candidates, ballot by ballot."""
    totals: Counter[str] = Counter()
    for ballot in profile.ballots:
        kept = [c for g in ballot.ranking for c in g if c not in profile.withdrawn]
        for c in kept[:seats]:
            totals[profile.candidates[c]] += ballot.weight
    return totals


def test_the_most_first_preferences_win() -> None:
    profile = Profile.from_rankings(
        "ABC", [("A", "B"), ("B", "A"), ("C",), ("B",)], weights=[40, 35, 25, 10]
    )
    result = count(profile)
    assert votes(result) == {"A": 40, "B": 45, "C": 25}
    assert result.elected == ("B",)
    assert result.ranking == (("B",), ("A",), ("C",))
    assert result.valid_votes == 110
    assert result.tie_breaks == ()
    assert result.rounds[0].elected == ("B",)


def test_block_vote_counts_each_ballots_first_preferences_up_to_the_seats() -> None:
    profile = Profile.from_rankings(
        "ABCD", [("A", "B", "C"), ("C", "D"), ("D",)], weights=[5, 4, 3]
    )
    result = count(profile, seats=2)
    assert votes(result) == {"A": 5, "B": 5, "C": 4, "D": 7}
    assert len(result.tie_breaks) == 1  # A and B tie for the second seat
    tie = result.tie_breaks[0]
    assert (tie.tied, tie.purpose, tie.method) == (("A", "B"), "election", "lot (seed 5)")
    assert result.elected == ("D", tie.chosen)
    assert "block vote" in result.rounds[0].action


def test_a_tie_is_drawn_by_lot_reproducibly_and_each_outcome_can_come_up() -> None:
    profile = Profile.from_rankings("AB", [("A",), ("B",)])
    outcomes = {count(profile, seed=seed).elected for seed in range(40)}
    assert outcomes == {("A",), ("B",)}
    assert count(profile, seed=3) == count(profile, seed=3)
    unseeded = plurality.RULE.count(profile, CountOptions())
    assert unseeded.seed is not None
    assert plurality.RULE.count(profile, CountOptions(seed=unseeded.seed)) == unseeded


def test_withdrawn_candidates_pass_their_votes_to_the_next_preference() -> None:
    profile = Profile.from_ballots(
        "ABC", [Ballot(((0,), (1,)), 3), Ballot(((2,),), 2), Ballot(((0,),), 1)], withdrawn={0}
    )
    result = count(profile)
    assert votes(result) == {"B": 3, "C": 2}
    assert result.elected == ("B",)
    assert result.valid_votes == 5
    assert result.details["blank"] == "1"  # the ballot for A alone names no one left


def test_equal_rankings_below_the_vote_are_fine_but_a_split_vote_is_refused() -> None:
    below = Profile.from_ballots("ABC", [Ballot(((0,), (1, 2)), 2)])
    assert votes(count(below)) == {"A": 2, "B": 0, "C": 0}
    assert votes(count(below, seats=3)) == {"A": 2, "B": 2, "C": 2}
    split = Profile.from_ballots("ABC", [Ballot(((0,),), 1), Ballot(((0, 1), (2,)), 1)])
    with pytest.raises(BallotError, match="ballot 2 ranks several candidates equally first"):
        count(split)
    assert votes(count(split, seats=2)) == {"A": 2, "B": 1, "C": 0}
    with pytest.raises(BallotError, match=r"ballot 2 .* preferences 2 and 3"):
        count(Profile.from_ballots("ABC", [Ballot(((1,),), 1), Ballot(((2,), (0, 1)), 1)]), 2)


def test_refuses_seats_it_cannot_fill() -> None:
    profile = Profile.from_ballots("AB", [Ballot(((0,),), 1)], withdrawn={1})
    with pytest.raises(CountError, match="cannot fill 2 seats from 1 continuing"):
        count(profile, seats=2)
    with pytest.raises(CountError, match="at least one seat"):
        count(profile, seats=0)


def test_first_preferences_of_every_glasgow_ward_match_the_official_first_stage() -> None:
    folder = elections_dir("glasgow2007")
    wards = sorted(folder.glob("*.blt"))
    assert len(wards) == 21
    for blt in wards:
        profile = read_blt(blt)
        report = read_droop_report(blt.with_suffix(".reference.txt"))
        first_stage = report.actions[0]
        assert first_stage.kind == "Begin Count"
        result = count(profile)
        # Droop's report writes each run of spaces in a name as one space.
        ours = {re.sub("  +", " ", name): total for name, total in result.rounds[0].votes.items()}
        assert ours == first_stage.votes, blt.name
        assert result.valid_votes == report.ballots
        most = max(first_stage.votes.values())
        assert [re.sub("  +", " ", n) for n in result.elected] == [
            name for name, total in first_stage.votes.items() if total == most
        ]


@PROPERTY
@given(weak_profiles(ties=False, withdrawals=True), st.integers(1, 3))
def test_counts_what_each_ballot_says(profile: Profile, seats: int) -> None:
    assume(seats <= len(profile.candidates) - len(profile.withdrawn))
    result = count(profile, seats)
    by_hand = block_votes_by_hand(profile, seats)
    assert votes(result) == {
        name: by_hand[name]
        for c, name in enumerate(profile.candidates)
        if c not in profile.withdrawn
    }
    assert len(result.elected) == seats
    worst_elected = min(votes(result)[name] for name in result.elected)
    beaten = [n for n in votes(result) if n not in result.elected]
    assert all(votes(result)[n] <= worst_elected for n in beaten)


@PROPERTY
@given(weak_profiles(ties=False), st.integers(0, 2**32), st.integers(1, 2))
def test_is_anonymous(profile: Profile, shuffle: int, seats: int) -> None:
    assume(seats <= len(profile.candidates))
    assert count(shuffled(profile, random.Random(shuffle)), seats) == count(profile, seats)


@PROPERTY
@given(weak_profiles(ties=False), st.randoms(use_true_random=False), st.integers(1, 2))
def test_is_neutral_up_to_recorded_lots(profile: Profile, rng: random.Random, seats: int) -> None:
    assume(seats <= len(profile.candidates))
    order = list(range(len(profile.candidates)))
    rng.shuffle(order)
    before, after = count(profile, seats), count(renamed(profile, order), seats)
    assume(not before.tie_breaks and not after.tie_breaks)
    assert set(after.elected) == set(before.elected)
    assert votes(after) == votes(before)


@PROPERTY
@given(weak_profiles(ties=False, withdrawals=True))
def test_agrees_with_pref_voting(profile: Profile) -> None:
    assume(len(profile.withdrawn) < len(profile.candidates))
    result = count(profile)
    pv = to_pref_voting(without_withdrawn(profile))
    kept = without_withdrawn(profile).candidates
    assert votes(result) == {kept[c]: int(s) for c, s in pv.plurality_scores().items()}
    winners = {kept[c] for c in pv_plurality(pv)}
    assert set(result.ranking[0]) == winners
    if not result.tie_breaks:
        assert set(result.elected) == winners


def test_totals_stay_exact_beyond_float_and_int64_range() -> None:
    heavy = 2**62 + 1  # two of these overflow int64, and neither is a float64
    profile = Profile.from_ballots(
        "AB", [Ballot(((0,),), heavy), Ballot(((0,),), heavy), Ballot(((1,),), 3)]
    )
    result = count(profile)
    assert votes(result) == {"A": 2 * heavy, "B": 3}
    assert result.valid_votes == 2 * heavy + 3
    assert result.elected == ("A",)
