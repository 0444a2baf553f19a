"""Small random profiles of strict rankings, and ways to rewrite one without changing its votes."""

from __future__ import annotations

import random

from hypothesis import strategies as st

from frombelow.core.ballots.profile import Ballot, Profile

NAMES = "ABCDEFG"


@st.composite
def strict_profiles(
    draw: st.DrawFn,
    *,
    complete: bool = False,
    max_candidates: int = 5,
    min_ballots: int = 1,
    max_ballots: int = 25,
) -> Profile:
    """Draw a profile of 2 to `max_candidates` candidates and weighted strict rankings."""
    size = draw(st.integers(2, max_candidates))
    order = st.permutations(range(size))
    if complete:
        rankings = order.map(tuple)
    else:
        rankings = st.tuples(order, st.integers(1, size)).map(lambda t: tuple(t[0][: t[1]]))
    rows = draw(
        st.lists(st.tuples(rankings, st.integers(1, 5)), min_size=min_ballots, max_size=max_ballots)
    )
    ballots = [Ballot(tuple((c,) for c in ranking), weight) for ranking, weight in rows]
    return Profile.from_ballots(NAMES[:size], ballots)


def expand_weights(profile: Profile) -> Profile:
    """Write each ballot of weight w as w ballots of weight 1."""
    ballots = [
        Ballot(ballot.ranking, 1) for ballot in profile.ballots for _ in range(ballot.weight)
    ]
    return Profile.from_ballots(
        profile.candidates, ballots, withdrawn=profile.withdrawn, seats=profile.seats
    )


def shuffled(profile: Profile, rng: random.Random) -> Profile:
    """Put the ballots in another order."""
    ballots = list(profile.ballots)
    rng.shuffle(ballots)
    return Profile.from_ballots(
        profile.candidates, ballots, withdrawn=profile.withdrawn, seats=profile.seats
    )
