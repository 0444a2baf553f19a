"""The Schulze method: a complete ranking by strongest paths of pairwise wins.

Source: M. Schulze, "A new monotonic, clone-independent, reversal symmetric, and
Condorcet-consistent single-winner election method", Social Choice and Welfare 36 (2011)
267-303: section 2.1 (the strength of a link measured by winning votes: primarily the support
N[e,f], secondarily the smaller opposition N[f,e]), section 2.2 (paths, their strength, and the
relation a beats b when the strongest path from a to b is stronger than the one back), and
section 2.3 (the strongest paths by the Floyd-Warshall algorithm).

Ballots may rank candidates equally; a candidate a ballot leaves unranked is below every candidate
it ranks and equal to the others it leaves out. Withdrawn candidates are left out of the count.

Only pairwise wins (N[a,b] > N[b,a]) are links here, and a pair with no path of wins has strength
0. Section 2.1 also gives ties and losses a strength, but any path through a tie or a loss is
weaker than every path of wins, and two candidates without a path of wins either way are tied in
the pairwise count and so tied by the method too: the relation is the same.

`Result.ranking` puts the candidates that no remaining candidate beats first, then repeats with
the rest, so that a group holds candidates the method cannot order; the first `seats` candidates
of the ranking are elected, with a lot where a group straddles the last seat. The one `Round`
gives each candidate the number of other candidates it beats by strongest paths. `Result.details`
has every pairwise count d[a>b] and every strongest path p[a>b], written "support:opposition" of
its weakest link, or "0" where there is no path of wins.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import numpy as np
import numpy.typing as npt

from frombelow.core.ballots.profile import BoolArray, PrefArray, Profile
from frombelow.core.counting.lot import Lot
from frombelow.core.counting.result import Result, Round
from frombelow.core.counting.rule import CountOptions, Rule
from frombelow.core.counting.scores import (
    FLOAT_EXACT,
    Groups,
    check_seats,
    continuing_candidates,
    exact_total,
    fill_seats,
    is_voting,
)

# Rows per chunk: the rank table of a chunk (candidates x rows, one byte each) stays in cache
# and the index arrays that build it stay near ten megabytes.
CHUNK_ROWS = 1 << 16
# A path strength packs (support, opposition) into one integer; below this total it fits int64.
_INT64_KEYS = 3_000_000_000


def count(profile: Profile, options: CountOptions) -> Result:
    """Rank the candidates by the Schulze method and elect the first `options.seats`."""
    names = profile.candidates
    continuing = continuing_candidates(profile)
    check_seats(options.seats, len(continuing), "schulze")
    total = exact_total(profile.weights)
    d = pairwise_matrix(profile)[np.ix_(continuing, continuing)]
    p = strongest_paths(d, total)
    beats = p > p.T
    ranking = _rank(beats, continuing)
    lot = Lot(options.seed)
    elected, tie_breaks = fill_seats(ranking, options.seats, lot, names)
    wins = beats.sum(axis=1)
    round_ = Round(
        number=1,
        action="compare every pair of candidates and find the strongest paths",
        votes={names[c]: Decimal(int(wins[i])) for i, c in enumerate(continuing)},
        elected=tuple(names[c] for c in elected),
        note="each total is how many candidates the candidate beats by strongest paths"
        + ("; a tie for the last seat was broken by lot" if tie_breaks else ""),
    )
    voting = is_voting(profile)
    return Result(
        method=RULE.name,
        seats=options.seats,
        candidates=names,
        elected=tuple(names[c] for c in elected),
        rounds=(round_,),
        tie_breaks=tie_breaks,
        valid_votes=Decimal(exact_total(profile.weights[voting])),
        seed=lot.seed,
        ranking=tuple(tuple(names[c] for c in group) for group in ranking),
        details=_details([names[c] for c in continuing], d, p, total),
    )


def pairwise_matrix(profile: Profile) -> npt.NDArray[Any]:
    """Return d[a, b], the weight of the ballots that rank a above b (0 if either is withdrawn).

    Each chunk of ballots becomes a table of rank levels (candidate by ballot, transposed so
    that one candidate's levels lie together); each pair is then one comparison of two rows.
    Most ballots of a chunk share one weight (a member's 1), so every ballot is counted at that
    weight by `count_nonzero`, and the others are corrected by a weighted sum of their
    differences in float64 (exact while the differences add up to less than 2**53) or in
    Python integers beyond.
    """
    n = len(profile.candidates)
    continuing = continuing_candidates(profile)
    # The differences from the common weight add up to at most twice the total.
    exact_floats = 2 * exact_total(profile.weights) < FLOAT_EXACT
    d = [[0] * n for _ in range(n)]
    for start in range(0, profile.prefs.shape[0], CHUNK_ROWS):
        rows = slice(start, start + CHUNK_ROWS)
        levels = _rank_levels(profile.prefs[rows], profile.tied[rows], n)
        weights = profile.weights[rows]
        common = _most_common(weights)
        others = np.flatnonzero(weights != common)
        other_levels = levels[:, others]
        differences = weights[others].astype(np.float64 if exact_floats else object) - common
        for a in continuing:
            for b in continuing:
                if a != b:
                    d[a][b] += common * int(np.count_nonzero(levels[a] < levels[b]))
                    if others.size:
                        # A masked sum, not np.dot: BLAS threads fight for the cores and
                        # make the time erratic on a small machine.
                        d[a][b] += int(differences[other_levels[a] < other_levels[b]].sum())
    return np.array(d, dtype=np.int64 if exact_floats else object)


def _most_common(weights: npt.NDArray[np.int64]) -> int:
    """Return the weight most ballots of a chunk carry."""
    if weights.size == 0 or weights.min() == weights.max():
        return int(weights[0]) if weights.size else 0
    values, counts = np.unique(weights, return_counts=True)
    return int(values[np.argmax(counts)])


def _rank_levels(prefs: PrefArray, tied: BoolArray, n: int) -> npt.NDArray[np.signedinteger]:
    """Give each candidate its rank group on each ballot; unranked candidates share the last."""
    rows, width = prefs.shape
    dtype = np.int8 if width < 127 else np.int16 if width < 32767 else np.int32
    # The rank group of each place: the place itself, less the ties up to it. A column at a
    # time, since NumPy's cumsum along rows of 20 is slow.
    level = np.empty((rows, width), dtype=dtype)
    if width:
        level[:, 0] = 0
    for place in range(1, width):
        np.add(level[:, place - 1], ~tied[:, place], out=level[:, place], casting="unsafe")
    # Built ballot by ballot (one row of n + 1 slots each, written in memory order), then
    # transposed. Candidate c of ballot i goes to slot i * (n + 1) + c; the padding -1 lands in
    # slot n of the ballot before (NumPy reads index -1 from the end): spare slots, never read.
    by_ballot = np.full(rows * (n + 1), width, dtype=dtype)  # width: below every ranked level
    target = prefs + (np.arange(rows, dtype=np.intp) * (n + 1))[:, None]
    by_ballot[target.ravel()] = level.ravel()
    return np.ascontiguousarray(by_ballot.reshape(rows, n + 1).T)


def strongest_paths(d: npt.NDArray[Any], total: int) -> npt.NDArray[Any]:
    """Return the strongest path strengths p[a, b] by Floyd-Warshall (section 2.3).

    A link a->b exists where d[a, b] > d[b, a]; its strength (support, opposition) is packed as
    support * (total + 1) + (total - opposition), so that integer order is the order of
    section 2.1: more support first, then less opposition. No path is 0.
    """
    keys = d.astype(np.int64 if total < _INT64_KEYS else object)
    p = np.where(keys > keys.T, keys * (total + 1) + (total - keys.T), 0)
    for i in range(len(p)):
        # Paths through i; the diagonal may take junk, which never raises any other entry.
        p = np.maximum(p, np.minimum(p[:, i : i + 1], p[i : i + 1, :]))
    np.fill_diagonal(p, 0)
    return p


def _rank(beats: npt.NDArray[np.bool_], continuing: Sequence[int]) -> Groups:
    """Group the candidates in levels: those no remaining candidate beats, then the rest."""
    remaining = np.arange(len(continuing))
    ranking: list[tuple[int, ...]] = []
    while remaining.size:
        # Schulze's relation is a strict partial order (section 4.1), so someone is unbeaten.
        beaten = beats[np.ix_(remaining, remaining)].any(axis=0)
        ranking.append(tuple(continuing[a] for a in remaining[~beaten].tolist()))
        remaining = remaining[beaten]
    return tuple(ranking)


def _details(
    names: Sequence[str], d: npt.NDArray[Any], p: npt.NDArray[Any], total: int
) -> dict[str, str]:
    """Write the pairwise counts and the strongest paths as exact strings."""
    details: dict[str, str] = {}
    for i, a in enumerate(names):
        for j, b in enumerate(names):
            if i != j:
                details[f"d[{a}>{b}]"] = str(d[i, j])
    for i, a in enumerate(names):
        for j, b in enumerate(names):
            if i != j:
                support, rest = divmod(int(p[i, j]), total + 1)
                details[f"p[{a}>{b}]"] = f"{support}:{total - rest}" if support else "0"
    return details


RULE = Rule(
    name="schulze",
    summary="A complete ranking by strongest paths of pairwise wins (winning votes).",
    source="M. Schulze, Social Choice and Welfare 36 (2011) 267-303, sections 2.1-2.3",
    count=count,
)
