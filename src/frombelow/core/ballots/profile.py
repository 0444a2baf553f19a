"""A profile: the candidates and the weighted ballots cast among them.

Ballots are kept as NumPy arrays, one row per distinct ranking, because a federation-wide count
has millions of ballots and the counting rules work on whole columns at once. `Profile.ballots`
gives the same rows as `Ballot` values for rules and tests that read one ballot at a time.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain

import numpy as np
import numpy.typing as npt

# A ranking is a sequence of rank groups, most preferred first; each group holds the indices of
# candidates ranked equally. A strict ranking has one candidate per group. An approval ballot is
# one group holding every approved candidate.
RankGroup = tuple[int, ...]
Ranking = tuple[RankGroup, ...]

IntArray = npt.NDArray[np.int64]
PrefArray = npt.NDArray[np.int32]
BoolArray = npt.NDArray[np.bool_]

NO_PREFERENCE = -1  # padding after a ballot's last preference


class BallotError(ValueError):
    """A ballot or ballot file that cannot be counted; the message says what and where."""


@dataclass(frozen=True, slots=True)
class Ballot:
    """One ranking cast with a weight (a member's 1, or a delegation's membership)."""

    ranking: Ranking
    weight: int = 1

    @property
    def is_strict(self) -> bool:
        """Tell whether no two candidates share a rank."""
        return all(len(group) == 1 for group in self.ranking)

    def strict_ranking(self) -> tuple[int, ...]:
        """Return the candidates in order, refusing equal rankings."""
        if not self.is_strict:
            raise BallotError("this rule needs strict rankings; a ballot ranks candidates equally")
        return tuple(group[0] for group in self.ranking)


@dataclass(frozen=True, eq=False)
class Profile:
    """Candidates (by name, indexed from 0) and weighted ballots as arrays.

    `prefs[i, j]` is ballot i's j-th preference (a candidate index) or NO_PREFERENCE after its
    last; `tied[i, j]` is True where preference j shares the rank of preference j - 1;
    `weights[i]` is how many votes ballot i stands for.
    """

    candidates: tuple[str, ...]
    prefs: PrefArray
    tied: BoolArray
    weights: IntArray
    withdrawn: frozenset[int] = field(default_factory=frozenset)
    seats: int | None = None
    title: str = ""

    def __post_init__(self) -> None:
        self._validate()

    def _validate(self) -> None:
        n = len(self.candidates)
        if len(set(self.candidates)) != n:
            raise BallotError("two candidates have the same name")
        if self.prefs.ndim != 2 or self.tied.shape != self.prefs.shape:
            raise BallotError("preferences and ties must be arrays of the same two dimensions")
        if self.weights.shape != (self.prefs.shape[0],):
            raise BallotError("there must be one weight per ballot")
        if self.weights.size and int(self.weights.min()) < 0:
            raise BallotError(f"a ballot has negative weight {int(self.weights.min())}")
        if self.prefs.size:
            if int(self.prefs.max()) >= n or int(self.prefs.min()) < NO_PREFERENCE:
                raise BallotError(f"a ballot names a candidate outside 1..{n}")
            present = self.prefs != NO_PREFERENCE
            if np.any(present[:, 1:] & ~present[:, :-1]):
                raise BallotError("a ballot skips a preference")
            ordered = np.sort(self.prefs, axis=1)
            if np.any((ordered[:, 1:] == ordered[:, :-1]) & (ordered[:, 1:] != NO_PREFERENCE)):
                raise BallotError("a ballot ranks the same candidate twice")
            if np.any(self.tied[:, 0]) or np.any(self.tied & ~present):
                raise BallotError("a tie must join two ranked candidates")
        for c in self.withdrawn:
            if not 0 <= c < n:
                raise BallotError(f"withdrawn candidate {c + 1} is not among 1..{n}")

    @classmethod
    def from_ballots(
        cls,
        candidates: Sequence[str],
        ballots: Iterable[Ballot],
        *,
        withdrawn: Iterable[int] = (),
        seats: int | None = None,
        title: str = "",
    ) -> Profile:
        """Build a profile from Ballot values, keeping their order and equal rankings."""
        rows = list(ballots)
        width = max((sum(len(g) for g in b.ranking) for b in rows), default=0)
        prefs = np.full((len(rows), width), NO_PREFERENCE, dtype=np.int32)
        tied = np.zeros((len(rows), width), dtype=np.bool_)
        for i, ballot in enumerate(rows):
            j = 0
            for group in ballot.ranking:
                for k, candidate in enumerate(group):
                    prefs[i, j] = candidate
                    tied[i, j] = k > 0
                    j += 1
        weights = np.array([b.weight for b in rows], dtype=np.int64)
        return cls(tuple(candidates), prefs, tied, weights, frozenset(withdrawn), seats, title)

    @classmethod
    def from_rankings(
        cls,
        candidates: Sequence[str],
        rankings: Iterable[Sequence[str]],
        *,
        weights: Iterable[int] | None = None,
        seats: int | None = None,
        title: str = "",
    ) -> Profile:
        """Build a profile from strict rankings given as candidate names, aggregating duplicates."""
        tally: Counter[tuple[str, ...]] = Counter()
        if weights is None and isinstance(rankings, list | tuple):
            try:
                # Rankings held as tuples are counted as they are: a third quicker than copying
                # each into a tuple first, and the tally is most of the cost of a large profile.
                tally = Counter(rankings)
            except TypeError:  # some are lists (unhashable): count copies
                tally = Counter(map(tuple, rankings))
        elif weights is None:
            tally.update(map(tuple, rankings))
        else:
            for r, w in zip(rankings, weights, strict=True):
                tally[tuple(r)] += w
        index = {name: i for i, name in enumerate(candidates)}
        distinct = list(tally)
        lengths = np.fromiter(map(len, distinct), dtype=np.int64, count=len(distinct))
        # Only the distinct rankings are looked up, name by name, in C-level maps: this and the
        # tally are the cost of a large profile (a list first: fromiter over a chain is slower).
        names = list(chain.from_iterable(distinct))
        try:
            flat = np.fromiter(map(index.__getitem__, names), dtype=np.int32, count=len(names))
        except KeyError as error:
            raise BallotError(f"a ballot names {error.args[0]!r}, not a candidate") from None
        width = int(lengths.max()) if len(distinct) else 0
        prefs = np.full((len(distinct), width), NO_PREFERENCE, dtype=np.int32)
        # A boolean mask fills row by row, in the order of `flat`.
        prefs[np.arange(width) < lengths[:, None]] = flat
        counts = np.fromiter(tally.values(), dtype=np.int64, count=len(distinct))
        tied = np.zeros_like(prefs, dtype=np.bool_)
        return cls(tuple(candidates), prefs, tied, counts, frozenset(), seats, title)

    @property
    def ballots(self) -> Iterator[Ballot]:
        """Yield each row as a Ballot (slow; for rules that read one ballot at a time)."""
        for row, ties, weight in zip(
            self.prefs.tolist(), self.tied.tolist(), self.weights.tolist(), strict=True
        ):
            groups: list[list[int]] = []
            for candidate, is_tied in zip(row, ties, strict=True):
                if candidate == NO_PREFERENCE:
                    break
                if is_tied:
                    groups[-1].append(candidate)
                else:
                    groups.append([candidate])
            yield Ballot(tuple(tuple(g) for g in groups), weight)

    @property
    def is_strict(self) -> bool:
        """Tell whether no ballot ranks two candidates equally."""
        return not bool(self.tied.any())

    def require_strict(self, rule: str) -> None:
        """Refuse equal rankings for a rule that cannot count them."""
        if not self.is_strict:
            row = int(np.argmax(self.tied.any(axis=1)))
            raise BallotError(
                f"{rule} needs strict rankings, but ballot {row + 1} ranks candidates equally"
            )

    @property
    def total_weight(self) -> int:
        """Return the number of votes cast: the sum of the ballots' weights."""
        return int(self.weights.sum())
