"""Small random profiles with equal rankings, truncation and withdrawals, and their rewrites.

Also the same ballots as `pref_voting` profiles, to count them with an independent library.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any

from hypothesis import strategies as st
from pref_voting.grade_profiles import GradeProfile
from pref_voting.profiles_with_ties import ProfileWithTies

from frombelow.core.ballots.profile import Ballot, Profile

NAMES = "ABCDEFG"


@st.composite
def weak_profiles(
    draw: st.DrawFn,
    *,
    max_candidates: int = 5,
    max_ballots: int = 20,
    ties: bool = True,
    withdrawals: bool = False,
    blank: bool = True,
) -> Profile:
    """Draw 2 to `max_candidates` candidates and weighted, possibly truncated weak rankings."""
    size = draw(st.integers(2, max_candidates))
    rows = draw(st.lists(_ballots(size, ties, blank), min_size=1, max_size=max_ballots))
    withdrawn: frozenset[int] = frozenset()
    if withdrawals:
        withdrawn = draw(st.frozensets(st.integers(0, size - 1), max_size=size - 1))
    return Profile.from_ballots(NAMES[:size], rows, withdrawn=withdrawn)


def _ballots(size: int, ties: bool, blank: bool) -> st.SearchStrategy[Ballot]:
    """Draw one ballot: an ordering cut to some length and split into rank groups."""

    @st.composite
    def ballot(draw: st.DrawFn) -> Ballot:
        order = draw(st.permutations(range(size)))
        length = draw(st.integers(0 if blank else 1, size))
        cuts = [True] * max(length - 1, 0)
        if ties:
            cuts = draw(st.lists(st.booleans(), min_size=len(cuts), max_size=len(cuts)))
        groups: list[list[int]] = []
        for place, candidate in enumerate(order[:length]):
            if place == 0 or cuts[place - 1]:
                groups.append([candidate])
            else:
                groups[-1].append(candidate)
        weight = draw(st.integers(1, 5))
        return Ballot(tuple(tuple(g) for g in groups), weight)

    return ballot()


def shuffled(profile: Profile, rng: random.Random) -> Profile:
    """Put the ballots in another order."""
    ballots = list(profile.ballots)
    rng.shuffle(ballots)
    return Profile.from_ballots(profile.candidates, ballots, withdrawn=profile.withdrawn)


def renamed(profile: Profile, order: Sequence[int]) -> Profile:
    """Relist the candidates as `order` (new index i is old candidate order[i]), same ballots."""
    new_index = {old: new for new, old in enumerate(order)}
    ballots = [
        Ballot(tuple(tuple(new_index[c] for c in g) for g in b.ranking), b.weight)
        for b in profile.ballots
    ]
    return Profile.from_ballots(
        [profile.candidates[old] for old in order],
        ballots,
        withdrawn={new_index[c] for c in profile.withdrawn},
    )


def without_withdrawn(profile: Profile) -> Profile:
    """Drop the withdrawn candidates from the candidates and from every ballot."""
    kept = [c for c in range(len(profile.candidates)) if c not in profile.withdrawn]
    new_index = {old: new for new, old in enumerate(kept)}
    ballots = []
    for ballot in profile.ballots:
        groups = [tuple(new_index[c] for c in g if c in new_index) for g in ballot.ranking]
        ballots.append(Ballot(tuple(g for g in groups if g), ballot.weight))
    return Profile.from_ballots([profile.candidates[c] for c in kept], ballots)


def pairwise_by_hand(profile: Profile) -> list[list[int]]:
    """Count d[a][b] ballot by ballot: ranked above, or ranked while b is not."""
    n = len(profile.candidates)
    d = [[0] * n for _ in range(n)]
    for ballot in profile.ballots:
        level = {c: rank for rank, group in enumerate(ballot.ranking) for c in group}
        for a in range(n):
            for b in range(n):
                if a != b and level.get(a, n) < level.get(b, n):
                    d[a][b] += ballot.weight
    return d


def to_pref_voting(profile: Profile) -> Any:
    """Return the ballots as a pref_voting ProfileWithTies, unranked below ranked."""
    rankings = [
        {c: rank for rank, group in enumerate(b.ranking, start=1) for c in group}
        for b in profile.ballots
    ]
    weights = [int(w) for w in profile.weights]
    pv = ProfileWithTies(rankings, rcounts=weights, candidates=list(range(len(profile.candidates))))
    pv.use_extended_strict_preference()
    return pv


def to_grade_profile(profile: Profile) -> Any:
    """Return the ballots as pref_voting approval grades: 1 for every ranked candidate."""
    grades = [{c: 1 for g in b.ranking for c in g} for b in profile.ballots]
    weights = [int(w) for w in profile.weights]
    return GradeProfile(
        grades, [0, 1], gcounts=weights, candidates=list(range(len(profile.candidates)))
    )
