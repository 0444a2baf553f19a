"""The federation graph of bodies, the membership roll, and the weights computed from it.

Implements MODEL.md section 1 (bodies, the federation graph as a DAG, free association) and
section 2 (weight: computed from the roll when a session or vote opens, recorded as a snapshot,
never typed by hand). A membership is an edge from a member body up to a council.

Weights under a council's statute: "per-path" sums its member bodies' weights, so a member reached
through two member bodies counts twice; "once" counts each person in its subtree once. Counting
once needs the member sets, not just the counts; `count_distinct_in_subtrees` does it in NumPy,
splitting members in one assembly (the many, handled by integer sums) from members in several
(the few, whose sets are merged up the topological order).
"""

from __future__ import annotations

import heapq
from collections import deque
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from types import MappingProxyType
from typing import Literal

import numpy as np
import numpy.typing as npt

from frombelow.core.errors import CycleError, FederationError, UnknownBodyError
from frombelow.core.statutes import Statute

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
BodyKind = Literal["assembly", "council"]


@dataclass(frozen=True)
class Body:
    """An organ of self-organisation: an assembly of members or a council of member bodies."""

    id: str
    kind: BodyKind
    name: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not self.id:
            raise FederationError("a body needs a non-empty id, not %(id)r", id=self.id)
        if self.kind not in ("assembly", "council"):
            raise FederationError(
                "body %(id)r is an 'assembly' or a 'council', not %(kind)r",
                id=self.id,
                kind=self.kind,
            )


