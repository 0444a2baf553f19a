"""Scottish STV counts as SSI 2007/42 rules 45 to 52 prescribe, to the fifth decimal."""

from __future__ import annotations

import random
from decimal import Decimal
from unittest.mock import patch

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pref_voting.profiles_with_ties import ProfileWithTies
from pref_voting.proportional_methods import stv_scottish as pref_voting_stv_scottish

from frombelow.core.ballots.profile import Ballot, BallotError, Profile
from frombelow.core.counting import stv_scottish
from frombelow.core.counting.result import Result, TieBreak
from frombelow.core.counting.rule import CountError, CountOptions
from tests.core.counting.strict_profiles import expand_weights, strict_profiles

SETTINGS = settings(max_examples=150, deadline=None)


def count(profile: Profile, seats: int, seed: int = 1) -> Result:
    return stv_scottish.count(profile, CountOptions(seats=seats, seed=seed))


def votes(result: Result, number: int) -> dict[str, str]:
    return {name: str(total) for name, total in result.rounds[number - 1].votes.items()}


def ballots(*rows: tuple[str, int]) -> list[str]:
    return [ranking for ranking, times in rows for _ in range(times)]


# -- Counted by hand --------------------------------------------------------------------------


def test_quota_is_valid_votes_over_seats_plus_one_ignoring_the_remainder_plus_one() -> None:
    # Rule 46: 10 votes, 2 seats: 10 / 3 = 3.33.., ignoring the decimals 3, plus one: 4.
    profile = Profile.from_rankings("ABC", ballots(("AB", 4), ("BA", 3), ("C", 3)))
    result = count(profile, 2)
    assert result.quota == Decimal("4.00000")
    assert str(result.quota) == "4.00000"
    assert result.valid_votes == 10
    assert all(stage.quota == result.quota for stage in result.rounds)


def test_each_paper_is_transferred_at_its_own_truncated_value() -> None:
    # 18 votes, 2 seats: quota 7. A has 9: surplus 2, transfer value 2/9 = 0.22222 per paper.
    # The six AB papers give B 6 x 0.22222 = 1.33332 (not 12/9 truncated, 1.33333); the three
    # A papers go nowhere: 0.66666 non-transferable; 2 - 1.33332 - 0.66666 = 0.00002 is lost.
    # Then C (5) is excluded and CB x5 gives B 5 at full value: 10.33332, past the quota.
    profile = Profile.from_rankings("ABC", ballots(("AB", 6), ("A", 3), ("B", 4), ("CB", 5)))
    result = count(profile, 2)
    assert result.quota == 7
    assert votes(result, 1) == {"A": "9.00000", "B": "4.00000", "C": "5.00000"}
    assert result.rounds[0].elected == ("A",)
    assert votes(result, 2) == {"A": "7.00000", "B": "5.33332", "C": "5.00000"}
    assert result.rounds[1].transfers == {
        "A": Decimal("-2.00000"),
        "B": Decimal("1.33332"),
        "C": Decimal("0.00000"),
    }
    assert result.rounds[1].exhausted == Decimal("0.66666")
    assert result.rounds[1].loss == Decimal("0.00002")
    assert votes(result, 3) == {"A": "7.00000", "B": "10.33332", "C": "0.00000"}
    assert result.rounds[2].excluded == ("C",)
    assert result.rounds[2].elected == ("B",)
    assert result.rounds[2].loss == Decimal("0.00002")
    assert result.elected == ("A", "B")
    assert len(result.rounds) == 3


