"""Scottish STV: the count of the Scottish Local Government Elections Order 2007.

Source: The Scottish Local Government Elections Order 2007 (SSI 2007/42), Schedule 1 (the
election rules), rules 45 to 52, counted as Droop v0.11 counts its rule "Scottish STV"
(jklundell/droop, `droop/rules/scotland.py`, with `droop/values/fixed.py` at 5 places), which
made the reference counts our golden tests compare against. Every value is a whole number of
hundred-thousandths of a vote, so each truncation is exact:

* rule 45: each valid ballot paper counts one vote for its first preference; a paper is valid
  when it names a candidate who has not withdrawn (withdrawn candidates are passed over as if
  they were not on the paper);
* rule 46: the quota is the number of valid papers divided by one more than the seats, ignoring
  the remainder, plus one;
* rule 47: a candidate whose votes equal or exceed the quota at the end of a stage is elected;
* rule 48: a surplus is transferred by moving every paper of the elected candidate to its next
  continuing preference (or to the non-transferable papers) at the transfer value surplus x the
  paper's value / the candidate's total, truncated to 5 places for each paper; the candidate keeps
  exactly the quota, and what the truncation drops is recorded as the loss;
* rule 49: the largest surplus is transferred first; equal surpluses are ordered by the totals at
  the most recent preceding stage at which the tied candidates were unequal, highest first, and
  then by lot;
* rule 50: when no surplus is left, the candidate with the fewest votes is excluded and each of
  their papers moves on at its current value;
* rule 51: a tie for exclusion goes to the lowest at the most recent preceding stage at which the
  tied candidates were unequal, then by lot;
* rule 52: when the continuing candidates are no more than the vacancies left, they are elected and
  no further transfer is made.

As in Droop, a tie among three or more candidates is narrowed stage by stage, most recent first,
keeping only those at the extreme of each stage, until one is left; a lot (`Lot`, seeded and
recorded) draws among those left after the first stage. Candidates elected at the same stage are
listed by their totals, highest first, equal totals by the most recent stage that separates them
(as rule 49 orders their surpluses), then in candidate order. A candidate elected with exactly the
quota has no surplus and no transfer (Droop makes a stage that moves nothing).

Ballot rows are NumPy arrays: a stage moves only the rows held by the candidate being transferred,
finding each row's next continuing preference with array operations. Values are int64 while the
largest product (a paper's value times a surplus) fits, and Python integers in object arrays
beyond, so no weight is too large to count exactly.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import numpy as np
import numpy.typing as npt

from frombelow.core.ballots.profile import NO_PREFERENCE, Profile
from frombelow.core.counting.lot import Lot
from frombelow.core.counting.result import Result, Round, TieBreak
from frombelow.core.counting.rule import CountError, CountOptions, Rule
from frombelow.core.counting.ties import break_tie

NAME = "stv-scottish"
PLACES = 5
SCALE = 10**PLACES  # one vote, in the units every value is kept in [48(3)]

# Values are int64 while a paper's value (at most SCALE) times a surplus (at most all the valid
# votes, in units) fits; beyond that, object arrays of Python integers keep them exact.
_INT64_MAX = 2**63 - 1

Values = npt.NDArray[Any]  # int64, or object holding Python ints
Rows = npt.NDArray[np.intp]
Candidates = npt.NDArray[np.signedinteger[Any]]  # candidate indices, in the smallest int type


def count(profile: Profile, options: CountOptions) -> Result:
    """Count `profile` under the Scottish STV rules for `options.seats` seats."""
    profile.require_strict(NAME)
    if options.seats < 1:
        raise CountError(f"{NAME} needs at least one seat to fill, not {options.seats}")
    if len(profile.withdrawn) == len(profile.candidates):
        raise CountError(f"{NAME} has no candidate to elect: every candidate has withdrawn")
    return _Count(profile, options.seats, Lot(options.seed)).run()


RULE = Rule(
    name=NAME,
    summary="Scottish STV: Droop quota, weighted inclusive Gregory transfers truncated to "
    "5 decimal places, exclusion of the lowest.",
    source="The Scottish Local Government Elections Order 2007 (SSI 2007/42), Schedule 1, "
    "rules 45-52, as counted by Droop v0.11 (Scottish STV), with lots from a recorded seed",
    count=count,
)


def as_votes(units: int) -> Decimal:
    """Write a value kept in units of 10^-5 as a Decimal with five places."""
    sign = "-" if units < 0 else ""
    whole, part = divmod(abs(units), SCALE)
    return Decimal(f"{sign}{whole}.{part:0{PLACES}d}")


class _Count:
    """One count in progress: where each ballot row stands, its value, and every total."""

    def __init__(self, profile: Profile, seats: int, lot: Lot) -> None:
        self.names = profile.candidates
        self.seats = seats
        self.lot = lot
        n = len(self.names)
        self.hopeful = [c for c in range(n) if c not in profile.withdrawn]
        self.elected: list[int] = []
        self.pending: list[int] = []  # elected with a surplus not yet transferred
        # stops[c]: a paper stops at c because c is continuing; stops[NO_PREFERENCE], the last
        # slot, stops a paper at its end, as non-transferable.
        self.stops = np.zeros(n + 1, dtype=np.bool_)
        self.stops[self.hopeful] = True
        self.stops[NO_PREFERENCE] = True

        rows, width = profile.prefs.shape
        # The preferences as one flat array with a NO_PREFERENCE after each row's last, so that a
        # paper's place is one index (its cursor) and its end needs no bounds test.
        small: type[np.signedinteger[Any]] = (
            np.int8 if n < 2**7 else np.int16 if n < 2**15 else np.int32
        )
        padded = np.full((rows, width + 1), NO_PREFERENCE, dtype=small)
        padded[:, :width] = profile.prefs
        self.flat: Candidates = padded.reshape(-1)
        self.cursor = np.arange(rows, dtype=np.intp) * (width + 1) - 1  # before the first
        self.holder: Candidates = np.full(rows, NO_PREFERENCE, dtype=small)
        self._advance(np.arange(rows, dtype=np.intp))
        valid = self.holder != NO_PREFERENCE
        if not valid.all():  # papers naming no continuing candidate are not valid votes [45]
            self.cursor = self.cursor[valid]
            self.holder = self.holder[valid]
        weights = profile.weights[valid]

        self.valid_votes = _exact_sum(weights)
        self.quota = (self.valid_votes // (seats + 1) + 1) * SCALE  # [46]
        exact = self.valid_votes * SCALE * SCALE > _INT64_MAX
        self.dtype: type[Any] = object if exact else np.int64
        self.weights: Values = weights.astype(self.dtype)
        self.value: Values = np.full(len(weights), SCALE, dtype=self.dtype)  # per paper
        self.totals: Values = np.zeros(n, dtype=self.dtype)
        self.non_transferable = 0
        self.loss = 0
        self.history: list[Values] = []  # the totals at the end of each stage
        self.rounds: list[Round] = []
        self.tie_breaks: list[TieBreak] = []
        self.order: list[int] = []  # the elected, in order of election

    def run(self) -> Result:
        """Count stage by stage until every seat is filled or rule 52 fills the rest."""
        self.totals = self._sum_by_candidate(self.holder, self.weights * SCALE)  # [45]
        self._close_stage("count first preferences", (), "", None)
        while not self._is_complete():
            previous = self.totals.copy()
            if self.pending:
                self._transfer_surplus(previous)
            else:
                self._exclude_lowest(previous)
        if self.hopeful and len(self.elected) < self.seats:
            self._elect_remaining()
        return Result(
            method=NAME,
            seats=self.seats,
            candidates=self.names,
            elected=tuple(self.names[c] for c in self.order),
            rounds=tuple(self.rounds),
            tie_breaks=tuple(self.tie_breaks),
            quota=as_votes(self.quota),
            valid_votes=as_votes(self.valid_votes * SCALE),
            seed=self.lot.seed,
        )

    def _is_complete(self) -> bool:
        """Tell whether every seat is filled or the continuing candidates fill the rest [52]."""
        left = self.seats - len(self.elected)
        return left <= 0 or len(self.hopeful) <= left

    def _transfer_surplus(self, previous: Values) -> None:
        """Transfer the largest surplus: every paper, at its transfer value [48, 49]."""
        number = len(self.rounds) + 1
        high = max(int(self.totals[c]) for c in self.pending)
        tied = [c for c in self.pending if int(self.totals[c]) == high]
        chosen, how = self._break_tie(tied, number, "surplus order", lowest=False)
        self.pending.remove(chosen)
        surplus = high - self.quota
        rows = np.flatnonzero(self.holder == chosen)
        # [48(3)]: surplus x the paper's value / the candidate's total, to 5 places, truncated.
        self.value.put(rows, self.value.take(rows) * surplus // high)
        moved = self._move(rows)
        self.totals[chosen] = self.quota
        self.loss += surplus - moved
        note = f"largest surplus, {as_votes(surplus)}" + (f" ({how})" if how else "")
        self._close_stage(f"transfer the surplus of {self.names[chosen]}", (), note, previous)

    def _exclude_lowest(self, previous: Values) -> None:
        """Exclude the candidate with the fewest votes and move their papers on [50, 51]."""
        number = len(self.rounds) + 1
        low = min(int(self.totals[c]) for c in self.hopeful)
        tied = [c for c in self.hopeful if int(self.totals[c]) == low]
        chosen, how = self._break_tie(tied, number, "exclusion", lowest=True)
        self.hopeful.remove(chosen)
        self.stops[chosen] = False
        self._move(np.flatnonzero(self.holder == chosen))
        self.totals[chosen] = 0
        note = f"fewest votes, {as_votes(low)}" + (f" ({how})" if how else "")
        action = f"exclude {self.names[chosen]} and transfer their ballot papers"
        self._close_stage(action, (chosen,), note, previous)

    def _elect_remaining(self) -> None:
        """Elect the continuing candidates, no more than the vacancies left [52]."""
        chosen = sorted(self.hopeful, key=self._standing)
        self.hopeful.clear()
        self.elected.extend(chosen)
        self.order.extend(chosen)
        self.rounds.append(
            self._round(
                "elect the remaining candidates",
                chosen,
                (),
                "the continuing candidates are no more than the vacancies left (rule 52)",
                self.totals.copy(),
            )
        )

    def _close_stage(
        self, action: str, excluded: tuple[int, ...], note: str, previous: Values | None
    ) -> None:
        """Elect whoever reached the quota [47] and record the stage."""
        self.history.append(self.totals.copy())
        reached = sorted(
            (c for c in self.hopeful if int(self.totals[c]) >= self.quota), key=self._standing
        )
        for c in reached:
            self.hopeful.remove(c)
            self.stops[c] = False
            self.elected.append(c)
            self.order.append(c)
            if int(self.totals[c]) > self.quota:
                self.pending.append(c)
        if reached:
            names = ", ".join(self.names[c] for c in reached)
            note = f"{note}; {names} reached the quota" if note else f"{names} reached the quota"
        self.rounds.append(self._round(action, reached, excluded, note, previous))

    def _standing(self, candidate: int) -> tuple[int, ...]:
        """Order candidates elected together: highest total first, ties by earlier stages."""
        return (*(-int(totals[candidate]) for totals in reversed(self.history)), candidate)

    def _break_tie(
        self, tied: Sequence[int], number: int, purpose: str, *, lowest: bool
    ) -> tuple[int, str]:
        """Pick among `tied` by the most recent stage that separates them, then by lot [49, 51]."""
        if len(tied) == 1:
            return tied[0], ""
        # The last entry is the stage just ended, at which they are tied; look before it.
        earlier = range(len(self.history) - 1, 0, -1)
        tie = break_tie(
            tied,
            ((f"totals at stage {stage}", self.history[stage - 1]) for stage in earlier),
            lowest=lowest,
            lot=self.lot,
            names=self.names,
            round_number=number,
            purpose=purpose,
        )
        self.tie_breaks.append(tie)
        return self.names.index(tie.chosen), f"tie broken by {tie.method}"

    def _move(self, rows: Rows) -> int:
        """Move `rows` on to their next continuing preferences; return the votes they carry."""
        self._advance(rows)
        holder = self.holder.take(rows)
        votes = self.value.take(rows) * self.weights.take(rows)
        self.non_transferable += int(votes.compress(holder == NO_PREFERENCE).sum())
        self.totals += self._sum_by_candidate(holder, votes)
        return int(votes.sum())

    def _advance(self, rows: Rows) -> None:
        """Move each of `rows` on to its next preference at which a paper stops."""
        # take, compress and put: several times faster than fancy indexing on NumPy 2.
        cursor = self.cursor.take(rows)
        while rows.size:
            cursor += 1
            following = self.flat.take(cursor)
            stopped = self.stops.take(following)
            if stopped.all():  # the usual case: one step reaches a continuing candidate
                self.cursor.put(rows, cursor)
                self.holder.put(rows, following)
                return
            self.cursor.put(rows.compress(stopped), cursor.compress(stopped))
            self.holder.put(rows.compress(stopped), following.compress(stopped))
            going = ~stopped
            rows = rows.compress(going)
            cursor = cursor.compress(going)

    def _sum_by_candidate(self, holder: Candidates, votes: Values) -> Values:
        """Sum `votes` by the candidate holding them, leaving out the non-transferable, exactly."""
        totals = np.zeros(len(self.names) + 1, dtype=self.dtype)
        np.add.at(totals, holder, votes)  # NO_PREFERENCE (-1) lands in the spare last slot
        return totals[:-1]

    def _round(
        self,
        action: str,
        elected: Sequence[int],
        excluded: Sequence[int],
        note: str,
        previous: Values | None,
    ) -> Round:
        """Write the stage just counted as a Round."""
        votes = {name: as_votes(int(self.totals[c])) for c, name in enumerate(self.names)}
        transfers = (
            {}
            if previous is None
            else {
                name: as_votes(int(self.totals[c]) - int(previous[c]))
                for c, name in enumerate(self.names)
            }
        )
        return Round(
            number=len(self.rounds) + 1,
            action=action,
            votes=votes,
            transfers=transfers,
            elected=tuple(self.names[c] for c in elected),
            excluded=tuple(self.names[c] for c in excluded),
            exhausted=as_votes(self.non_transferable),
            loss=as_votes(self.loss),
            quota=as_votes(self.quota),
            note=note,
        )


def _exact_sum(weights: npt.NDArray[np.int64]) -> int:
    """Add up the weights exactly, in Python integers where int64 could overflow."""
    if not weights.size:
        return 0
    if int(weights.max()) * weights.size <= _INT64_MAX:
        return int(weights.sum())
    return sum(weights.tolist())
