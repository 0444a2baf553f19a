"""Every rule in the registry is anonymous and neutral, up to its recorded tie-breaks.

Anonymity: the order in which ballots arrive changes nothing. Neutrality: listing the candidates
in another order (so that every index changes, while each name keeps its ballots) elects the same
people, unless a tie had to be broken, in which case the tie-break is recorded.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from frombelow.core.ballots.profile import Ballot, Profile
from frombelow.core.counting.registry import RULES, count
from frombelow.core.counting.result import Result
from frombelow.core.counting.rule import CountOptions
from tests.core.counting.strict_profiles import shuffled, strict_profiles

RANKED_RULES = sorted(name for name in RULES if name != "majority")
SEATS = {"irv": 1, "majority": 1}


def _count(rule: str, profile: Profile) -> Result:
    seats = SEATS.get(rule, min(2, len(profile.candidates) - 1))
    return count(rule, profile, CountOptions(seats=seats, seed=7))


def _reorder(profile: Profile, order: list[int]) -> Profile:
    """List the candidates in `order` (old indices), renumbering every ballot to match."""
    new_index = {old: new for new, old in enumerate(order)}
    ballots = [
        Ballot(tuple(tuple(new_index[c] for c in group) for group in b.ranking), b.weight)
        for b in profile.ballots
    ]
    candidates = tuple(profile.candidates[old] for old in order)
    return Profile.from_ballots(
        candidates, ballots, withdrawn=[new_index[c] for c in profile.withdrawn]
    )


def _motions() -> st.SearchStrategy[Profile]:
    options = ("yes", "no", "abstain")
    votes = st.lists(st.tuples(st.integers(0, 2), st.integers(1, 300)), min_size=1, max_size=20)
    return votes.map(
        lambda rows: Profile.from_ballots(options, [Ballot(((c,),), w) for c, w in rows])
    )


def _profiles(rule: str) -> st.SearchStrategy[Profile]:
    return _motions() if rule == "majority" else strict_profiles(max_candidates=5, max_ballots=20)


@pytest.mark.parametrize("rule", [*RANKED_RULES, "majority"])
def test_the_order_of_the_ballots_changes_nothing(rule: str) -> None:
    @settings(max_examples=60, deadline=None)
    @given(_profiles(rule), st.randoms(use_true_random=False))
    def check(profile: Profile, rng: random.Random) -> None:
        assert _count(rule, shuffled(profile, rng)) == _count(rule, profile)

    check()


@pytest.mark.parametrize("rule", [*RANKED_RULES, "majority"])
def test_the_order_of_the_candidates_changes_nothing_but_recorded_ties(rule: str) -> None:
    @settings(max_examples=60, deadline=None)
    @given(_profiles(rule), st.randoms(use_true_random=False))
    def check(profile: Profile, rng: random.Random) -> None:
        order = list(range(len(profile.candidates)))
        rng.shuffle(order)
        before, after = _count(rule, profile), _count(rule, _reorder(profile, order))
        if before.tie_breaks or after.tie_breaks:
            return  # a lot may fall otherwise; that it was drawn is in the Result
        # Who is elected is neutral; candidates elected together with equal totals are listed
        # in the order of the ballot paper, a convention that changes no seat.
        assert set(after.elected) == set(before.elected)
        assert after.outcome == before.outcome
        for first, second in zip(before.rounds, after.rounds, strict=True):
            assert dict(second.votes) == dict(first.votes)

    check()