def test_a_transferred_paper_carries_its_value_into_a_second_surplus() -> None:
    # 30 votes, 3 seats: quota 8. A 12 (surplus 4): each AB.. paper is worth 4/12 = 0.33333.
    # B gets 9 x 0.33333 = 2.99997 and reaches 7 + 2.99997 = 9.99997, surplus 1.99997; B's own
    # papers are then worth 1.99997 / 9.99997 = 0.19999 and the papers from A
    # 0.33333 x 1.99997 / 9.99997 = 0.06666 each (rule 48(3), 48(4)(b)).
    profile = Profile.from_rankings(
        "ABCD", ballots(("ABC", 9), ("AD", 3), ("BC", 7), ("C", 5), ("D", 6))
    )
    result = count(profile, 3)
    assert result.quota == 8
    assert votes(result, 2) == {"A": "8.00000", "B": "9.99997", "C": "5.00000", "D": "6.99999"}
    assert result.rounds[1].elected == ("B",)
    # C: 5 + 7 x 0.19999 + 9 x 0.06666 = 5 + 1.39993 + 0.59994.
    assert votes(result, 3) == {"A": "8.00000", "B": "8.00000", "C": "6.99987", "D": "6.99999"}
    # Lost: 4 - 12 x 0.33333 = 0.00004 at A's transfer, 1.99997 - 1.99987 = 0.0001 at B's.
    assert result.rounds[2].loss == Decimal("0.00014")
    for stage in result.rounds:
        assert sum(stage.votes.values()) + stage.exhausted + stage.loss == 30


def test_a_candidate_with_exactly_the_quota_has_no_surplus_to_transfer() -> None:
    # 12 votes, 2 seats: quota 5. A has exactly 5: elected, nothing to transfer, so the next
    # stage excludes C, whose CB papers elect B.
    profile = Profile.from_rankings("ABC", ballots(("AB", 5), ("B", 4), ("CB", 3)))
    result = count(profile, 2)
    assert result.rounds[0].elected == ("A",)
    assert [stage.action for stage in result.rounds] == [
        "count first preferences",
        "exclude C and transfer their ballot papers",
    ]
    assert votes(result, 2) == {"A": "5.00000", "B": "7.00000", "C": "0.00000"}
    assert result.rounds[1].loss == 0


def test_the_largest_surplus_goes_first() -> None:
    # 20 votes, 3 seats: quota 6. B 8 (surplus 2) before A 7 (surplus 1).
    profile = Profile.from_rankings("ABCD", ballots(("AC", 7), ("BD", 8), ("C", 3), ("D", 2)))
    result = count(profile, 3)
    assert result.rounds[0].elected == ("B", "A")
    assert result.rounds[1].action == "transfer the surplus of B"
    assert result.rounds[2].action == "transfer the surplus of A"


def test_the_last_vacancies_go_to_the_continuing_candidates_without_transfer() -> None:
    # 10 votes, 2 seats: quota 4. A 6: surplus 2 at 2/6 = 0.33333 a paper gives B 1.66665.
    # Rule 52: after C (2) is excluded, B is the only continuing candidate for the one seat
    # left; B is elected with 3.66665 votes, short of the quota, and nothing more is transferred.
    profile = Profile.from_rankings("ABC", ballots(("AB", 5), ("A", 1), ("B", 2), ("C", 2)))
    result = count(profile, 2)
    assert result.quota == 4
    assert [stage.excluded for stage in result.rounds] == [(), (), ("C",), ()]
    assert votes(result, 4)["B"] == "3.66665"
    assert result.elected == ("A", "B")
    last = result.rounds[-1]
    assert last.action == "elect the remaining candidates"
    assert last.elected == ("B",)
    assert "rule 52" in last.note
    assert all(change == 0 for change in last.transfers.values())


def test_a_count_stops_transferring_when_the_seats_are_filled() -> None:
    # A and B both reach the quota at once and fill both seats: their surpluses stay put.
    profile = Profile.from_rankings("ABC", ballots(("AC", 5), ("BC", 5), ("C", 1)))
    result = count(profile, 2)
    assert result.elected == ("A", "B")
    assert len(result.rounds) == 1
    assert result.rounds[0].note == "A, B reached the quota"


# -- Ties (rules 49(2), 49(3), 51) ------------------------------------------------------------


