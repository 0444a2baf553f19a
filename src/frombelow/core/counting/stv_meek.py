"""Meek STV as New Zealand counts it: Local Electoral Regulations 2001, Schedule 1A, Part 1.

Source: the New Zealand Local Electoral Regulations 2001 (SR 2001/145), Schedule 1A ("New Zealand
method of counting single transferable votes", inserted by SR 2003/391), Part 1 (multi-member
vacancies), clauses 3 to 23, with Part 3 (clause 38: withdrawn candidates are passed over) and
Part 5 (clause 40: the "ahead at first difference" tie-break). Each step of the count is one
iteration of Meek's method, in the schedule's arithmetic:

* clauses 5 and 11: quota q = (v - vnt) / (n + 1) + 0.000000001, truncated to 9 places;
* clauses 6 and 12: a hopeful candidate whose votes equal or exceed the quota becomes successful;
* clauses 7 and 17: a successful candidate's keep value becomes q x kc / vc, the product q x kc
  and the quotient each rounded up at the 9th place (clause 7 is clause 17 with kc = 1);
  hopeful candidates keep 1 (clause 8), withdrawn and excluded ones 0 (clauses 9 and 16);
* clause 10: each voting document gives its m-th preference (1 - k1) x ... x (1 - km-1) x km,
  multiplied from left to right, every product rounded up at the 9th place;
* clauses 13 and 14: the hopeful candidate with the fewest votes is excluded when their votes plus
  the total surplus are less than every other hopeful candidate's votes, or when the total
  surplus is less than 0.0001;
* clause 3: counting is complete when the successful candidates fill the vacancies, or when the
  successful and hopeful candidates together number no more than the vacancies (the hopeful then
  become successful; fewer than the vacancies leaves seats empty, clause 21);
* clause 20: a candidate for whom no ballot expresses any preference is withdrawn at the start;
* clause 23: a stable state, in which further iterations would elect or exclude nobody, excludes
  the candidate with the fewest votes; it is found exactly, as keep values repeating;
* clauses 19 and 40: a tie for exclusion goes to the candidate(s) behind at the earliest step at
  which the tied candidates' votes differed; if that leaves more than one, one of them is drawn by
  lot (`Lot`, seeded and recorded) instead of by the schedule's pseudo-random numbers (clauses 41
  to 48), as every lot in frombelow is drawn.

Where the schedule leaves a choice, this module takes these readings:

* vnt, the non-transferable votes, is v less the votes credited to candidates. Because clause 10
  rounds both a candidate's share and the value passed on upwards, a voting document can give
  out a few billionths more than its one vote; counting that gain against vnt keeps the quota at
  a (n + 1)-th of the votes actually held, so that no more candidates than vacancies can reach it.
  `Round.exhausted` reports the value left on exhausted documents and `Round.loss` the (negative)
  difference the rounding made.
* One seat is counted by Part 1 as well; the schedule counts a single vacancy by Part 2, which is
  instant runoff on whole votes (frombelow's `irv`).
* If more hopeful candidates reach the quota at once than seats remain (which the schedule does
  not foresee and the reading of vnt above makes all but impossible), those with the most votes
  are elected, a tie at the cut broken as clause 19 breaks a tie for exclusion.

Values are exact integers in units of 10^-9 (the schedule's 9 places) in NumPy int64 arrays over
ballot rows, and are reported as `Decimal` with 9 places.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from enum import Enum

import numpy as np

from frombelow.core.ballots.profile import NO_PREFERENCE, Profile
from frombelow.core.counting.lot import Lot
from frombelow.core.counting.result import Result, Round, TieBreak
from frombelow.core.counting.rule import CountError, CountOptions, Rule
from frombelow.core.counting.ties import break_tie

PLACES = 9
SCALE = 10**PLACES  # one vote, in units of 10^-9
EPSILON = 1  # clause 5's 0.000000001, in units
SURPLUS_TOLERANCE = 10**5  # clause 13's 0.0001, in units
_INT64_SAFE = 2**62
_MAX_STEPS = 100_000  # far beyond any count; a guard against a count that would never end


class Status(Enum):
    """Where a candidate stands in the count (clauses 4, 6, 9, 13)."""

    HOPEFUL = "hopeful"
    SUCCESSFUL = "successful"
    EXCLUDED = "excluded"
    WITHDRAWN = "withdrawn"


def count(profile: Profile, options: CountOptions) -> Result:
    """Count `profile` by Meek STV under the New Zealand schedule."""
    if options.seats < 1:
        raise CountError(f"stv-meek needs at least one seat to fill, not {options.seats}")
    profile.require_strict("stv-meek")
    return _Count(profile, options.seats, Lot(options.seed)).run()


RULE = Rule(
    name="stv-meek",
    summary="Meek STV: keep values iterated until surpluses settle, quota from votes still held.",
    source="NZ Local Electoral Regulations 2001, Schedule 1A, Part 1 (clauses 3-23) with "
    "clauses 38 and 40, in 9-place arithmetic; lots from a recorded seed",
    count=count,
)


def as_decimal(units: int) -> Decimal:
    """Write a value held in units of 10^-9 as a Decimal with 9 places."""
    return Decimal(units).scaleb(-PLACES)


def _text(units: int) -> str:
    """Write a value held in units of 10^-9 with its 9 places, for notes."""
    return f"{as_decimal(units):f}"


def _ceil_div(numerator: int, denominator: int) -> int:
    """Divide and round up, as the schedule rounds products and quotients."""
    return -(-numerator // denominator)


class _Count:
    """One Meek count: candidates' status and keep values, and the steps counted so far."""

    def __init__(self, profile: Profile, seats: int, lot: Lot) -> None:
        self.names = profile.candidates
        self.seats = seats
        self.lot = lot
        self.prefs = profile.prefs
        self.weights = profile.weights
        self.valid = profile.total_weight  # v: every ballot is a valid voting document
        if self.weights.size and (
            int(self.weights.max()) * self.weights.size >= _INT64_SAFE // SCALE
        ):
            raise CountError("the ballots' weights are too large for stv-meek to count exactly")
        n = len(self.names)
        self.status = [
            Status.WITHDRAWN if c in profile.withdrawn else Status.HOPEFUL for c in range(n)
        ]
        if Status.HOPEFUL not in self.status:
            raise CountError("stv-meek has no candidate to elect: every candidate has withdrawn")
        # Clause 20: nobody can ever vote for a candidate that no ballot mentions.
        cast = self.prefs[self.weights > 0]
        mentioned = np.zeros(n, dtype=np.bool_)
        mentioned[cast[cast != NO_PREFERENCE]] = True
        self.unmentioned = [
            c for c in range(n) if self.status[c] is Status.HOPEFUL and not mentioned[c]
        ]
        for c in self.unmentioned:
            self.status[c] = Status.WITHDRAWN
        # keep[c] in units; one extra slot, reached by NO_PREFERENCE (-1), keeps nothing.
        self.keep = np.zeros(n + 1, dtype=np.int64)
        self.votes: list[int] = [0] * n
        self.quota = 0
        self.untransferred = 0
        self.step = 0
        self.history: list[list[int]] = []  # every step's votes, for clause 40
        self.elected: list[int] = []
        self.rounds: list[Round] = []
        self.tie_breaks: list[TieBreak] = []
        self.recorded: list[int] = []  # the votes of the last recorded round, for transfers

    def run(self) -> Result:
        """Count step by step until the vacancies are filled (clause 3)."""
        self._set_keeps()
        self._count_step()
        elected = self._elect_by_quota("first preferences equal or exceed the quota (clause 6)")
        notes = [*elected.values()]
        if self.unmentioned:
            names = ", ".join(self.names[c] for c in self.unmentioned)
            notes.append(f"{names} withdrawn: no ballot gives them a preference (clause 20)")
        complete = self._complete(elected, notes)
        action = "; ".join(["count first preferences", *map(self._describe_elected, elected)])
        self._record(action, list(elected), [], notes)
        # The keep values each step began with since the last election or exclusion: the count
        # is a function of them, so meeting one again means a stable state (clause 23).
        seen: set[bytes] = set()
        while not complete:
            if self.step >= _MAX_STEPS:
                raise CountError(f"stv-meek did not finish within {_MAX_STEPS} steps")
            used = self.keep.copy()
            self._set_keeps()
            if self.keep.tobytes() in seen:
                self.keep = used  # the keep values of the step whose state was stable
                complete = self._settle_stable_state()
                seen.clear()
                if complete:
                    break
                self._set_keeps()
            seen.add(self.keep.tobytes())
            self._count_step()
            elected = self._elect_by_quota("votes equal or exceed the quota (clause 12)")
            excluded: list[int] = []
            notes = [*elected.values()]
            complete = len(self.elected) >= self.seats
            if not complete:
                why = self._exclusion_due()
                if why is not None:
                    loser, how = self._lowest_hopeful(why)
                    self._exclude(loser)
                    excluded.append(loser)
                    notes.append(how)
                complete = self._complete(elected, notes)
            if elected or excluded or complete:
                action = self._describe(list(elected), excluded)
                self._record(action, list(elected), excluded, notes)
                seen.clear()
        return Result(
            method="stv-meek",
            seats=self.seats,
            candidates=self.names,
            elected=tuple(self.names[c] for c in self.elected),
            rounds=tuple(self.rounds),
            tie_breaks=tuple(self.tie_breaks),
            quota=self.rounds[0].quota,
            valid_votes=Decimal(self.valid),
            seed=self.lot.seed,
            details={"steps": str(self.step)},
        )

    # -- The arithmetic of one step -------------------------------------------------------------

    def _set_keeps(self) -> None:
        """Give every candidate the keep value for the next step (clauses 7 to 9, 16, 17)."""
        for c, status in enumerate(self.status):
            if status is Status.HOPEFUL:
                self.keep[c] = SCALE
            elif status is Status.SUCCESSFUL:
                # Clause 17: (q x kc) rounded up, divided by vc, rounded up; with the hopeful's
                # kc = 1 of a candidate just successful, this is clause 7's q / vc.
                product = _ceil_div(self.quota * int(self.keep[c]), SCALE)
                if self.votes[c] > 0:  # always, as vc reached the quota; a guard all the same
                    self.keep[c] = _ceil_div(product * SCALE, self.votes[c])
            else:
                self.keep[c] = 0

    def _count_step(self) -> None:
        """Allocate every ballot's value by the keep values, then find the quota (10, 11)."""
        self.step += 1
        rows, width = self.prefs.shape
        value = np.full(rows, SCALE, dtype=np.int64)  # each document's value still to allocate
        credited = np.zeros(len(self.names) + 1, dtype=np.int64)
        live = np.arange(rows, dtype=np.intp)
        for j in range(width):
            if not live.size:
                break
            candidate = self.prefs[live, j]
            keep = self.keep[candidate]
            carried = value[live]
            # Clause 10: every product rounded up at the 9th place, from left to right.
            share = (carried * keep + (SCALE - 1)) // SCALE
            passed = (carried * (SCALE - keep) + (SCALE - 1)) // SCALE
            np.add.at(credited, candidate, share * self.weights[live])
            value[live] = passed
            live = live[(passed > 0) & (candidate != NO_PREFERENCE)]
        self.votes = [int(v) for v in credited[:-1]]
        self.untransferred = int((value * self.weights).sum())
        held = sum(self.votes)
        # Clause 11, with vnt = v - held (see the module docstring), truncated, plus 10^-9.
        self.quota = held // (self.seats + 1) + EPSILON
        self.history.append(list(self.votes))

    # -- Elections and exclusions ---------------------------------------------------------------

    def _elect_by_quota(self, why: str) -> dict[int, str]:
        """Make successful every hopeful candidate at or above the quota, most votes first."""
        reached = [
            c
            for c, status in enumerate(self.status)
            if status is Status.HOPEFUL and self.votes[c] >= self.quota
        ]
        reached.sort(key=lambda c: (-self.votes[c], c))
        room = self.seats - len(self.elected)
        if len(reached) > room:
            reached = self._most_votes(reached, room)
        for c in reached:
            self.status[c] = Status.SUCCESSFUL
            self.elected.append(c)
        quota = _text(self.quota)
        return {c: f"{self.names[c]}: {_text(self.votes[c])} >= {quota}; {why}" for c in reached}

    def _most_votes(self, reached: list[int], room: int) -> list[int]:
        """Keep the `room` candidates with the most votes, breaking a tie at the cut."""
        cut = self.votes[reached[room - 1]] if room else None
        chosen = [c for c in reached if cut is not None and self.votes[c] > cut]
        level = [c for c in reached if self.votes[c] == cut]
        while len(chosen) < room:
            pick, _ = self._break_tie(level, "election", lowest=False)
            chosen.append(pick)
            level.remove(pick)
        return chosen

    def _complete(self, elected: dict[int, str], notes: list[str]) -> bool:
        """Tell whether counting is complete, electing the hopeful who fill the seats (clause 3)."""
        if len(self.elected) >= self.seats:
            return True
        hopeful = [c for c, s in enumerate(self.status) if s is Status.HOPEFUL]
        if len(self.elected) + len(hopeful) > self.seats:
            return False
        hopeful.sort(key=lambda c: (-self.votes[c], c))
        for c in hopeful:
            self.status[c] = Status.SUCCESSFUL
            self.elected.append(c)
            elected[c] = f"{self.names[c]}: one of the hopeful candidates left for the seats left"
        if hopeful:
            names = ", ".join(self.names[c] for c in hopeful)
            notes.append(
                f"{names}: the successful and hopeful candidates fill the vacancies (clause 3)"
            )
        if len(self.elected) < self.seats:
            notes.append(
                f"{self.seats - len(self.elected)} seat(s) left vacant: too few candidates "
                "with votes (clause 21)"
            )
        return True

    def _surplus(self) -> int:
        """Sum the successful candidates' votes in excess of the quota (clause 14)."""
        return sum(
            max(0, self.votes[c] - self.quota)
            for c, status in enumerate(self.status)
            if status is Status.SUCCESSFUL
        )

    def _exclusion_due(self) -> str | None:
        """Say why clause 13 excludes the lowest hopeful candidate now, or None if it does not."""
        surplus = self._surplus()
        ordered = sorted(
            self.votes[c] for c, status in enumerate(self.status) if status is Status.HOPEFUL
        )
        if surplus < SURPLUS_TOLERANCE:
            return f"total surplus {_text(surplus)} is less than 0.0001 (clause 13)"
        if len(ordered) > 1 and ordered[0] + surplus < ordered[1]:
            return (
                f"fewest votes plus the total surplus {_text(surplus)} are less than any "
                "other hopeful candidate's votes (clause 13)"
            )
        return None

    def _settle_stable_state(self) -> bool:
        """Exclude the lowest candidate of a stable state (clause 23); tell if counting is done."""
        loser, how = self._lowest_hopeful(
            "a stable state: further iterations would elect or exclude nobody (clause 23)"
        )
        self._exclude(loser)
        notes = [how]
        elected: dict[int, str] = {}
        complete = self._complete(elected, notes)
        self._record(self._describe(list(elected), [loser]), list(elected), [loser], notes)
        return complete

    def _lowest_hopeful(self, why: str) -> tuple[int, str]:
        """Choose the hopeful candidate with the fewest votes, breaking a tie (clause 19)."""
        hopeful = [c for c, s in enumerate(self.status) if s is Status.HOPEFUL]
        least = min(self.votes[c] for c in hopeful)
        tied = [c for c in hopeful if self.votes[c] == least]
        loser, method = (tied[0], "") if len(tied) == 1 else self._break_tie(tied, "exclusion")
        how = f"{self.names[loser]} excluded with the fewest votes, {_text(least)}: {why}"
        return loser, f"{how}; tie broken by {method}" if method else how

    def _exclude(self, loser: int) -> None:
        """Exclude a candidate: their keep value becomes 0 from the next step (clause 16)."""
        self.status[loser] = Status.EXCLUDED
        self.keep[loser] = 0

    def _break_tie(
        self, tied: Sequence[int], purpose: str, *, lowest: bool = True
    ) -> tuple[int, str]:
        """Pick among `tied` by who was behind at the first step that differed, then by lot."""
        # Clause 40 looks at the earliest differing step once; what it leaves goes to lot.
        steps = enumerate(self.history, start=1)
        tie = break_tie(
            tied,
            ((f"votes at step {n} (ahead at first difference, clause 40)", v) for n, v in steps),
            lowest=lowest,
            lot=self.lot,
            names=self.names,
            round_number=len(self.rounds) + 1,
            purpose=purpose,
            narrow_once=True,
        )
        self.tie_breaks.append(tie)
        return self.names.index(tie.chosen), tie.method

    # -- The record -----------------------------------------------------------------------------

    def _describe(self, elected: list[int], excluded: list[int]) -> str:
        """Say what a step did, as a returning officer would."""
        parts = [f"exclude {self.names[c]}" for c in excluded]
        parts += map(self._describe_elected, elected)
        return "; ".join(parts)

    def _describe_elected(self, candidate: int) -> str:
        """Say that a candidate is elected."""
        return f"elect {self.names[candidate]}"

    def _record(
        self, action: str, elected: list[int], excluded: list[int], notes: list[str]
    ) -> None:
        """Record the step just counted as a Round, with every candidate's votes and keep value."""
        kept = ", ".join(
            f"{self.names[c]} {_text(int(self.keep[c]))}"
            for c, status in enumerate(self.status)
            if status is Status.SUCCESSFUL and c not in elected
        )
        if kept:
            notes = [*notes, f"keep values used: {kept}"]
        held = sum(self.votes)
        self.rounds.append(
            Round(
                number=len(self.rounds) + 1,
                action=f"step {self.step}: {action}",
                votes={name: as_decimal(self.votes[c]) for c, name in enumerate(self.names)},
                transfers=(
                    {
                        name: as_decimal(self.votes[c] - self.recorded[c])
                        for c, name in enumerate(self.names)
                    }
                    if self.rounds
                    else {}
                ),
                elected=tuple(self.names[c] for c in elected),
                excluded=tuple(self.names[c] for c in excluded),
                exhausted=as_decimal(self.untransferred),
                loss=as_decimal(self.valid * SCALE - held - self.untransferred),
                quota=as_decimal(self.quota),
                note="; ".join(notes),
            )
        )
        self.recorded = list(self.votes)
