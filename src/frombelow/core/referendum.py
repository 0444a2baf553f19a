"""A referendum's roll-up: every member votes once; each body sees its own and its subtree's result.

Implements MODEL.md section 5 (referendum, roll-up, double majority). The rule of attribution: a
member's ballot counts once in every body in whose subtree they are: in each assembly they belong
to and in each council above any of those, once, however many paths lead there. So an assembly's
result is its members' ballots, a council's is its subtree's, and the calling council's (the
federation's) counts every ballot exactly once: it is the sum of its member bodies' results less
the ballots of members who belong to more than one of them.

Double majority: the members' majority of the calling council, and a majority of all its member
bodies (strictly more than half), a member body counting "for" when its own subtree's ballots
carry the question under the statute's threshold. A member body with no ballots, or a tie, is not
"for": silence is never consent. The roll-up is vectorised over (member, assembly) rows with
NumPy (`count_distinct_in_subtrees`): the database read is separate.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from types import MappingProxyType
from typing import Literal

import numpy as np
import numpy.typing as npt

from frombelow.core.counting.result import Result
from frombelow.core.decisions import MOTION_OPTIONS, decide
from frombelow.core.errors import ReferendumError
from frombelow.core.federation import Federation, Roll, count_distinct_in_subtrees
from frombelow.core.statutes import Statute

IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True, eq=False)
class ReferendumBallots:
    """The ballots of a referendum: voter `voters[i]` chose `options[choices[i]]`, once each."""

    voters: IntArray
    choices: IntArray
    options: tuple[str, ...] = MOTION_OPTIONS

    def __post_init__(self) -> None:
        voters = np.array(self.voters, dtype=np.int64)
        choices = np.array(self.choices, dtype=np.int64)
        if voters.ndim != 1 or voters.shape != choices.shape:
            raise ReferendumError("a referendum needs one choice per voter")
        if len(set(self.options)) != len(self.options) or len(self.options) < 2:
            raise ReferendumError(
                "a referendum needs two or more distinct options: %(options)s",
                options=self.options,
            )
        if choices.size and (choices.min() < 0 or choices.max() >= len(self.options)):
            raise ReferendumError("a ballot chooses no option of the referendum")
        ordered = voters if _is_sorted(voters) else np.sort(voters)
        twice = np.flatnonzero(ordered[1:] == ordered[:-1])
        if twice.size:
            raise ReferendumError(
                "member %(member)s voted twice; a member votes once, however many "
                "assemblies they belong to",
                member=int(ordered[twice[0]]),
            )
        for array in (voters, choices):
            array.setflags(write=False)
        object.__setattr__(self, "voters", voters)
        object.__setattr__(self, "choices", choices)
        object.__setattr__(self, "options", tuple(self.options))

    @classmethod
    def from_pairs(
        cls, ballots: Iterable[tuple[int, str]], options: Sequence[str] = MOTION_OPTIONS
    ) -> ReferendumBallots:
        """Build the ballots from (member, option) pairs."""
        index = {option: i for i, option in enumerate(options)}
        voters: list[int] = []
        choices: list[int] = []
        for member, option in ballots:
            if option not in index:
                raise ReferendumError(
                    "member %(member)s chose %(option)r, not an option",
                    member=member,
                    option=option,
                )
            voters.append(member)
            choices.append(index[option])
        return cls(np.array(voters, dtype=np.int64), np.array(choices), tuple(options))


def _is_sorted(values: IntArray) -> bool:
    return values.size < 2 or bool((values[1:] >= values[:-1]).all())


@dataclass(frozen=True, eq=False)
class RollUp:
    """Every body's result in a referendum called by `council`: ballots per option and members."""

    council: str
    options: tuple[str, ...]
    bodies: tuple[str, ...]  # the council's subtree, members before councils
    # Row i is bodies[i]; the columns are the options. Derived in `roll_up`, never typed.
    counts: IntArray = field(repr=False)
    members: IntArray = field(repr=False)  # members under each body: its electorate
    _row: Mapping[str, int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "_row", MappingProxyType({b: i for i, b in enumerate(self.bodies)})
        )

    def _index(self, body: str) -> int:
        try:
            return self._row[body]
        except KeyError:
            raise ReferendumError(
                "%(body)r is not under %(council)r", body=body, council=self.council
            ) from None

    def result(self, body: str) -> Mapping[str, int]:
        """Return the ballots per option of the members under `body` (its own if an assembly)."""
        row = self.counts[self._index(body)].tolist()
        return MappingProxyType(dict(zip(self.options, row, strict=True)))

    def electorate(self, body: str) -> int:
        """Return how many members are under `body`, voting or not."""
        return int(self.members[self._index(body)])

    def voters(self, body: str) -> int:
        """Return how many members under `body` voted."""
        return int(self.counts[self._index(body)].sum())

    @property
    def total(self) -> Mapping[str, int]:
        """Return the federation's result: every ballot under the calling council, once."""
        return self.result(self.council)


