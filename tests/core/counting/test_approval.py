"""Approval voting: hand-checked counts, a real ward, and properties against pref_voting."""

from __future__ import annotations

import random
from collections import Counter

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pref_voting.grade_methods import approval as pv_approval

from frombelow.core.ballots.blt import read_blt
from frombelow.core.ballots.profile import Ballot, Profile
from frombelow.core.counting import approval
from frombelow.core.counting.result import Result
from frombelow.core.counting.rule import CountError, CountOptions
from tests.core.counting.weak_profiles import (
    renamed,
    shuffled,
    to_grade_profile,
    weak_profiles,
    without_withdrawn,
)
from tests.shared_data import elections_dir

PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def count(profile: Profile, seats: int = 1, seed: int = 5) -> Result:
    """Count by approval with a fixed seed."""
    return approval.RULE.count(profile, CountOptions(seats=seats, seed=seed))


def approvals(result: Result) -> dict[str, int]:
    """Return the round's totals as integers."""
    return {name: int(total) for name, total in result.rounds[0].votes.items()}


def test_every_ranked_candidate_is_approved_whatever_the_order_or_rank_groups() -> None:
    ballots = [
        Ballot(((0,), (1,)), 3),  # A then B: approves both
        Ballot(((2, 1),), 2),  # C = B
        Ballot(((3,), (2,), (0,)), 1),
        Ballot((), 4),  # blank
    ]
    result = count(Profile.from_ballots("ABCD", ballots), seats=2)
    assert approvals(result) == {"A": 4, "B": 5, "C": 3, "D": 1}
    assert result.ranking == (("B",), ("A",), ("C",), ("D",))
    assert result.elected == ("B", "A")
    assert result.valid_votes == 6
    assert result.details["blank"] == "4"


def test_the_ranking_keeps_ties_and_the_lot_breaks_the_one_for_the_last_seat() -> None:
    profile = Profile.from_ballots(
        "ABCD", [Ballot(((0, 1, 2),), 2), Ballot(((0,),), 1), Ballot(((3,),), 2)]
    )
    result = count(profile, seats=2, seed=9)
    assert result.ranking == (("A",), ("B", "C", "D"))
    assert result.elected[0] == "A"
    assert len(result.tie_breaks) == 1
    tie = result.tie_breaks[0]
    assert tie.tied == ("B", "C", "D")
    assert tie.method == "lot (seed 9)"
    assert result.elected == ("A", tie.chosen)
    assert "broken by lot" in result.rounds[0].note
    assert {count(profile, seats=2, seed=s).elected[1] for s in range(60)} == {"B", "C", "D"}


def test_withdrawn_candidates_get_no_approvals() -> None:
    profile = Profile.from_ballots("ABC", [Ballot(((0, 1),), 3), Ballot(((0,),), 1)], withdrawn={0})
    result = count(profile)
    assert approvals(result) == {"B": 3, "C": 0}
    assert result.valid_votes == 3
    assert result.ranking == (("B",), ("C",))


def test_refuses_seats_it_cannot_fill() -> None:
    profile = Profile.from_ballots("AB", [Ballot(((0,),), 1)])
    with pytest.raises(CountError, match="cannot fill 3 seats from 2"):
        count(profile, seats=3)


def test_a_real_ward_approves_everyone_a_ballot_names() -> None:
    profile = read_blt(elections_dir("glasgow2007") / "Calton-2007.blt")
    result = count(profile, seats=3)
    named: Counter[str] = Counter()
    for ballot in profile.ballots:
        for group in ballot.ranking:
            for c in group:
                named[profile.candidates[c]] += ballot.weight
    assert approvals(result) == dict(named)
    assert result.valid_votes == profile.total_weight
    winners = {profile.candidates[c] for c in pv_approval(to_grade_profile(profile))}
    assert set(result.ranking[0]) == winners
    assert result.elected[0] in winners


@PROPERTY
@given(weak_profiles(withdrawals=True))
def test_agrees_with_pref_voting(profile: Profile) -> None:
    assume(len(profile.withdrawn) < len(profile.candidates))
    result = count(profile)
    kept = without_withdrawn(profile)
    grades = to_grade_profile(kept)
    scores = {kept.candidates[c]: int(s or 0) for c, s in grades.approval_scores().items()}
    assert approvals(result) == scores
    winners = {kept.candidates[c] for c in pv_approval(grades)}
    assert set(result.ranking[0]) == winners
    if not result.tie_breaks:
        assert set(result.elected) == winners


@PROPERTY
@given(weak_profiles(), st.integers(1, 3))
def test_elects_the_most_approved(profile: Profile, seats: int) -> None:
    assume(seats <= len(profile.candidates))
    result = count(profile, seats)
    scores = approvals(result)
    assert len(result.elected) == seats
    lowest_elected = min(scores[name] for name in result.elected)
    assert all(scores[name] <= lowest_elected for name in scores if name not in result.elected)
    assert [scores[g[0]] for g in result.ranking] == sorted(set(scores.values()), reverse=True)


@PROPERTY
@given(weak_profiles(withdrawals=True), st.integers(0, 2**32), st.integers(1, 2))
def test_is_anonymous(profile: Profile, shuffle: int, seats: int) -> None:
    assume(seats <= len(profile.candidates) - len(profile.withdrawn))
    assert count(shuffled(profile, random.Random(shuffle)), seats) == count(profile, seats)


@PROPERTY
@given(weak_profiles(), st.randoms(use_true_random=False), st.integers(1, 2))
def test_is_neutral_up_to_recorded_lots(profile: Profile, rng: random.Random, seats: int) -> None:
    assume(seats <= len(profile.candidates))
    order = list(range(len(profile.candidates)))
    rng.shuffle(order)
    before, after = count(profile, seats), count(renamed(profile, order), seats)
    assume(not before.tie_breaks and not after.tie_breaks)
    assert set(after.elected) == set(before.elected)
    assert approvals(after) == approvals(before)
    assert [set(g) for g in after.ranking] == [set(g) for g in before.ranking]