def test_an_exclusion_tie_goes_by_the_most_recent_stage_at_which_they_differed() -> None:
    # Valid 28, 1 seat, quota 15; nobody reaches it.
    # Stage 1: A 12, B 6, C 5, E 3, D 2. D excluded; DC x2 to C.
    # Stage 2: A 12, B 6, C 7, E 3. E excluded; EB to B, E x2 non-transferable.
    # Stage 3: A 12, B 7, C 7. B and C tie. At stage 2 B had fewer (6 to 7): B is excluded,
    # although at stage 1 C had fewer (5 to 6).
    profile = Profile.from_rankings(
        "ABCDE",
        ballots(("A", 12), ("B", 6), ("C", 5), ("DC", 2), ("EB", 1), ("E", 2)),
    )
    result = count(profile, 1)
    assert [stage.excluded for stage in result.rounds] == [(), ("D",), ("E",), ("B",), ("C",), ()]
    assert result.tie_breaks == (TieBreak(4, "exclusion", ("B", "C"), "B", "totals at stage 2"),)
    assert result.elected == ("A",)


def test_a_tie_at_every_stage_is_drawn_by_lot_from_the_recorded_seed() -> None:
    # A and B have 2 votes each from the first stage on: the lot excludes one of them.
    profile = Profile.from_rankings("ABC", ballots(("A", 2), ("B", 2), ("C", 3)))
    excluded = set()
    for seed in range(12):
        result = count(profile, 1, seed=seed)
        (tie,) = result.tie_breaks
        assert tie.tied == ("A", "B")
        assert tie.purpose == "exclusion"
        assert tie.method == f"lot (seed {seed})"
        assert result.seed == seed
        assert result.rounds[1].excluded == (tie.chosen,)
        assert count(profile, 1, seed=seed) == result  # the seed redraws the same lot
        excluded.add(tie.chosen)
    assert excluded == {"A", "B"}


def test_equal_surpluses_with_no_earlier_difference_are_ordered_by_lot() -> None:
    # 12 votes, 3 seats, quota 4: A and B have 5 each at the only stage so far.
    profile = Profile.from_rankings("ABCD", ballots(("AC", 5), ("BD", 5), ("C", 1), ("D", 1)))
    result = count(profile, 3, seed=5)
    tie = result.tie_breaks[0]
    assert tie.round == 2
    assert tie.purpose == "surplus order"
    assert tie.tied == ("A", "B")
    assert tie.method == "lot (seed 5)"
    assert result.rounds[1].action == f"transfer the surplus of {tie.chosen}"


def test_a_tie_of_three_is_narrowed_stage_by_stage_before_the_lot() -> None:
    # Valid 36, 1 seat, quota 19.
    # Stage 1: A 15, B 5, C 5, D 5, E 4, F 2. F excluded: FD x2 to D.
    # Stage 2: B 5, C 5, D 7, E 4. E excluded: EB x2 to B, EC x2 to C.
    # Stage 3: B 7, C 7, D 7 tie. Stage 2 keeps the lowest, B and C (5 to D's 7); stage 1 has
    # them equal too, so the lot draws between B and C only, never D.
    profile = Profile.from_rankings(
        "ABCDEF",
        ballots(("A", 15), ("B", 5), ("C", 5), ("D", 5), ("EB", 2), ("EC", 2), ("FD", 2)),
    )
    for seed in range(8):
        result = count(profile, 1, seed=seed)
        assert votes(result, 3) == {
            "A": "15.00000",
            "B": "7.00000",
            "C": "7.00000",
            "D": "7.00000",
            "E": "0.00000",
            "F": "0.00000",
        }
        tie = result.tie_breaks[0]
        assert tie.round == 4
        assert tie.tied == ("B", "C", "D")
        assert tie.chosen in {"B", "C"}
        assert tie.method == f"totals at stage 2, then lot (seed {seed})"


# -- Withdrawn candidates, weights, equal rankings -------------------------------------------


