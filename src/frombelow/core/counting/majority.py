"""A motion's vote: yes, no or abstain, with a quorum and a threshold.

Source: Robert's Rules of Order Newly Revised (12th edition, 2020), section 40 (the quorum: the
share of the members who must take part for the vote to be valid) and section 44 (bases for
determining a voting result: a majority is more than half of the votes cast by those entitled to
vote, not counting blanks and abstentions; a two-thirds vote is at least two thirds; a tie is lost
because it is not more than half).

The options are the profile's candidates: "yes" and "no", and "abstain" where it is offered; each
ballot's first preference is its vote, with its weight (a bound delegation of 300 casts 300).
Everyone whose vote was counted took part, abstentions included, for the quorum: the motion is
inquorate unless turnout is at least `options.quorum` of `options.electorate`. The threshold
(`options.threshold`) is a share of the votes cast for and against (base "cast", abstentions not
counted) or of the whole electorate (base "electorate"), reached when yes is more than the share
(strict) or at least the share. A motion that no one voted for is lost whatever the threshold, so
that "at least" never carries a motion on zero votes. All arithmetic is exact (Fraction).
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import numpy as np

from frombelow.core.ballots.profile import NO_PREFERENCE, BallotError, Profile
from frombelow.core.counting.result import Result, Round, as_fraction_text
from frombelow.core.counting.rule import CountError, CountOptions, Rule, Threshold
from frombelow.core.counting.scores import tally

YES, NO, ABSTAIN = "yes", "no", "abstain"


def count(profile: Profile, options: CountOptions) -> Result:
    """Decide a motion: carried, lost or inquorate, with every figure exact."""
    if options.seats != 1:
        raise CountError(f"a motion fills no seats; majority takes seats=1, not {options.seats}")
    _check_options(profile)
    votes = dict(zip(profile.candidates, _first_preferences(profile), strict=True))
    yes, no, abstain = votes[YES], votes[NO], votes.get(ABSTAIN, 0)
    turnout = yes + no + abstain
    electorate = _electorate(options, turnout)
    threshold = _threshold(options.threshold)
    details = {YES: str(yes), NO: str(no), ABSTAIN: str(abstain), "turnout": str(turnout)}
    details |= {
        "quorum": as_fraction_text(options.quorum),
        "threshold": as_fraction_text(threshold.share),
        "threshold base": threshold.base,
        "threshold kind": "more than" if threshold.strict else "at least",
    }
    if electorate is not None:
        details["electorate"] = str(electorate)
        details["quorum needed"] = as_fraction_text(options.quorum * electorate)
        if electorate:
            details["turnout share"] = as_fraction_text(Fraction(turnout, electorate))
    if threshold.base == "cast":
        base = yes + no
    elif electorate is None:
        raise CountError(
            "a threshold of the electorate (an absolute majority) needs the electorate"
        )
    else:
        base = electorate
    needed = threshold.share * base
    details["threshold votes"] = as_fraction_text(needed)
    if base:
        details["yes share"] = as_fraction_text(Fraction(yes, base))
    outcome, note = _decide(yes, no, turnout, needed, base, threshold, options.quorum, electorate)
    elected = {"carried": (YES,), "lost": (NO,), "inquorate": ()}[outcome]
    round_ = Round(
        number=1,
        action="count the votes on the motion",
        votes={name: Decimal(votes[name]) for name in profile.candidates},
        elected=elected,
        note=note,
    )
    return Result(
        method=RULE.name,
        seats=1,
        candidates=profile.candidates,
        elected=elected,
        rounds=(round_,),
        valid_votes=Decimal(turnout),
        outcome=outcome,
        details=details,
    )


def _check_options(profile: Profile) -> None:
    """Refuse a motion whose options are not yes and no, and perhaps abstain."""
    names = set(profile.candidates)
    if not {YES, NO} <= names or not names <= {YES, NO, ABSTAIN}:
        offered = ", ".join(repr(name) for name in profile.candidates)
        raise CountError(
            f'a motion\'s options are "yes", "no" and optionally "abstain", not {offered}'
        )
    if profile.withdrawn:
        withdrawn = ", ".join(sorted(profile.candidates[c] for c in profile.withdrawn))
        raise CountError(f"a motion's options cannot be withdrawn ({withdrawn})")


def _first_preferences(profile: Profile) -> list[int]:
    """Count each ballot's first preference with its weight, refusing blank or split votes."""
    if profile.prefs.shape[1] == 0:
        first = np.full(len(profile.weights), NO_PREFERENCE, dtype=np.int32)
        split = np.zeros(len(profile.weights), dtype=np.bool_)
    else:
        first = profile.prefs[:, 0]
        split = profile.tied[:, 1] if profile.prefs.shape[1] > 1 else np.zeros_like(first, bool)
    counted = profile.weights > 0
    blank = np.flatnonzero(counted & (first == NO_PREFERENCE))
    if blank.size:
        raise BallotError(f"ballot {int(blank[0]) + 1} chooses no option on the motion")
    split_rows = np.flatnonzero(counted & split)
    if split_rows.size:
        raise BallotError(
            f"ballot {int(split_rows[0]) + 1} ranks two options equally first; a vote on a "
            "motion chooses one"
        )
    return tally(first[counted], profile.weights[counted], len(profile.candidates))


