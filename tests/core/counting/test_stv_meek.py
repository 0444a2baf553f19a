"""Meek STV counts as the New Zealand schedule prescribes, to its 9 decimal places."""

from __future__ import annotations

import random
from decimal import ROUND_DOWN, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from frombelow.core.ballots.profile import Ballot, BallotError, Profile
from frombelow.core.counting import stv_meek
from frombelow.core.counting.result import Result, TieBreak
from frombelow.core.counting.rule import CountError, CountOptions
from tests.core.counting.strict_profiles import expand_weights, shuffled, strict_profiles

SETTINGS = settings(max_examples=120, deadline=None)
UNIT = Decimal("0.000000001")


def count(profile: Profile, seats: int, seed: int = 1) -> Result:
    return stv_meek.count(profile, CountOptions(seats=seats, seed=seed))


def votes(result: Result, number: int) -> dict[str, Decimal]:
    return dict(result.rounds[number - 1].votes)


def d(text: str) -> Decimal:
    return Decimal(text)


# -- Counted by hand --------------------------------------------------------------------------


def test_a_surplus_goes_on_at_the_keep_value_and_exhausted_votes_lower_the_quota() -> None:
    # 14 votes, 2 seats. Step 1: A 7, C 4, D 3; quota 14/3 = 4.666666666 (truncated)
    #   + 0.000000001 = 4.666666667, so A is successful (clause 6).
    # Step 2: A keeps 4.666666667 / 7 = 0.666666666714.. rounded up, 0.666666667 (clause 7);
    #   each AB ballot gives A 0.666666667 and B (1 - 0.666666667) = 0.333333333:
    #   A 4.666666669, B 2.333333331. The quota stays 4.666666667; the total surplus,
    #   0.000000002, is below 0.0001, so B, the lowest, is excluded (clause 13).
    # Step 3: A keeps (4.666666667 x 0.666666667 = 3.111111112444.., up to 3.111111113)
    #   / 4.666666669 = 0.666666667 rounded up. B's share now exhausts: 2.333333331.
    #   Quota (14 - 2.333333331) / 3 = 3.888888889666.., truncated 3.888888889, + 10^-9:
    #   3.888888890, which C's 4 votes reach (clause 12).
    profile = Profile.from_rankings("ABCD", ["AB"] * 7 + ["C"] * 4 + ["D"] * 3)
    result = count(profile, seats=2)
    assert result.elected == ("A", "C")
    assert result.quota == d("4.666666667")
    assert [(r.elected, r.excluded) for r in result.rounds] == [
        (("A",), ()),
        ((), ("B",)),
        (("C",), ()),
    ]
    assert votes(result, 2) == {
        "A": d("4.666666669"),
        "B": d("2.333333331"),
        "C": d("4"),
        "D": d("3"),
    }
    assert result.rounds[0].transfers == {}  # nothing came before the first preferences
    assert result.rounds[1].transfers["A"] == d("-2.333333331")
    assert result.rounds[2].quota == d("3.888888890")
    assert result.rounds[2].exhausted == d("2.333333331")
    assert "keep values used: A 0.666666667" in result.rounds[2].note
    assert result.tie_breaks == ()


def test_a_tie_for_exclusion_goes_to_the_candidate_behind_at_the_first_difference() -> None:
    # 13 votes, 2 seats. Step 1: A 5 of quota 4.333333334 is successful; B 4, C 3, D 1.
    # Step 2: A keeps 0.866666667, holds 4.333333335 and 0.666666665 exhausts; quota
    #   12.333333335 / 3 -> 4.111111112; D's 1 vote plus the surplus 0.222222223 is below
    #   C's 3, so D is excluded (clause 13) and DC goes to C.
    # Then B and C both hold 4 while A's surplus shrinks below 0.0001; the lowest are tied
    #   (clause 19), and at step 1, the first step where they differed, C had fewer (clause 40).
    profile = Profile.from_rankings("ABCD", ["A"] * 5 + ["B"] * 4 + ["C"] * 3 + ["DC"])
    result = count(profile, seats=2)
    assert votes(result, 2)["A"] == d("4.333333335")
    assert result.rounds[1].exhausted == d("0.666666665")
    assert result.rounds[1].quota == d("4.111111112")
    assert result.rounds[1].excluded == ("D",)
    assert result.tie_breaks == (
        TieBreak(
            3,
            "exclusion",
            ("B", "C"),
            "C",
            "votes at step 1 (ahead at first difference, clause 40)",
        ),
    )
    assert result.elected == ("A", "B")
    assert "clause 3" in result.rounds[2].note