def test_withdrawn_candidates_are_passed_over_as_if_not_on_the_paper() -> None:
    # W withdrew: WA counts for A at once, at full value; a paper naming only W is not valid.
    base = Profile.from_rankings("AWBC", ballots(("WA", 4), ("AB", 2), ("B", 4), ("W", 3)))
    profile = Profile(
        base.candidates, base.prefs, base.tied, base.weights, frozenset({1}), None, ""
    )
    result = count(profile, 1)
    assert result.valid_votes == 10
    assert result.quota == 6
    assert votes(result, 1) == {"A": "6.00000", "W": "0.00000", "B": "4.00000", "C": "0.00000"}
    assert result.elected == ("A",)
    assert all(stage.votes["W"] == 0 for stage in result.rounds)
    assert "W" not in {name for stage in result.rounds for name in stage.excluded}


@SETTINGS
@given(profile=strict_profiles(max_candidates=6), seats=st.integers(1, 3), data=st.data())
def test_a_withdrawn_candidate_counts_as_if_struck_from_every_paper(
    profile: Profile, seats: int, data: st.DataObject
) -> None:
    gone = data.draw(st.integers(0, len(profile.candidates) - 1))
    withdrawn = Profile(
        profile.candidates,
        profile.prefs,
        profile.tied,
        profile.weights,
        frozenset({gone}),
        None,
        "",
    )
    struck = Profile.from_ballots(
        [name for c, name in enumerate(profile.candidates) if c != gone],
        [
            Ballot(tuple((c - (c > gone),) for (c,) in b.ranking if c != gone), b.weight)
            for b in profile.ballots
            if any(c != gone for (c,) in b.ranking)
        ],
    )
    ours = count(withdrawn, seats)
    theirs = count(struck, seats)
    assert ours.elected == theirs.elected
    assert ours.quota == theirs.quota
    assert ours.valid_votes == theirs.valid_votes
    assert len(ours.rounds) == len(theirs.rounds)
    name = profile.candidates[gone]
    for mine, other in zip(ours.rounds, theirs.rounds, strict=True):
        assert {k: v for k, v in mine.votes.items() if k != name} == dict(other.votes)
        assert (mine.exhausted, mine.loss) == (other.exhausted, other.loss)


def test_a_ballot_of_weight_300_counts_as_300_papers() -> None:
    heavy = Profile.from_ballots(
        "ABCD", [Ballot(((0,), (2,)), 300), Ballot(((1,), (3,)), 151), Ballot(((2,),), 80)]
    )
    result = count(heavy, 2)
    assert result == count(expand_weights(heavy), 2)
    # 531 votes, quota 178: A's surplus 122 goes at 122/300 = 0.40666 a paper.
    assert result.rounds[1].votes["C"] == Decimal("80") + 300 * Decimal("0.40666")


@SETTINGS
@given(profile=strict_profiles(max_candidates=5, max_ballots=8), seats=st.integers(1, 3))
def test_a_ballot_of_weight_w_counts_as_w_identical_papers(profile: Profile, seats: int) -> None:
    assert count(profile, seats) == count(expand_weights(profile), seats)


def test_equal_rankings_are_refused() -> None:
    profile = Profile.from_ballots("ABC", [Ballot(((0,), (1, 2)), 1), Ballot(((2,),), 1)])
    with pytest.raises(BallotError, match=r"stv-scottish needs strict rankings.*ballot 1 "):
        count(profile, 1)


def test_a_count_needs_a_seat_and_a_candidate() -> None:
    profile = Profile.from_rankings("AB", ["AB", "B"])
    with pytest.raises(CountError, match="at least one seat"):
        count(profile, 0)
    everyone_withdrawn = Profile(
        profile.candidates, profile.prefs, profile.tied, profile.weights, frozenset({0, 1})
    )
    with pytest.raises(CountError, match="every candidate has withdrawn"):
        count(everyone_withdrawn, 1)


def test_fewer_candidates_than_seats_are_all_elected() -> None:
    result = count(Profile.from_rankings("AB", ["AB", "B", "B"]), 3)
    assert set(result.elected) == {"A", "B"}


