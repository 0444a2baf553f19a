"""Plurality, and the block vote for several seats: the candidates with the most votes win.

Source: the Parliamentary Elections Rules, Representation of the People Act 1983, Schedule 1,
rule 49 (an equality of votes is decided by lot) and rule 50 (the candidate with the most votes
is declared elected); for several seats, the block vote of English local elections, in which
every voter has as many votes as there are seats.

A ballot gives its weight to each of its first `seats` preferences for continuing candidates
(withdrawn candidates are skipped): its first preference when one seat is filled, its top three
when three are. Equal rankings are allowed below that cut, but a rank group that the cut would
split (two candidates ranked equally first for one seat) leaves the ballot's vote unclear, and
the count refuses it rather than guess. The `seats` candidates with the most votes are elected;
a tie for the last seat is broken by lot and recorded.
"""

from __future__ import annotations

import numpy as np

from frombelow.core.ballots.profile import BallotError, BoolArray, IntArray, Profile
from frombelow.core.counting.lot import Lot
from frombelow.core.counting.result import Result
from frombelow.core.counting.rule import CountOptions, Rule
from frombelow.core.counting.scores import (
    check_seats,
    continuing_candidates,
    elect_by_score,
    exact_total,
    is_continuing,
    tally,
)


def count(profile: Profile, options: CountOptions) -> Result:
    """Elect the `options.seats` candidates with the most votes, by lot on a tie for the last."""
    seats = options.seats
    continuing = continuing_candidates(profile)
    check_seats(seats, len(continuing), "plurality")
    keep = is_continuing(profile)
    order = np.cumsum(keep, axis=1, dtype=np.int64)  # continuing preferences up to each place
    counted = keep & (order <= seats)
    _refuse_split_rank(profile, keep, order, seats)
    weights = np.broadcast_to(profile.weights[:, None], profile.prefs.shape)
    scores = tally(profile.prefs[counted], weights[counted], len(profile.candidates))
    voting = counted.any(axis=1)
    action = "count first preferences"
    if seats > 1:
        action = f"count each ballot's first {seats} preferences (block vote)"
    return elect_by_score(
        method=RULE.name,
        names=profile.candidates,
        scores=scores,
        continuing=continuing,
        seats=seats,
        lot=Lot(options.seed),
        valid_votes=exact_total(profile.weights[voting]),
        action=action,
        details={"blank": str(exact_total(profile.weights[~voting]))},
    )


def _refuse_split_rank(profile: Profile, keep: BoolArray, order: IntArray, seats: int) -> None:
    """Refuse a ballot whose rank group straddles its last counted preference."""
    if profile.is_strict:
        return
    level = np.cumsum(~profile.tied, axis=1)  # the rank group of each place
    last_in = np.where(keep & (order == seats), level, -1).max(axis=1)
    first_out = np.where(keep & (order == seats + 1), level, -2).max(axis=1)
    split = np.flatnonzero(last_in == first_out)
    if split.size:
        ballot = int(split[0]) + 1
        if seats == 1:
            raise BallotError(
                f"ballot {ballot} ranks several candidates equally first; a plurality vote goes "
                "to one of them"
            )
        raise BallotError(
            f"ballot {ballot} ranks candidates equally at its preferences {seats} and "
            f"{seats + 1}; a block vote for {seats} seats cannot tell which of them to count"
        )


RULE = Rule(
    name="plurality",
    summary="The candidates with the most votes win; several seats by block vote.",
    source="Representation of the People Act 1983, Schedule 1, rules 49 and 50",
    count=count,
)