def roll_up(federation: Federation, council: str, roll: Roll, ballots: ReferendumBallots) -> RollUp:
    """Roll the ballots up the federation graph under `council`, each ballot once per body."""
    if federation.body(council).kind != "council":
        raise ReferendumError(
            "%(council)r is an assembly; a referendum is called by a council", council=council
        )
    scope = federation.subtree(council)
    at, on_roll = roll.locate(ballots.voters)
    if len(scope) < len(federation.order):
        # Who may vote: every member of an assembly under the council, and no one else.
        scoped = np.zeros(len(federation.order), dtype=bool)
        scoped[[federation.index[b] for b in scope]] = True
        entitled = np.zeros(roll.people.size, dtype=bool)
        entitled[roll.person[scoped[roll.body_rows(federation)]]] = True
        on_roll &= entitled[at]
    stranger = np.flatnonzero(~on_roll)
    if stranger.size:
        raise ReferendumError(
            "member %(member)s belongs to no assembly under %(council)r on the roll of "
            "%(taken_at)s, so cannot vote in its referendum",
            member=int(ballots.voters[stranger[0]]),
            council=council,
            taken_at=roll.taken_at,
        )
    # Each person's category: their choice; those who did not vote fall in one more column.
    k = len(ballots.options)
    category = np.full(roll.people.size, k, dtype=np.int64)
    category[at] = ballots.choices
    counts = count_distinct_in_subtrees(federation, roll, category, k + 1, scope)
    rows = np.array(sorted(federation.index[b] for b in scope), dtype=np.int64)
    bodies = tuple(federation.order[i] for i in rows.tolist())
    picked = counts[rows]
    return RollUp(council, ballots.options, bodies, picked[:, :k], picked.sum(axis=1))


@dataclass(frozen=True)
class ReferendumOutcome:
    """A referendum's outcome: the members' count, and the member bodies' where required."""

    outcome: Literal["carried", "lost", "inquorate"]
    members: Result  # the majority rule's count of every ballot under the council, once
    bodies_for: tuple[str, ...]  # member bodies whose subtree carried the question
    member_bodies: int
    double_majority: bool  # whether the statute required it
    note: str


def decide_referendum(
    federation: Federation, rollup: RollUp, statute: Statute
) -> ReferendumOutcome:
    """Decide a yes / no referendum under the calling council's statute."""
    if set(rollup.options) != set(MOTION_OPTIONS):
        raise ReferendumError("only a yes / no / abstain referendum is decided by majority")
    council = rollup.council
    members = decide(
        rollup.total,
        electorate=rollup.electorate(council),
        quorum=statute.quorum,
        threshold=statute.threshold,
    )
    member_bodies = federation.member_bodies(council)
    bodies_for = tuple(
        body
        for body in member_bodies
        if rollup.voters(body)
        and decide(
            rollup.result(body),
            electorate=rollup.electorate(body),
            quorum=Fraction(0),
            threshold=statute.threshold,
        ).outcome
        == "carried"
    )
    by_bodies = 2 * len(bodies_for) > len(member_bodies)
    outcome: Literal["carried", "lost", "inquorate"]
    if members.outcome == "inquorate":
        outcome = "inquorate"
    elif members.outcome == "carried" and (by_bodies or not statute.double_majority):
        outcome = "carried"
    else:
        outcome = "lost"
    note = members.rounds[0].note if members.rounds else members.outcome
    if statute.double_majority and members.outcome != "inquorate":
        note += (
            f"; member bodies for: {len(bodies_for)} of {len(member_bodies)}, "
            f"{'a' if by_bodies else 'not a'} majority of member bodies"
        )
    return ReferendumOutcome(
        outcome, members, bodies_for, len(member_bodies), statute.double_majority, note
    )
