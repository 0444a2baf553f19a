"""Counting a closed vote from its (ranking, weight) pairs: the one rule the services and the
record's verifier both apply, so that a recount cannot drift from the count.

MODEL.md section 4: a motion is counted by the majority rule under its quorum and threshold
(by consent, it carries when no one objects); a choice between motions is void below the quorum;
an election elects by its method. A council elects in session from its delegates' casts, each
weighing its delegation's votes per seat (MODEL.md section 3).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from frombelow.core.ballots.profile import Ranking
from frombelow.core.counting import registry
from frombelow.core.counting.majority import NO, YES
from frombelow.core.counting.result import Result
from frombelow.core.counting.rule import CountOptions, Threshold
from frombelow.core.voting import MOTION, is_quorate, profile_of

CARRIED, INQUORATE, CHOSEN, ELECTED = "carried", "inquorate", "chosen", "elected"

Pairs = Sequence[tuple[Ranking, int]]


@dataclass(frozen=True)
class VoteRules:
    """What a vote was opened under, besides its ballots."""

    method: str
    options: tuple[str, ...]
    seats: int = 1
    electorate: int = 0
    quorum: Fraction = Fraction(0)
    threshold: Threshold = field(default_factory=Threshold)
    by_consent: bool = False
    chooses: bool = False  # a choice between motions (one motion's options), not an election


@dataclass(frozen=True)
class VoteCount:
    """A closed vote's count: the outcome, who or what won, the engine's Result, the turnout."""

    outcome: str
    winners: tuple[str, ...]
    result: Result | None  # None when no one cast a ballot in an election, or it was inquorate
    turnout: int


def count_assembly_vote(
    rules: VoteRules, pairs: Pairs, turnout: int, seed: int | None = None
) -> VoteCount:
    """Count an assembly's vote; `seed` repeats a recorded draw of lots (None draws anew)."""
    if rules.method == MOTION:
        options = CountOptions(
            electorate=rules.electorate,
            quorum=rules.quorum,
            threshold=rules.threshold,
            seed=seed,
        )
        result = registry.count(MOTION, profile_of(rules.options, pairs), options)
        outcome = result.outcome
        objections = sum(w for r, w in pairs if rules.options[r[0][0]] == NO)
        if rules.by_consent and outcome != INQUORATE and not objections:
            # Consent: carried when no one objects; an objection sends it to the majority, so
            # that no one holds a veto (MODEL 4).
            outcome = CARRIED
        return VoteCount(outcome, (YES,) if outcome == CARRIED else (), result, turnout)
    if rules.chooses and not is_quorate(turnout, rules.electorate, rules.quorum):
        return VoteCount(INQUORATE, (), None, turnout)
    return _elect(rules, pairs, turnout, CHOSEN if rules.chooses else ELECTED, seed)


def count_council_election(rules: VoteRules, pairs: Pairs, seed: int | None = None) -> VoteCount:
    """Count a council's election from its delegates' casts, each weighted by its votes per
    seat; the turnout is the votes cast."""
    return _elect(rules, pairs, sum(w for _, w in pairs), ELECTED, seed)


def _elect(
    rules: VoteRules, pairs: Pairs, turnout: int, outcome: str, seed: int | None
) -> VoteCount:
    if not pairs:
        return VoteCount(ELECTED, (), None, turnout)
    profile = profile_of(rules.options, pairs, seats=rules.seats)
    result = registry.count(rules.method, profile, CountOptions(seats=rules.seats, seed=seed))
    return VoteCount(outcome, tuple(result.elected), result, turnout)