@dataclass(frozen=True, eq=False)
class Federation:
    """Bodies and memberships (member body -> council), refused if they would make a cycle."""

    bodies: Mapping[str, Body]
    memberships: frozenset[tuple[str, str]]
    # Derived once: members before their councils, ties in id order (so the order is reproducible).
    order: tuple[str, ...] = field(init=False, repr=False)
    _members: Mapping[str, tuple[str, ...]] = field(init=False, repr=False)
    _councils: Mapping[str, tuple[str, ...]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        bodies = MappingProxyType(dict(self.bodies))
        for key, body in bodies.items():
            if key != body.id:
                raise FederationError(
                    "body %(id)r is filed under another id, %(key)r", id=body.id, key=key
                )
        members: dict[str, list[str]] = {body: [] for body in bodies}
        councils: dict[str, list[str]] = {body: [] for body in bodies}
        refused: list[tuple[str, str]] = []
        for member, council in self.memberships:
            if (
                member not in bodies
                or council not in bodies
                or bodies[council].kind != "council"
                or member == council
            ):
                refused.append((member, council))
                continue
            members[council].append(member)
            councils[member].append(council)
        if refused:
            # Name the first in id order, so that the same graph always gets the same answer.
            self._refuse(*min(refused), bodies)
        object.__setattr__(self, "bodies", bodies)
        object.__setattr__(self, "memberships", frozenset(self.memberships))
        object.__setattr__(self, "_members", {b: tuple(sorted(m)) for b, m in members.items()})
        object.__setattr__(self, "_councils", {b: tuple(sorted(c)) for b, c in councils.items()})
        object.__setattr__(self, "order", self._topological_order())

    @staticmethod
    def _refuse(member: str, council: str, bodies: Mapping[str, Body]) -> None:
        """Say why the membership `member` -> `council` cannot be."""
        for end in (member, council):
            if end not in bodies:
                raise UnknownBodyError(
                    "membership %(member)r -> %(council)r: no body %(end)r in the federation",
                    member=member,
                    council=council,
                    end=end,
                )
        if bodies[council].kind != "council":
            raise FederationError(
                "%(member)r cannot be a member body of %(council)r: only a council has member "
                "bodies, and it is an assembly",
                member=member,
                council=council,
            )
        raise CycleError(
            "%(member)r cannot be a member body of itself", cycle=(member, member), member=member
        )

    @classmethod
    def of(cls, bodies: Iterable[Body], memberships: Iterable[tuple[str, str]] = ()) -> Federation:
        """Build a federation from bodies and (member body, council) pairs."""
        table: dict[str, Body] = {}
        for body in bodies:
            if body.id in table:
                raise FederationError("two bodies have the id %(id)r", id=body.id)
            table[body.id] = body
        return cls(table, frozenset(memberships))

    def _topological_order(self) -> tuple[str, ...]:
        """Order bodies so that every member body comes before its councils, or name a cycle."""
        waiting = {body: len(members) for body, members in self._members.items()}
        ready = [body for body, count in waiting.items() if count == 0]
        heapq.heapify(ready)
        order: list[str] = []
        while ready:
            body = heapq.heappop(ready)
            order.append(body)
            for council in self._councils[body]:
                waiting[council] -= 1
                if waiting[council] == 0:
                    heapq.heappush(ready, council)
        if len(order) < len(self.bodies):
            cycle = self._find_cycle({body for body, count in waiting.items() if count > 0})
            path = " -> ".join(cycle)
            raise CycleError("memberships make a cycle: %(path)s", cycle=cycle, path=path)
        return tuple(order)

    def _find_cycle(self, stuck: set[str]) -> tuple[str, ...]:
        """Return one cycle among bodies that never became ready, as member -> council steps."""
        # Every stuck body has a stuck member body; walking down from one must come back round.
        body = min(stuck)
        seen: dict[str, int] = {}
        walk: list[str] = []
        while body not in seen:
            seen[body] = len(walk)
            walk.append(body)
            body = min(m for m in self._members[body] if m in stuck)
        loop = walk[seen[body] :]
        # The walk went from councils down to members; a membership reads upward.
        upward = list(reversed(loop))
        # Start from the least id, so that one cycle is always named the same way.
        first = upward.index(min(upward))
        upward = upward[first:] + upward[:first]
        return (*upward, upward[0])

    def body(self, body: str) -> Body:
        """Return the body with id `body`, or say that the federation has none."""
        try:
            return self.bodies[body]
        except KeyError:
            raise UnknownBodyError("no body %(body)r in the federation", body=body) from None

    def member_bodies(self, council: str) -> tuple[str, ...]:
        """Return the council's direct member bodies."""
        self.body(council)
        return self._members[council]

    def councils_of(self, body: str) -> tuple[str, ...]:
        """Return the councils the body is directly a member of."""
        self.body(body)
        return self._councils[body]

    def ancestors(self, body: str) -> frozenset[str]:
        """Return every council above the body, through any path."""
        return self._reach(body, self._councils)

    def descendants(self, body: str) -> frozenset[str]:
        """Return every body below the body, through any path."""
        return self._reach(body, self._members)

    def subtree(self, body: str) -> frozenset[str]:
        """Return the body and every body below it."""
        return self.descendants(body) | {body}

    def assemblies_under(self, body: str) -> frozenset[str]:
        """Return the assemblies in the body's subtree (itself, if it is an assembly)."""
        return frozenset(b for b in self.subtree(body) if self.bodies[b].kind == "assembly")

    def _reach(self, body: str, step: Mapping[str, tuple[str, ...]]) -> frozenset[str]:
        self.body(body)
        seen: set[str] = set()
        queue = deque(step[body])
        while queue:
            other = queue.popleft()
            if other not in seen:
                seen.add(other)
                queue.extend(step[other])
        return frozenset(seen)

    def with_body(self, body: Body) -> Federation:
        """Return the federation with a new body in it."""
        if body.id in self.bodies:
            raise FederationError("the federation already has a body %(id)r", id=body.id)
        return Federation({**self.bodies, body.id: body}, self.memberships)

    def join(self, member: str, council: str) -> Federation:
        """Return the federation with `member` a member body of `council`, refusing a cycle."""
        self.body(member)
        self.body(council)
        if (member, council) in self.memberships:
            raise FederationError(
                "%(member)r is already a member body of %(council)r", member=member, council=council
            )
        if member != council and member in self.ancestors(council):
            cycle = (member, *self._path_up(council, member))
            path = " -> ".join(cycle)
            raise CycleError(
                "%(member)r cannot join %(council)r: %(council)r is already below it, and the "
                "membership would close the cycle %(path)s",
                cycle=cycle,
                member=member,
                council=council,
                path=path,
            )
        return Federation(self.bodies, self.memberships | {(member, council)})

    def leave(self, member: str, council: str) -> Federation:
        """Return the federation without `member` in `council`: leaving takes no one's leave."""
        if (member, council) not in self.memberships:
            self.body(member)
            self.body(council)
            raise FederationError(
                "%(member)r is not a member body of %(council)r", member=member, council=council
            )
        return Federation(self.bodies, self.memberships - {(member, council)})

    def _path_up(self, start: str, goal: str) -> tuple[str, ...]:
        """Return the memberships from `start` up to `goal`, both included."""
        parent: dict[str, str] = {}
        queue = deque([start])
        while queue:
            body = queue.popleft()
            if body == goal:
                break
            for council in self._councils[body]:
                if council not in parent and council != start:
                    parent[council] = body
                    queue.append(council)
        path = [goal]
        while path[-1] != start:
            path.append(parent[path[-1]])
        return tuple(reversed(path))

    @cached_property
    def assembly_closure(self) -> tuple[IntArray, IntArray]:
        """Return the pairs (assembly, body) with the assembly in the body's subtree, by position.

        Sorted by assembly; each pair once, however many paths join them. Computed by joining
        memberships level by level in NumPy, so a federation of 10,000 bodies takes milliseconds.
        """
        n = len(self.order)
        index = self.index
        child = np.array([index[m] for m, _ in self.memberships], dtype=np.int64)
        parent = np.array([index[c] for _, c in self.memberships], dtype=np.int64)
        by_child = np.argsort(child, kind="stable")
        parent = parent[by_child]
        cuts = np.searchsorted(child[by_child], np.arange(n + 1))
        start = np.array(
            [index[b] for b in self.order if self.bodies[b].kind == "assembly"], dtype=np.int64
        )
        found = [start * n + start]
        below, at = start, start
        while below.size:
            lengths = cuts[at + 1] - cuts[at]
            below = np.repeat(below, lengths)
            at = parent[_gather(cuts[at], lengths)]
            # Two paths to the same council are one pair: merging them keeps the frontier small.
            step = _distinct(below * n + at)
            below, at = step // n, step % n
            found.append(step)
        pairs = _distinct(np.concatenate(found))
        return pairs // n, pairs % n

    @cached_property
    def index(self) -> Mapping[str, int]:
        """Return each body's position in the topological order."""
        return MappingProxyType({body: i for i, body in enumerate(self.order)})


def _frozen(array: IntArray) -> IntArray:
    array.setflags(write=False)
    return array


@dataclass(frozen=True, eq=False)
class Roll:
    """The membership roll at one moment: row i puts member `members[i]` in `assemblies[codes[i]]`.

    The roll also knows its people: `people` holds each distinct member once (sorted), `person[i]`
    is row i's position in `people`, and `memberships[p]` counts the assemblies person p is in.
    """

    assemblies: tuple[str, ...]
    members: IntArray
    codes: IntArray
    taken_at: datetime
    people: IntArray = field(init=False, repr=False)
    person: IntArray = field(init=False, repr=False)
    memberships: IntArray = field(init=False, repr=False)
    alone: BoolArray = field(init=False, repr=False)  # row i's member is in one assembly only
    _rows: dict[int, tuple[Federation, IntArray]] = field(
        init=False, repr=False, default_factory=dict
    )

    def __post_init__(self) -> None:
        object.__setattr__(self, "assemblies", tuple(self.assemblies))
        members = np.array(self.members, dtype=np.int64)
        if members.ndim != 1:
            raise FederationError("the roll's members must be a one-dimensional array")
        codes = np.array(self.codes, dtype=np.int64)
        if codes.ndim != 1:
            raise FederationError("the roll's assembly codes must be a one-dimensional array")
        object.__setattr__(self, "members", _frozen(members))
        object.__setattr__(self, "codes", _frozen(codes))
        taken_at = self.taken_at
        # A naive datetime is refused: the record must say when, in which time zone.
        if not isinstance(taken_at, datetime) or taken_at.utcoffset() is None:
            raise FederationError(
                "the time the roll was taken must be a datetime with a time zone, not %(moment)r",
                moment=taken_at,
            )
        if len(set(self.assemblies)) != len(self.assemblies):
            raise FederationError("the roll names an assembly twice")
        if self.members.shape != self.codes.shape:
            raise FederationError("the roll needs one assembly code per member row")
        if self.codes.size and (self.codes.min() < 0 or self.codes.max() >= len(self.assemblies)):
            raise FederationError("the roll has an assembly code that names no assembly")
        self._index_people()

    def _index_people(self) -> None:
        members = self.members
        # A roll read in member order (as a database returns it) needs no sort.
        ordered = members.size < 2 or bool((members[1:] >= members[:-1]).all())
        order = None if ordered else np.argsort(members, kind="stable")
        in_order = members if order is None else members[order]
        first = np.ones(members.size, dtype=bool)
        first[1:] = in_order[1:] != in_order[:-1]
        starts = np.flatnonzero(first)
        person = np.cumsum(first, dtype=np.int64) - 1
        if order is not None:
            person[order] = person.copy()
        memberships = np.diff(np.append(starts, members.size))
        # A member belongs to an assembly once; a repeated row would weigh them twice. Only the
        # few in several assemblies can repeat one, so only their rows are checked.
        alone = memberships[person] == 1
        several = np.flatnonzero(~alone)
        key = person[several] * np.int64(len(self.assemblies)) + self.codes[several]
        sorted_key = np.sort(key)
        repeated = np.flatnonzero(sorted_key[1:] == sorted_key[:-1])
        if repeated.size:
            row = several[int(np.flatnonzero(key == sorted_key[repeated[0]])[0])]
            raise FederationError(
                "member %(member)d is on the roll of %(assembly)r twice",
                member=int(members[row]),
                assembly=self.assemblies[int(self.codes[row])],
            )
        for name, value in (
            ("people", in_order[starts]),
            ("person", person),
            ("memberships", memberships),
            ("alone", alone),
        ):
            value.setflags(write=False)
            object.__setattr__(self, name, value)

    @classmethod
    def from_pairs(cls, pairs: Iterable[tuple[int, str]], taken_at: datetime) -> Roll:
        """Build a roll from (member, assembly) pairs."""
        codes: dict[str, int] = {}
        members: list[int] = []
        rows: list[int] = []
        for member, assembly in pairs:
            members.append(member)
            rows.append(codes.setdefault(assembly, len(codes)))
        return cls(tuple(codes), np.array(members, dtype=np.int64), np.array(rows), taken_at)

    def pairs(self) -> Iterable[tuple[int, str]]:
        """Yield the roll's (member, assembly) pairs."""
        for member, code in zip(self.members.tolist(), self.codes.tolist(), strict=True):
            yield member, self.assemblies[code]

    def locate(self, members: IntArray) -> tuple[IntArray, BoolArray]:
        """Return each member's position in `people`, and whether they are on the roll at all."""
        people = self.people
        if people.size == 0:
            return np.zeros(members.size, dtype=np.int64), np.zeros(members.size, dtype=bool)
        low, high = int(people[0]), int(people[-1])
        if high - low < 4 * people.size + 1024:
            # Member ids are mostly dense (a database's keys): a table beats a binary search.
            table = np.full(high - low + 1, -1, dtype=np.int64)
            table[people - low] = np.arange(people.size)
            inside = (members >= low) & (members <= high)
            at = np.full(members.size, -1, dtype=np.int64)
            at[inside] = table[members[inside] - low]
            found = at >= 0
            return np.where(found, at, 0), found
        at = np.minimum(np.searchsorted(people, members), people.size - 1)
        return at, people[at] == members

    def body_rows(self, federation: Federation) -> IntArray:
        """Return, per row, the assembly's position in the federation's topological order."""
        cached = self._rows.get(id(federation))
        if cached is not None and cached[0] is federation:
            return cached[1]
        rows = self._body_rows(federation)
        rows.setflags(write=False)
        # Federations are immutable, so the rows for one stay right; keep the latest few.
        if len(self._rows) >= 4:
            self._rows.clear()
        self._rows[id(federation)] = (federation, rows)
        return rows

    def _body_rows(self, federation: Federation) -> IntArray:
        lookup = np.empty(len(self.assemblies), dtype=np.int64)
        for code, assembly in enumerate(self.assemblies):
            if assembly not in federation.bodies:
                raise UnknownBodyError(
                    "the roll lists members of %(assembly)r, no such body", assembly=assembly
                )
            if federation.bodies[assembly].kind != "assembly":
                raise FederationError(
                    "the roll lists members of %(assembly)r, but only an assembly has members",
                    assembly=assembly,
                )
            lookup[code] = federation.index[assembly]
        return lookup[self.codes]


def _distinct(values: IntArray) -> IntArray:
    """Return the distinct values, sorted."""
    # np.unique hashes integers in NumPy 2.3, which is many times slower than sorting them.
    ordered: IntArray = np.sort(values)
    first = np.ones(ordered.size, dtype=bool)
    first[1:] = ordered[1:] != ordered[:-1]
    distinct: IntArray = ordered[first]
    return distinct


def _gather(starts: IntArray, lengths: IntArray) -> IntArray:
    """Return the concatenated ranges [starts[i], starts[i] + lengths[i]) as one index array."""
    offsets = np.cumsum(lengths) - lengths
    return np.repeat(starts - offsets, lengths) + np.arange(int(lengths.sum()), dtype=np.int64)


def count_distinct_in_subtrees(
    federation: Federation,
    roll: Roll,
    categories: IntArray | None = None,
    n_categories: int = 1,
    scope: Collection[str] | None = None,
) -> npt.NDArray[np.int64]:
    """Count each body's distinct members per category over its subtree: (bodies, categories).

    `categories[p]` is person p's category (their ballot's option), or -1 to leave them out;
    None counts every person in category 0. A person counts once in every body in whose subtree
    they are, however many paths lead there. Rows are in the federation's topological order;
    bodies outside `scope` (default: all) are left at zero, and a scope must hold whole subtrees.
    """
    n_bodies = len(federation.order)
    k = n_categories
    below, above = federation.assembly_closure
    bodies, person, alone = roll.body_rows(federation), roll.person, roll.alone
    category_of = np.zeros(roll.people.size, dtype=np.int64) if categories is None else categories
    partial = scope is not None and len(set(scope)) < n_bodies
    if partial:
        assert scope is not None  # for the type checker: partial implies a scope
        scoped = np.zeros(n_bodies, dtype=bool)
        scoped[[federation.index[b] for b in scope]] = True
        in_scope = scoped[above]
        below, above = below[in_scope], above[in_scope]
        keep = scoped[bodies]
    if categories is not None and category_of.size and category_of.min() < 0:
        left_out = category_of[person] < 0
        keep = ~left_out if not partial else keep & ~left_out
        partial = True
    if partial:
        bodies, person, alone = bodies[keep], person[keep], alone[keep]
    # The many members of one assembly count once in each body above it: integer sums.
    key = bodies[alone] if categories is None else bodies[alone] * k + category_of[person[alone]]
    single = np.bincount(key, minlength=n_bodies * k).reshape(n_bodies, k)
    counts = np.zeros((n_bodies, k), dtype=np.int64)
    np.add.at(counts, above, single[below])
    # The few in several assemblies: pair each with every body above their assemblies, once.
    shared = np.flatnonzero(~alone)
    cuts = np.searchsorted(below, np.arange(n_bodies + 1))
    lengths = cuts[bodies[shared] + 1] - cuts[bodies[shared]]
    reached = above[_gather(cuts[bodies[shared]], lengths)]
    pairs = _distinct(np.repeat(person[shared], lengths) * np.int64(n_bodies) + reached)
    pair_body, pair_person = pairs % n_bodies, pairs // n_bodies
    counts += np.bincount(pair_body * k + category_of[pair_person], minlength=n_bodies * k).reshape(
        n_bodies, k
    )
    return counts


class _FromRoll:
    """The one key that makes a WeightSnapshot: only `weigh` holds it."""


_FROM_ROLL = _FromRoll()


@dataclass(frozen=True)
class WeightSnapshot:
    """Each body's weight, computed from the roll at `taken_at`; sessions and votes record it.

    There is no way to give a weight by hand: the constructor refuses every caller but `weigh`.
    """

    weights: Mapping[str, int]
    taken_at: datetime
    members: int  # distinct members on the roll
    _origin: object = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self._origin is not _FROM_ROLL:
            raise FederationError(
                "a weight is computed from the membership roll, never typed by hand: use weigh()"
            )
        object.__setattr__(self, "weights", MappingProxyType(dict(self.weights)))

    def weight(self, body: str) -> int:
        """Return the body's weight, or say that the snapshot has none for it."""
        try:
            return self.weights[body]
        except KeyError:
            raise UnknownBodyError("the weight snapshot has no body %(body)r", body=body) from None


def weigh(federation: Federation, roll: Roll, statutes: Mapping[str, Statute]) -> WeightSnapshot:
    """Compute every body's weight from the roll, each council counting as its statute says.

    An assembly weighs its membership. A council weighs the sum of its member bodies' weights
    ("per-path") or the number of distinct members in its subtree ("once").
    """
    for body in federation.order:
        if federation.bodies[body].kind == "council" and body not in statutes:
            raise FederationError(
                "council %(council)r has no statute to say how it counts members", council=body
            )
    rows = roll.body_rows(federation)
    once = any(
        statutes[b].member_counting == "once"
        for b in federation.order
        if federation.bodies[b].kind == "council"
    )
    distinct = count_distinct_in_subtrees(federation, roll)[:, 0] if once else None
    heads = np.bincount(rows, minlength=len(federation.order))
    weights: dict[str, int] = {}
    for position, body in enumerate(federation.order):
        if federation.bodies[body].kind == "assembly":
            weights[body] = int(heads[position])
        elif statutes[body].member_counting == "once":
            assert distinct is not None  # computed above whenever a council counts once
            weights[body] = int(distinct[position])
        else:
            weights[body] = sum(weights[m] for m in federation.member_bodies(body))
    return WeightSnapshot(weights, roll.taken_at, int(roll.people.size), _origin=_FROM_ROLL)
