"""Instant-runoff voting (the alternative vote): one seat, filled by excluding the lowest in turn.

Source: the count for a single vacancy in the New Zealand Local Electoral Regulations 2001,
Schedule 1A, Part 2 (clauses 26 to 34), which this module follows except where it says otherwise:

* each round counts every ballot for its highest-ranked continuing candidate, at full value;
  withdrawn candidates are passed over (Part 3, clause 38) and a ballot with no continuing
  candidate left is exhausted;
* a candidate with more than half of the votes not exhausted is elected (clauses 26 and 27 elect
  at half rounded up; "more than half" is the majority that `irv` promises and differs only when
  a candidate has exactly half);
* otherwise the candidate with the fewest votes is excluded and their ballots go on to their next
  continuing preference (clauses 28 to 32); when one candidate is left, they are elected;
* a tie for exclusion goes to the candidate behind at the earliest round at which the tied
  candidates' totals differed (the schedule's "ahead at first difference", clause 40); where
  that round leaves several behind, later rounds narrow them down in turn (clause 40 goes straight
  to lot); a tie that no round separates is drawn by lot (`Lot`, seeded and recorded) instead of
  by the schedule's pseudo-random numbers (clauses 41 to 48);
* two candidates left with equal votes: the one ahead at the earliest round that separates them
  is elected, else one is drawn by lot (clause 34(b) settles it by excluding the other).

Ballots are rows of NumPy arrays: each round moves only the rows whose current candidate was
excluded, so a count costs about one pass over the rows per round.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

import numpy as np
import numpy.typing as npt

from frombelow.core.ballots.profile import NO_PREFERENCE, Profile
from frombelow.core.counting.lot import Lot
from frombelow.core.counting.result import Result, Round, TieBreak
from frombelow.core.counting.rule import CountError, CountOptions, Rule
from frombelow.core.counting.ties import break_tie

Totals = npt.NDArray[np.int64]
Rows = npt.NDArray[np.intp]
Preferences = npt.NDArray[np.int32]

# float64 sums integers exactly below 2**53; above that the exact but slower np.add.at is used.
_FLOAT_EXACT = 2**53
_INT64_SAFE = 2**62


def count(profile: Profile, options: CountOptions) -> Result:
    """Count `profile` by instant runoff for one seat."""
    if options.seats != 1:
        raise CountError(f"irv fills one seat, but {options.seats} seats were asked for")
    profile.require_strict("irv")
    return _Count(profile, Lot(options.seed)).run()


RULE = Rule(
    name="irv",
    summary="Instant runoff: exclude the lowest until someone has more than half the votes.",
    source="NZ Local Electoral Regulations 2001, Schedule 1A, Part 2 (clauses 26-34), "
    "electing on more than half the continuing votes, with lots from a recorded seed",
    count=count,
)


class _Count:
    """The state of one instant-runoff count: each ballot row's current candidate and the totals."""

    def __init__(self, profile: Profile, lot: Lot) -> None:
        self.profile = profile
        self.lot = lot
        self.names = profile.candidates
        n = len(self.names)
        self.exhausted_slot = n  # totals[n] holds the weight of exhausted ballots
        self.continuing = [c for c in range(n) if c not in profile.withdrawn]
        if not self.continuing:
            raise CountError("irv has no candidate to elect: every candidate has withdrawn")
        rows, self.width = profile.prefs.shape
        # Rows are read through one flat view: row r's j-th preference is flat[r * width + j].
        self.flat = np.ascontiguousarray(profile.prefs).reshape(-1)
        self.weights = profile.weights
        largest = int(profile.weights.max()) if rows else 0
        if largest * rows >= _INT64_SAFE:
            raise CountError(f"the ballots' weights (up to {largest}) are too large to count")
        self.exact_floats = largest * rows < _FLOAT_EXACT
        # stops[c]: a ballot stops at c, because c is continuing; stops[-1], the end of a ballot
        # (NO_PREFERENCE), stops it too, as exhausted.
        self.stops = np.zeros(n + 1, dtype=np.bool_)
        self.stops[self.continuing] = True
        self.stops[NO_PREFERENCE] = True
        self.position = np.zeros(rows, dtype=np.int64)
        self.current = np.full(rows, NO_PREFERENCE, dtype=np.int32)
        if self.width:
            self.current[:] = profile.prefs[:, 0]
        self._advance(np.arange(rows, dtype=np.intp))
        self.totals = self._sum(self.current, self.weights)
        self.history: list[Totals] = []
        self.rounds: list[Round] = []
        self.tie_breaks: list[TieBreak] = []

    def run(self) -> Result:
        """Count round by round until a candidate is elected."""
        self.history.append(self.totals.copy())
        winner, note = self._decide(1)
        self.rounds.append(self._round(1, "count first preferences", (), winner, note, None))
        while winner is None:
            number = len(self.rounds) + 1
            loser, why = self._lowest(number)
            previous = self.totals.copy()
            self._exclude(loser)
            self.history.append(self.totals.copy())
            winner, note = self._decide(number)
            action = f"exclude {self.names[loser]} and transfer their ballots"
            self.rounds.append(
                self._round(number, action, (loser,), winner, f"{why}; {note}", previous)
            )
        return Result(
            method="irv",
            seats=1,
            candidates=self.names,
            elected=(self.names[winner],),
            rounds=tuple(self.rounds),
            tie_breaks=tuple(self.tie_breaks),
            valid_votes=Decimal(self.profile.total_weight),
            seed=self.lot.seed,
        )

    def _decide(self, number: int) -> tuple[int | None, str]:
        """Elect the candidate with a majority, or the last one left, or say why nobody yet."""
        live = int(self.totals[self.continuing].sum())
        top = max(self.continuing, key=lambda c: int(self.totals[c]))
        if 2 * int(self.totals[top]) > live:
            return top, f"{self.names[top]} has more than half of the {live} continuing votes"
        if len(self.continuing) == 1:
            return top, f"{self.names[top]} is the only continuing candidate"
        if len(self.continuing) == 2:
            # Two left and no majority: they are level (or both at zero).
            winner, method = self._break_tie(self.continuing, number, "election", lowest=False)
            return winner, f"the last two are level; {self.names[winner]} elected by {method}"
        return None, "nobody has more than half of the continuing votes"

    def _lowest(self, number: int) -> tuple[int, str]:
        """Choose the continuing candidate to exclude, breaking a tie if there is one."""
        least = min(int(self.totals[c]) for c in self.continuing)
        tied = [c for c in self.continuing if int(self.totals[c]) == least]
        if len(tied) == 1:
            return tied[0], f"{self.names[tied[0]]} has the fewest votes ({least})"
        loser, method = self._break_tie(tied, number, "exclusion", lowest=True)
        return loser, f"{len(tied)} candidates share the fewest votes ({least}); {method}"

    def _break_tie(
        self, tied: Sequence[int], number: int, purpose: str, *, lowest: bool
    ) -> tuple[int, str]:
        """Pick among `tied` by the earliest round that separates them, then by lot; record it."""
        tie = break_tie(
            tied,
            ((f"totals at round {n}", totals) for n, totals in enumerate(self.history, start=1)),
            lowest=lowest,
            lot=self.lot,
            names=self.names,
            round_number=number,
            purpose=purpose,
        )
        self.tie_breaks.append(tie)
        return self.names.index(tie.chosen), tie.method

    def _exclude(self, loser: int) -> None:
        """Exclude `loser` and move each of their ballots to its next continuing preference."""
        self.continuing.remove(loser)
        self.stops[loser] = False
        moving = np.flatnonzero(self.current == loser)
        self._advance(moving)
        self.totals[loser] = 0
        self.totals += self._sum(self.current[moving], self.weights[moving])

    def _advance(self, rows: Rows) -> None:
        """Move each of `rows` on to its first candidate at which a ballot stops."""
        rows = rows[~self.stops[self.current[rows]]]
        while rows.size:
            self.position[rows] += 1
            at = self.position[rows]
            inside = at < self.width
            following = np.full(rows.size, NO_PREFERENCE, dtype=np.int32)
            following[inside] = self.flat[rows[inside] * self.width + at[inside]]
            self.current[rows] = following
            rows = rows[~self.stops[following]]

    def _sum(self, candidates: Preferences, weights: Totals) -> Totals:
        """Sum ballot weights by candidate, the exhausted in the last slot, exactly."""
        size = self.exhausted_slot + 1
        slots = np.where(candidates == NO_PREFERENCE, self.exhausted_slot, candidates)
        if self.exact_floats:
            return np.bincount(slots, weights=weights, minlength=size).astype(np.int64)
        totals = np.zeros(size, dtype=np.int64)
        np.add.at(totals, slots, weights)
        return totals

    def _round(
        self,
        number: int,
        action: str,
        excluded: tuple[int, ...],
        winner: int | None,
        note: str,
        previous: Totals | None,
    ) -> Round:
        """Write the stage just counted as a Round."""
        votes = {name: Decimal(int(self.totals[c])) for c, name in enumerate(self.names)}
        transfers = (
            {}
            if previous is None
            else {
                name: Decimal(int(self.totals[c]) - int(previous[c]))
                for c, name in enumerate(self.names)
            }
        )
        return Round(
            number=number,
            action=action,
            votes=votes,
            transfers=transfers,
            elected=() if winner is None else (self.names[winner],),
            excluded=tuple(self.names[c] for c in excluded),
            exhausted=Decimal(int(self.totals[self.exhausted_slot])),
            note=note,
        )
