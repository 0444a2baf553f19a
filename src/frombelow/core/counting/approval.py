"""Approval voting: a ballot approves every candidate it ranks; the most approved win.

Source: S. J. Brams and P. C. Fishburn, "Approval Voting", American Political Science Review 72(3)
(1978) 831-847, its definition on p. 831 (each voter votes for as many candidates as they wish;
the candidate with the most votes wins); for several seats the `seats` most approved candidates
win, the multi-winner form that D. M. Kilgour, "Approval Balloting for Multi-winner Elections", in
J.-F. Laslier and M. R. Sanver (eds.), Handbook on Approval Voting (Springer 2010), calls approval
voting (AV).

A ranked ballot approves each continuing candidate it names, whatever their order or rank groups;
a withdrawn candidate gets no approvals. The ranking of all continuing candidates by approvals is
`Result.ranking`; a tie for the last seat is broken by lot and recorded.
"""

from __future__ import annotations

import numpy as np

from frombelow.core.ballots.profile import Profile
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
    """Elect the `options.seats` most approved candidates, by lot on a tie for the last seat."""
    seats = options.seats
    continuing = continuing_candidates(profile)
    check_seats(seats, len(continuing), "approval")
    approved = is_continuing(profile)
    weights = np.broadcast_to(profile.weights[:, None], profile.prefs.shape)
    scores = tally(profile.prefs[approved], weights[approved], len(profile.candidates))
    voting = approved.any(axis=1)
    return elect_by_score(
        method=RULE.name,
        names=profile.candidates,
        scores=scores,
        continuing=continuing,
        seats=seats,
        lot=Lot(options.seed),
        valid_votes=exact_total(profile.weights[voting]),
        action="count the approvals of each candidate",
        details={"blank": str(exact_total(profile.weights[~voting]))},
    )


RULE = Rule(
    name="approval",
    summary="Each ballot approves every candidate it ranks; the most approved win.",
    source='Brams and Fishburn, "Approval Voting", APSR 72(3), 1978, p. 831',
    count=count,
)