def _electorate(options: CountOptions, turnout: int) -> int | None:
    """Check the quorum, and the electorate against the quorum and the votes cast."""
    electorate = options.electorate
    if not 0 <= options.quorum <= 1:
        raise CountError(f"a quorum must be a share in [0, 1], not {options.quorum}")
    if electorate is None:
        if options.quorum:
            raise CountError("a quorum is a share of the electorate; give the electorate")
        return None
    if electorate < turnout:
        raise CountError(f"the electorate of {electorate} is smaller than the {turnout} votes cast")
    return electorate


def _threshold(threshold: Threshold) -> Threshold:
    """Refuse a threshold that is not a share in (0, 1] of the votes cast or the electorate."""
    if not 0 < threshold.share <= 1:
        raise CountError(f"a threshold must be a share in (0, 1], not {threshold.share}")
    if threshold.base not in ("cast", "electorate"):
        raise CountError(f'a threshold counts "cast" or "electorate", not {threshold.base!r}')
    return threshold


def _decide(
    yes: int,
    no: int,
    turnout: int,
    needed: Fraction,
    base: int,
    threshold: Threshold,
    quorum: Fraction,
    electorate: int | None,
) -> tuple[str, str]:
    """Return the outcome and the note that says why."""
    if electorate is not None and turnout < quorum * electorate:
        return "inquorate", (
            f"inquorate: {turnout} took part, fewer than the quorum of "
            f"{as_fraction_text(quorum)} of the electorate of {electorate} "
            f"({as_fraction_text(quorum * electorate)})"
        )
    of = "the votes cast for and against" if threshold.base == "cast" else "the electorate"
    kind = "more than" if threshold.strict else "at least"
    rule = (
        f"{kind} {as_fraction_text(threshold.share)} of {of}: {as_fraction_text(needed)} of {base}"
    )
    if yes == 0:
        return "lost", f"lost: no one voted for the motion ({rule} needed)"
    reached = yes > needed if threshold.strict else yes >= needed
    if reached:
        return "carried", f"carried: {yes} yes is {rule}"
    if yes == no and threshold == Threshold():  # a simple majority
        return "lost", f"lost: a tie of {yes} yes to {no} no is not {rule}, and a tie is lost"
    return "lost", f"lost: {yes} yes is not {rule}"


RULE = Rule(
    name="majority",
    summary="A motion's yes / no / abstain vote with a quorum and a threshold.",
    source="Robert's Rules of Order Newly Revised, 12th ed. (2020), sections 40 and 44",
    count=count,
)
