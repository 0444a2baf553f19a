"""Exact weighted tallies, rankings by score, and filling seats from a ranking by lot.

Plurality, approval and Schulze all end the same way: a ranking in groups of equal standing, the
first `seats` candidates elected, and a lot among the group that straddles the last seat. That
ending lives here once, so that every rule draws and records its lots alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal

import numpy as np
import numpy.typing as npt

from frombelow.core.ballots.profile import NO_PREFERENCE, BoolArray, Profile
from frombelow.core.counting.lot import Lot
from frombelow.core.counting.result import Result, Round, TieBreak
from frombelow.core.counting.rule import CountError

IntArray = npt.NDArray[np.int64]
Groups = tuple[tuple[int, ...], ...]

# Every partial sum of non-negative integers below 2**53 is exact in float64, whatever order the
# sum is taken in; NumPy's fast weighted sums (bincount, dot) are then exact.
FLOAT_EXACT = 2**53
_INT64_SAFE = 2**62


def exact_total(weights: IntArray) -> int:
    """Sum non-negative int64 weights exactly, beyond the range of int64 if need be."""
    if weights.size == 0:
        return 0
    if int(weights.max()) * weights.size < _INT64_SAFE:
        return int(weights.sum())
    return sum(weights.tolist())


def tally(candidates: npt.NDArray[np.integer], weights: IntArray, size: int) -> list[int]:
    """Add up `weights[i]` for candidate `candidates[i]`, exactly, over `size` candidates."""
    if exact_total(weights) < FLOAT_EXACT:
        totals = np.bincount(candidates, weights=weights.astype(np.float64), minlength=size)
        return [int(t) for t in totals]
    exact = [0] * size
    for candidate, weight in zip(candidates.tolist(), weights.tolist(), strict=True):
        exact[candidate] += weight
    return exact


def continuing_candidates(profile: Profile) -> tuple[int, ...]:
    """Return the candidates not withdrawn, in candidate order."""
    return tuple(c for c in range(len(profile.candidates)) if c not in profile.withdrawn)


def is_continuing(profile: Profile) -> BoolArray:
    """Mark each preference that names a continuing candidate (not padding, not withdrawn)."""
    keep = np.ones(len(profile.candidates) + 1, dtype=np.bool_)
    keep[list(profile.withdrawn)] = False
    keep[NO_PREFERENCE] = False  # the last slot, which the padding index -1 reads
    return keep[profile.prefs]


def is_voting(profile: Profile) -> BoolArray:
    """Mark the ballots that name at least one continuing candidate."""
    if not profile.withdrawn:  # every preference continues: a ballot votes if it has one
        if profile.prefs.shape[1] == 0:
            return np.zeros(profile.prefs.shape[0], dtype=np.bool_)
        voting: BoolArray = profile.prefs[:, 0] != NO_PREFERENCE
        return voting
    return np.asarray(is_continuing(profile).any(axis=1), dtype=np.bool_)


def rank_by_score(scores: Sequence[int], among: Iterable[int]) -> Groups:
    """Group candidates of equal score, highest score first, each group in candidate order."""
    groups: dict[int, list[int]] = {}
    for candidate in sorted(among):
        groups.setdefault(scores[candidate], []).append(candidate)
    return tuple(tuple(groups[score]) for score in sorted(groups, reverse=True))


def fill_seats(
    ranking: Groups, seats: int, lot: Lot, names: Sequence[str], *, stage: int = 1
) -> tuple[tuple[int, ...], tuple[TieBreak, ...]]:
    """Elect the first `seats` candidates of a ranking, drawing lots where a group straddles.

    The candidates of a group that fits in the seats left are elected in candidate order; from a
    group larger than the seats left, the lot draws the winners one at a time, each draw recorded.
    """
    elected: list[int] = []
    tie_breaks: list[TieBreak] = []
    for group in ranking:
        left = seats - len(elected)
        if left <= 0:
            break
        if len(group) <= left:
            elected.extend(group)
            continue
        pool = list(group)
        for _ in range(left):
            chosen = lot.draw(pool)
            tie_breaks.append(
                TieBreak(
                    round=stage,
                    purpose="election",
                    tied=tuple(names[c] for c in pool),
                    chosen=names[chosen],
                    method=lot.method(),
                )
            )
            elected.append(chosen)
            pool.remove(chosen)
    return tuple(elected), tuple(tie_breaks)


def check_seats(seats: int, continuing: int, rule: str) -> None:
    """Refuse a number of seats that the continuing candidates cannot fill."""
    if seats < 1:
        raise CountError(f"{rule} needs at least one seat to fill, not {seats}")
    if seats > continuing:
        raise CountError(
            f"{rule} cannot fill {seats} seats from {continuing} continuing candidates"
        )


def elect_by_score(
    *,
    method: str,
    names: Sequence[str],
    scores: Sequence[int],
    continuing: Sequence[int],
    seats: int,
    lot: Lot,
    valid_votes: int,
    action: str,
    details: dict[str, str] | None = None,
) -> Result:
    """Elect the `seats` continuing candidates with the highest scores, in one recorded round."""
    ranking = rank_by_score(scores, continuing)
    elected, tie_breaks = fill_seats(ranking, seats, lot, names)
    note = f"the {seats} continuing candidates with the highest totals are elected"
    if seats == 1:
        note = "the continuing candidate with the highest total is elected"
    if tie_breaks:
        note += "; a tie for the last seat was broken by lot"
    round_ = Round(
        number=1,
        action=action,
        votes={names[c]: Decimal(scores[c]) for c in sorted(continuing)},
        elected=tuple(names[c] for c in elected),
        note=note,
    )
    return Result(
        method=method,
        seats=seats,
        candidates=tuple(names),
        elected=tuple(names[c] for c in elected),
        rounds=(round_,),
        tie_breaks=tie_breaks,
        valid_votes=Decimal(valid_votes),
        seed=lot.seed,
        ranking=tuple(tuple(names[c] for c in group) for group in ranking),
        details=details or {},
    )