def test_the_lot_is_drawn_only_among_those_behind_at_the_first_difference() -> None:
    # 19 votes, 2 seats: A's 7 reach the quota 6.333333334 at step 1; E (EC, ED) is excluded at
    #   step 2, giving C and D 4 each, level with B. When A's surplus is spent, B, C and D tie
    #   for last. At step 1 B had 4, C and D 3 each, and C and D never differ: one of them is
    #   drawn by lot; then B and the other tie again, and step 1 excludes the other.
    profile = Profile.from_rankings(
        "ABCDE", ["A"] * 7 + ["B"] * 4 + ["C"] * 3 + ["D"] * 3 + ["EC", "ED"]
    )
    drawn = set()
    for seed in range(12):
        result = count(profile, seats=2, seed=seed)
        assert result.elected == ("A", "B")
        first, second = result.tie_breaks
        assert first.tied == ("B", "C", "D")
        assert first.method == (
            f"votes at step 1 (ahead at first difference, clause 40), then lot (seed {seed})"
        )
        assert second.tied == tuple(sorted(("B", {"C": "D", "D": "C"}[first.chosen])))
        drawn.add(first.chosen)
    assert drawn == {"C", "D"}


def test_a_tie_no_step_separates_is_drawn_by_the_recorded_lot() -> None:
    profile = Profile.from_rankings("ABC", ["A"] * 5 + ["B"] * 3 + ["C"] * 3)
    outcomes = {count(profile, 2, seed).elected for seed in range(20)}
    assert outcomes == {("A", "B"), ("A", "C")}
    result = count(profile, 2, seed=11)
    assert result.seed == 11
    assert result.tie_breaks[0].method == "lot (seed 11)"
    assert count(profile, 2, seed=11) == result


def test_withdrawn_candidates_are_passed_over() -> None:
    # B withdrew (clause 38): BA counts for A at once, B alone exhausts. A 4, C 3 of 8 votes;
    #   quota 8/2 + 10^-9 for one seat: nobody; C is excluded, A is the one hopeful left.
    ballots = [Ballot(((1,), (0,)), 3), Ballot(((1,),), 1), Ballot(((2,),), 3), Ballot(((0,),), 1)]
    result = count(Profile.from_ballots("ABC", ballots, withdrawn={1}), seats=1)
    assert votes(result, 1) == {"A": d("4"), "B": d("0"), "C": d("3")}
    assert result.rounds[0].exhausted == d("1")
    assert result.rounds[0].quota == d("3.500000001")
    assert result.elected == ("A",)


def test_a_candidate_nobody_ranks_is_withdrawn_at_the_start() -> None:
    # Clause 20: D appears on no ballot, so is never a hopeful to be excluded; with D gone,
    #   A, B and C are the three candidates for the three seats (clause 3).
    profile = Profile.from_rankings("ABCD", ["A", "B", "C", "AB"])
    result = count(profile, seats=3)
    assert result.elected == ("A", "B", "C")
    assert len(result.rounds) == 1
    assert "D withdrawn: no ballot gives them a preference (clause 20)" in result.rounds[0].note


def test_fewer_candidates_with_votes_than_seats_leaves_seats_vacant() -> None:
    # Clause 21: the candidates with votes are elected and the rest of the seats stay empty.
    result = count(Profile.from_rankings("ABC", ["A", "AB"]), seats=3)
    assert result.elected == ("A", "B")
    assert "1 seat(s) left vacant" in result.rounds[0].note


def test_equal_rankings_are_refused() -> None:
    profile = Profile.from_ballots("AB", [Ballot(((0, 1),), 1)])
    with pytest.raises(BallotError, match="stv-meek needs strict rankings, but ballot 1"):
        count(profile, 1)


