"""What a valid ballot is for each way of voting, when a choice is quorate, and who substitutes.

Implements MODEL.md section 4 (options: yes / no / abstain, approval, ranked by Schulze; the
quorum as a share of the electorate that must take part) and section 2 (substitutes: the next
candidates in the count's order). A ballot is a ranking of groups of option labels, best first:
a motion's ballot is one group of one option, an approval ballot one group of the approved options,
a Schulze ballot any ranking with equal ranks, an election ballot a strict ranking.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

from frombelow.core.ballots.profile import Ballot, Profile, Ranking
from frombelow.core.counting.result import Result
from frombelow.core.errors import DecisionError

MOTION = "majority"
CHOICE_METHODS = frozenset({"approval", "schulze"})
ELECTION_METHODS = frozenset({"irv", "stv-scottish", "stv-meek", "plurality", "approval"})

LabelRanking = Sequence[Sequence[str]]


def ranking_of(method: str, options: Sequence[str], ranking: LabelRanking) -> Ranking:
    """Return a ballot's ranking as option indices, refusing one the method does not take."""
    index = {option: i for i, option in enumerate(options)}
    groups: list[tuple[int, ...]] = []
    seen: set[str] = set()
    for group in ranking:
        if isinstance(group, str) or not group:
            raise DecisionError(
                "a ballot's ranking is a list of non-empty groups, not %(group)r", group=group
            )
        for option in group:
            if option not in index:
                raise DecisionError(
                    "%(option)r is not an option of this vote; it has %(known)s",
                    option=option,
                    known=", ".join(repr(o) for o in options),
                )
            if option in seen:
                raise DecisionError("a ballot names %(option)r twice", option=option)
            seen.add(option)
        groups.append(tuple(index[option] for option in group))
    if method == MOTION and (len(groups) != 1 or len(groups[0]) != 1):
        raise DecisionError("a ballot on a motion chooses exactly one of yes, no or abstain")
    if method == "approval" and len(groups) > 1:
        raise DecisionError("an approval ballot is one group: the options it approves")
    if method in ELECTION_METHODS - {"approval"} and any(len(g) > 1 for g in groups):
        raise DecisionError(
            "a ballot counted by %(method)s ranks candidates one at a time", method=method
        )
    return tuple(groups)


def profile_of(
    options: Sequence[str], ballots: Sequence[tuple[Ranking, int]], seats: int = 1
) -> Profile:
    """Build the profile the counting engine counts from (ranking, weight) pairs."""
    return Profile.from_ballots(
        options, (Ballot(ranking, weight) for ranking, weight in ballots if weight), seats=seats
    )


def is_quorate(turnout: int, electorate: int, quorum: Fraction) -> bool:
    """Tell whether `turnout` of `electorate` reaches the quorum (a share of the electorate)."""
    return turnout >= quorum * electorate


def substitute_order(result: Result) -> tuple[str, ...]:
    """Return the candidates not elected, in the order the count ranked them, best first.

    A full ranking (approval, Schulze) gives the order directly. Otherwise a candidate still in the
    count when it ended ranks above every excluded one, by their last total; the excluded rank in
    reverse order of exclusion (the last excluded first), those excluded together by their totals
    at the stage before, and then in candidate order.
    """
    elected = set(result.elected)
    if result.ranking:
        return tuple(c for group in result.ranking for c in group if c not in elected)
    position = {c: i for i, c in enumerate(result.candidates)}
    previous: dict[str, Decimal] = {}
    excluded: list[tuple[int, Decimal, int, str]] = []
    for stage, round_ in enumerate(result.rounds):
        for candidate in round_.excluded:
            total = previous.get(candidate, Decimal(0))
            excluded.append((stage, total, position[candidate], candidate))
        previous = dict(round_.votes)
    out = {c for *_, c in excluded}
    last = dict(result.rounds[-1].votes) if result.rounds else {}
    standing = sorted(
        (c for c in result.candidates if c not in elected and c not in out),
        key=lambda c: (-last.get(c, Decimal(0)), position[c]),
    )
    fallen = [c for *_, c in sorted(excluded, key=lambda e: (-e[0], -e[1], e[2]))]
    return (*standing, *fallen)
