"""Deciding a yes / no / abstain question from its totals, by the counting engine's majority rule.

A council's item, a referendum and a recall all end in totals per option, not in ballots; this
turns totals into the profile the `majority` rule counts, so that the rule of MODEL.md section 4
(quorum, threshold) is written once, in `frombelow.core.counting.majority`.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction

from frombelow.core.ballots.profile import Profile
from frombelow.core.counting import majority
from frombelow.core.counting.result import Result
from frombelow.core.counting.rule import CountOptions, Threshold
from frombelow.core.errors import DecisionError

YES, NO, ABSTAIN = majority.YES, majority.NO, majority.ABSTAIN
MOTION_OPTIONS = (YES, NO, ABSTAIN)


def decide(
    votes: Mapping[str, int],
    *,
    electorate: int,
    quorum: Fraction,
    threshold: Threshold,
) -> Result:
    """Count totals of "yes", "no" and "abstain" under a quorum and threshold: the Result says
    "carried", "lost" or "inquorate" and why."""
    unknown = sorted(set(votes) - set(MOTION_OPTIONS))
    if unknown:
        raise DecisionError(
            "a motion is decided on 'yes', 'no' and 'abstain', not on %(unknown)s",
            unknown=", ".join(unknown),
        )
    for option, count in votes.items():
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise DecisionError(
                "votes for %(option)r must be a whole number, not %(count)r",
                option=option,
                count=count,
            )
    profile = Profile.from_rankings(
        MOTION_OPTIONS,
        [[option] for option in MOTION_OPTIONS],
        weights=[votes.get(option, 0) for option in MOTION_OPTIONS],
    )
    options = CountOptions(electorate=electorate, quorum=quorum, threshold=threshold)
    return majority.RULE.count(profile, options)