@SETTINGS
@given(profile=strict_profiles(max_candidates=6), seats=st.integers(1, 3))
def test_elects_whom_pref_voting_stv_scottish_elects(profile: Profile, seats: int) -> None:
    # pref_voting counts the same rules in floating point; where we broke no tie, the elected
    # must be the same (it returns them sorted).
    result = count(profile, seats)
    if result.tie_breaks:
        return
    rows = list(profile.ballots)
    theirs = ProfileWithTies(
        [{c: rank for rank, c in enumerate(b.strict_ranking(), start=1)} for b in rows],
        rcounts=[b.weight for b in rows],
        candidates=list(range(len(profile.candidates))),
    )
    elected = pref_voting_stv_scottish(theirs, num_seats=seats, rng=random.Random(1))
    assert sorted(elected) == sorted(profile.candidates.index(name) for name in result.elected)


# -- Exact arithmetic for any weight -----------------------------------------------------------


def test_weights_too_large_for_int64_products_count_exactly() -> None:
    # 10^12 papers: a value (10^5) times a surplus (up to 10^17) passes int64, so the count
    # switches to Python integers; the totals stay exact and every vote is accounted for.
    big = 10**12
    profile = Profile.from_ballots(
        "ABCD",
        [
            Ballot(((0,), (1,)), 5 * big + 3),
            Ballot(((1,), (2,)), 2 * big),
            Ballot(((2,),), 2 * big + 1),
            Ballot(((3,), (0,)), big),
        ],
    )
    result = count(profile, 2)
    assert result.valid_votes == 10 * big + 4
    for stage in result.rounds:
        assert sum(stage.votes.values()) + stage.exhausted + stage.loss == result.valid_votes
    assert result.rounds[1].loss > 0


@SETTINGS
@given(profile=strict_profiles(max_candidates=6), seats=st.integers(1, 3))
def test_python_integers_count_as_int64_does(profile: Profile, seats: int) -> None:
    fast = count(profile, seats)
    with patch.object(stv_scottish, "_INT64_MAX", 0):  # every count takes the exact path
        exact = count(profile, seats)
    assert exact == fast


# -- Properties of every count -----------------------------------------------------------------


@SETTINGS
@given(profile=strict_profiles(max_candidates=7), seats=st.integers(1, 4))
def test_every_stage_accounts_for_every_valid_vote(profile: Profile, seats: int) -> None:
    result = count(profile, seats)
    valid = profile.total_weight
    assert result.valid_votes == valid
    assert result.quota == valid // (seats + 1) + 1
    assert len(result.elected) == min(seats, len(profile.candidates))
    exhausted, loss = Decimal(0), Decimal(0)
    for number, stage in enumerate(result.rounds, start=1):
        assert stage.number == number
        assert sum(stage.votes.values()) + stage.exhausted + stage.loss == valid
        assert stage.exhausted >= exhausted
        assert stage.loss >= loss
        assert all(total.as_tuple().exponent == -5 for total in stage.votes.values())
        exhausted, loss = stage.exhausted, stage.loss
    reached = [name for stage in result.rounds[:-1] for name in stage.elected]
    assert all(
        any(stage.votes[name] >= result.quota for stage in result.rounds) for name in reached
    )


def test_counts_a_large_profile_by_rows() -> None:
    rng = np.random.default_rng(7)
    order = np.argsort(rng.random((5000, 8)) + np.linspace(0, 1.5, 8), axis=1)
    lengths = rng.integers(1, 9, 5000)
    rankings = [
        tuple("ABCDEFGH"[c] for c in row[:k]) for row, k in zip(order, lengths, strict=True)
    ]
    profile = Profile.from_rankings("ABCDEFGH", rankings)
    result = count(profile, 4)
    assert len(result.elected) == 4
    for stage in result.rounds:
        assert sum(stage.votes.values()) + stage.exhausted + stage.loss == 5000