def test_a_count_needs_a_seat_and_a_candidate() -> None:
    with pytest.raises(CountError, match="at least one seat"):
        count(Profile.from_rankings("AB", ["AB"]), 0)
    everyone_withdrawn = Profile.from_ballots("AB", [Ballot(((0,),), 1)], withdrawn={0, 1})
    with pytest.raises(CountError, match="every candidate has withdrawn"):
        count(everyone_withdrawn, 1)


def test_ballots_too_heavy_to_count_exactly_are_refused() -> None:
    profile = Profile.from_ballots("AB", [Ballot(((0,),), 2**40), Ballot(((1,),), 2**40)])
    with pytest.raises(CountError, match="too large"):
        count(profile, 1)


# -- The schedule's rounding (A. Conway's ConcreteSTV test elections, nzmeek/tests) ------------


def test_rounding_gains_never_let_more_candidates_than_seats_reach_the_quota() -> None:
    # ConcreteSTV's BadRoundingElectingTooMany: clause 10 rounds every product up, so each
    # ballot gives out a little more than one vote; if that gain were not counted against vnt,
    # five candidates would reach the quota for four seats.
    profile = Profile.from_rankings(
        "ABCDEFGHIJK", [tuple("ABCDEFGHIJK")] * 10 + [tuple("BACEDFGHIJK")] * 10
    )
    result = count(profile, seats=4)
    assert len(result.elected) == 4
    assert result.elected[:3] == ("A", "B", "C")
    for stage in result.rounds:
        assert stage.loss <= 0  # votes gained by rounding up, never lost
        held = result.valid_votes - stage.exhausted - stage.loss
        assert stage.quota == (held / 5).quantize(UNIT, rounding=ROUND_DOWN) + UNIT
        assert sum(stage.votes.values()) == held


def test_a_stable_state_excludes_the_lowest_and_the_count_ends() -> None:
    # ConcreteSTV's RoundingCausesLoop: the rounding keeps the total surplus above 0.0001 for
    # ever while I and J sit level below the quota; the keep values come round again, which is
    # the stable state of clause 23, so the lowest (I or J, by lot) is excluded.
    profile = Profile.from_rankings(
        "ABCDEFGHIJ", ["ABCDEFGIJ", "BACDEFGJI"], weights=[4_000_000, 4_000_000]
    )
    result = count(profile, seats=8)
    assert result.elected[:7] == tuple("ABCDEFG")
    assert set(result.elected[7:]) <= {"I", "J"}
    last = result.rounds[-1]
    assert "stable state" in last.note
    assert "clause 23" in last.note
    assert len(last.excluded) == 1


# -- Properties -------------------------------------------------------------------------------


@SETTINGS
@given(strict_profiles(max_candidates=6), st.integers(1, 4))
def test_every_round_accounts_for_every_vote(profile: Profile, seats: int) -> None:
    result = count(profile, seats)
    for stage in result.rounds:
        assert stage.loss <= 0
        held = sum(stage.votes.values(), Decimal(0))
        assert held + stage.exhausted + stage.loss == result.valid_votes
        assert stage.quota is not None
        assert stage.quota == (held / (seats + 1)).quantize(UNIT, rounding=ROUND_DOWN) + UNIT
        for name in stage.elected:
            # Elected at the quota, or as one of the hopeful who fill the last seats.
            assert stage.votes[name] >= stage.quota or "clause 3" in stage.note


@SETTINGS
@given(strict_profiles(max_candidates=6), st.integers(1, 4))
def test_every_seat_is_filled_while_candidates_with_votes_remain(
    profile: Profile, seats: int
) -> None:
    result = count(profile, seats)
    ranked = {profile.candidates[c] for b in profile.ballots for g in b.ranking for c in g}
    assert len(result.elected) == min(seats, len(ranked))
    assert set(result.elected) <= ranked


@SETTINGS
@given(strict_profiles(max_candidates=6), st.integers(1, 4))
def test_weighted_ballots_count_as_the_same_ballots_repeated(profile: Profile, seats: int) -> None:
    assert count(expand_weights(profile), seats) == count(profile, seats)


@SETTINGS
@given(strict_profiles(max_candidates=6), st.integers(1, 4), st.randoms(use_true_random=False))
def test_the_order_of_the_ballots_changes_nothing(
    profile: Profile, seats: int, rng: random.Random
) -> None:
    assert count(shuffled(profile, rng), seats) == count(profile, seats)
