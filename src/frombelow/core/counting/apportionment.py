"""Apportionment: a council's seats shared among its member bodies by membership.

Sources: F. Pukelsheim, Proportional Representation: Apportionment Methods and Their Applications
(2nd ed., Springer 2017), whose definitions this module follows: the divisor methods with standard
rounding (Sainte-Laguë), downward rounding (D'Hondt) and geometric rounding (Huntington-Hill), the
Hare-quota method with residual fit by greatest remainders (Hamilton), and minimum restrictions;
M. L. Balinski and H. P. Young, Fair Representation (2nd ed., Brookings 2001), for the
properties the tests check (quota, house monotonicity). In statute: Sainte-Laguë in the German
Federal Elections Act, section 6; D'Hondt in Spain's LOREG, article 163; Huntington-Hill, the
"method of equal proportions", in 2 U.S.C. section 2a; a minimum per member in the Treaty on
European Union, article 14(2).

Minimum seats (MODEL.md: "minimum one seat"): every body first gets `minimum`, and the method is
applied with the minimum as a floor, recomputing the divisor or quota, as the European Parliament's
allocation does. For a divisor method, a body gets max(minimum, the rounding of population /
divisor), with one divisor for all bodies, chosen so that the seats add up; this is the same as
giving every body its minimum and then each further seat, one at a time, to the highest quotient
population / d(seats held), where d(s) is s + 1 (D'Hondt), s + 1/2 (Sainte-Laguë) or
sqrt(s (s + 1)) (Huntington-Hill). For Hamilton, a body whose exact quota (population / Hare
quota) is below the minimum gets the minimum and leaves; the Hare quota is recomputed among the
others for the seats left, until every remaining body's quota reaches the minimum; the remaining
bodies get the whole part of their quota, and the seats still left go to the greatest remainders.
A body without members gets its minimum and nothing more.

Arithmetic is exact (integers and Fractions; Huntington-Hill compares squared quotients). A tie
for the last seats (equal quotients, or equal remainders) is broken by lot and recorded. The
published divisor is the shortest decimal number that reproduces the apportionment, so that
anyone can check it by hand; none exists when no seat went beyond the minimums, or when a
Huntington-Hill tie sits on an irrational signpost.
"""

from __future__ import annotations

import heapq
import itertools
import math
from bisect import bisect_left
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import numpy.typing as npt

from frombelow.core.counting.lot import Lot
from frombelow.core.counting.result import TieBreak
from frombelow.core.counting.rule import CountError

# A quotient that orders seats: (1, 0) is infinite (Huntington-Hill's first seat), (0, q) is q.
Key = tuple[int, Fraction]
_INFINITE: Key = (1, Fraction(0))
FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
# Floating-point quotients only pick the bodies worth an exact comparison: any body within this
# relative distance of the extreme is compared exactly (float error is some 1e-16).
_MARGIN = 1e-9


@dataclass(frozen=True)
class Apportionment:
    """Seats per body, with the divisor or quota that gives them and any lot drawn."""

    method: str
    seats: Mapping[str, int]  # per body, in the order the bodies were given
    minimum: int
    divisor: Fraction | None = None  # divisor methods: a divisor that reproduces the seats
    quota: Fraction | None = None  # Hamilton: the Hare quota among the bodies above the minimum
    tie_breaks: tuple[TieBreak, ...] = ()
    seed: int | None = None  # the seed of the lot, recorded so that anyone can redraw it

    @property
    def total(self) -> int:
        """Return the number of seats apportioned."""
        return sum(self.seats.values())


@dataclass(frozen=True)
class ApportionmentMethod:
    """An apportionment method by name, with a one-line summary and its source."""

    name: str
    summary: str
    source: str


@dataclass(frozen=True)
class _Divisor:
    """A divisor method: its quotient for the seat after `s` seats, and its rounding."""

    # The quotient population / d(s) as an exact key (squared for Huntington-Hill).
    quotient: Callable[[int, int], Key]
    # How many seats a population gets with divisor num/den, before the minimum.
    rounding: Callable[[int, int, int], int]
    offset: float  # d(s) = s + offset, for D'Hondt and Sainte-Laguë
    squared: bool = False  # Huntington-Hill: keys are squared quotients p**2 / (s (s + 1))
    bias: Fraction = Fraction(0)  # seats the rounding loses per body, for the first guess

    def approximate(self, counts: FloatArray, held: IntArray) -> FloatArray:
        """Return the quotients in floating point, to narrow down the exact comparisons."""
        # Callers mask out the quotients of seats not held (a divisor of 0 or below).
        with np.errstate(divide="ignore", invalid="ignore"):
            if not self.squared:
                quotients: FloatArray = counts / (held + self.offset)
                return quotients
            squares = counts * counts / (held * (held + 1.0))
        return np.where(held == 0, np.where(counts > 0, np.inf, 0.0), squares)


def _dhondt_quotient(population: int, seats: int) -> Key:
    return (0, Fraction(population, seats + 1))


def _sainte_lague_quotient(population: int, seats: int) -> Key:
    return (0, Fraction(2 * population, 2 * seats + 1))


def _huntington_hill_quotient(population: int, seats: int) -> Key:
    if seats == 0:
        return _INFINITE if population else (0, Fraction(0))
    return (0, Fraction(population * population, seats * (seats + 1)))


def _huntington_hill_rounding(population: int, num: int, den: int) -> int:
    # Round x = population / divisor up past n = floor(x) where x >= sqrt(n (n + 1)).
    if population == 0:
        return 0
    whole = population * den // num
    return whole + (whole * (whole + 1) * num * num <= (population * den) ** 2)


_DIVISORS = {
    "sainte-lague": _Divisor(
        _sainte_lague_quotient, lambda p, num, den: (2 * p * den + num) // (2 * num), 0.5
    ),
    "dhondt": _Divisor(
        _dhondt_quotient, lambda p, num, den: p * den // num, 1.0, bias=Fraction(1, 2)
    ),
    "huntington-hill": _Divisor(
        _huntington_hill_quotient, _huntington_hill_rounding, 0.0, squared=True
    ),
}

APPORTIONMENT_METHODS: Mapping[str, ApportionmentMethod] = {
    method.name: method
    for method in (
        ApportionmentMethod(
            "sainte-lague",
            "Divisor method with standard rounding (Webster / Sainte-Laguë).",
            "Pukelsheim 2017, divisor methods; German Federal Elections Act, section 6",
        ),
        ApportionmentMethod(
            "dhondt",
            "Divisor method with downward rounding (Jefferson / D'Hondt).",
            "Pukelsheim 2017, divisor methods; Spain, LOREG article 163",
        ),
        ApportionmentMethod(
            "hamilton",
            "Hare quota, then the seats left to the greatest remainders (Hamilton).",
            "Pukelsheim 2017, quota methods; Balinski and Young 2001",
        ),
        ApportionmentMethod(
            "huntington-hill",
            "Divisor method with geometric rounding (method of equal proportions).",
            "Pukelsheim 2017, divisor methods; 2 U.S.C. section 2a",
        ),
    )
}


def apportion(
    method: str,
    populations: Mapping[str, int],
    seats: int,
    *,
    minimum: int = 1,
    seed: int | None = None,
) -> Apportionment:
    """Share `seats` among the bodies by population, each getting at least `minimum`."""
    if method not in APPORTIONMENT_METHODS:
        known = ", ".join(APPORTIONMENT_METHODS)
        raise CountError(f"unknown apportionment method {method!r}; the methods are: {known}")
    names = list(populations)
    counts = [populations[name] for name in names]
    _check(names, counts, seats, minimum)
    lot = Lot(seed)
    if method == "hamilton":
        allocation, quota, tie_breaks = _hamilton(counts, seats, minimum, lot, names)
        divisor = None
    else:
        allocation, divisor, tie_breaks = _divisor_method(
            _DIVISORS[method], counts, seats, minimum, lot, names
        )
        quota = None
    return Apportionment(
        method=method,
        seats=dict(zip(names, allocation, strict=True)),
        minimum=minimum,
        divisor=divisor,
        quota=quota,
        tie_breaks=tie_breaks,
        seed=lot.seed,
    )


def _check(names: Sequence[str], counts: Sequence[int], seats: int, minimum: int) -> None:
    """Refuse what cannot be apportioned, saying which body or number is at fault."""
    if not names:
        raise CountError("there are no bodies to apportion seats among")
    for name, count in zip(names, counts, strict=True):
        if not isinstance(count, int) or isinstance(count, bool):
            raise CountError(f"the population of {name!r} must be a whole number, not {count!r}")
        if count < 0:
            raise CountError(f"the population of {name!r} is negative ({count})")
    if minimum < 0:
        raise CountError(f"the minimum seats per body cannot be negative ({minimum})")
    if seats < 0:
        raise CountError(f"the number of seats cannot be negative ({seats})")
    if minimum * len(names) > seats:
        raise CountError(
            f"{len(names)} bodies with at least {minimum} seats each need "
            f"{minimum * len(names)} seats, more than the {seats} to apportion"
        )
    if seats > minimum * len(names) and not any(counts):
        raise CountError(
            f"no body has members, so the {seats - minimum * len(names)} seats beyond the "
            "minimums cannot be apportioned"
        )


def _divisor_method(
    rule: _Divisor,
    counts: Sequence[int],
    seats: int,
    minimum: int,
    lot: Lot,
    names: Sequence[str],
) -> tuple[list[int], Fraction | None, tuple[TieBreak, ...]]:
    """Apportion by a divisor method with a minimum, and find a divisor that reproduces it."""
    with_members = sum(1 for count in counts if count)
    if rule.squared and minimum == 0 and seats < with_members:
        raise CountError(
            f"Huntington-Hill gives every body with members a seat before any second seat; "
            f"{seats} seats cannot cover the {with_members} bodies with members (set a minimum "
            "of one, or apportion more seats)"
        )
    allocation = _first_guess(rule, counts, seats, minimum)
    floats = np.array(counts, dtype=np.float64)
    _settle(rule, counts, floats, seats, minimum, allocation)
    held = np.array(allocation, dtype=np.int64)
    holders = held > minimum
    if not holders.any():
        return allocation, None, ()
    # The lowest quotient any last seat won, and the highest any next seat would need.
    won_near = _extreme(rule.approximate(floats, held - 1), holders, lowest=True)
    won = {i: rule.quotient(counts[i], allocation[i] - 1) for i in won_near}
    needs_near = _extreme(rule.approximate(floats, held), np.ones_like(holders), lowest=False)
    needs = {i: rule.quotient(counts[i], allocation[i]) for i in needs_near}
    last, following = min(won.values()), max(needs.values())
    tie_breaks: tuple[TieBreak, ...] = ()
    if following == last:
        # Equal quotients straddle the last seat: lot decides which of them hold those seats.
        at_last = [i for i, key in won.items() if key == last]
        at_next = [i for i, key in needs.items() if key == last]
        for i in at_last:
            allocation[i] -= 1
        tie_breaks = _draw(sorted(at_last + at_next), len(at_last), allocation, lot, names)
    return allocation, _published_divisor(following, last, rule.squared), tie_breaks


def _extreme(approximate: FloatArray, among: npt.NDArray[np.bool_], *, lowest: bool) -> list[int]:
    """Return the bodies (of `among`) whose quotient may be the lowest, or the highest."""
    if lowest:
        values = np.where(among, approximate, np.inf)
        near = among & (values <= values.min() * (1 + _MARGIN))
    else:
        values = np.where(among, approximate, -np.inf)
        near = among & (values >= values.max() * (1 - _MARGIN))
    bodies: list[int] = np.flatnonzero(near).tolist()
    return bodies


def _first_guess(rule: _Divisor, counts: Sequence[int], seats: int, minimum: int) -> list[int]:
    """Round with a divisor guessed from the populations not held at the minimum."""
    allocation = [minimum] * len(counts)
    floored = [False] * len(counts)
    for _ in range(4):  # a few exact passes bring the guess within a few seats
        free = [c for c, f in zip(counts, floored, strict=True) if not f]
        target = seats - minimum * (len(counts) - len(free)) + rule.bias * len(free)
        if not free or sum(free) == 0 or target <= 0:
            break
        divisor = Fraction(sum(free)) / target
        num, den = divisor.numerator, divisor.denominator
        rounded = [rule.rounding(c, num, den) for c in counts]
        now_floored = [r <= minimum for r in rounded]
        allocation = [max(minimum, r) for r in rounded]
        if now_floored == floored:
            break
        floored = now_floored
    return allocation


def _settle(
    rule: _Divisor,
    counts: Sequence[int],
    floats: FloatArray,
    seats: int,
    minimum: int,
    allocation: list[int],
) -> None:
    """Add the highest quotients, or take back the lowest, until the seats add up.

    The guess is an apportionment by a divisor for its own total, and a divisor method is house
    monotone, so that seats move one at a time from there to the apportionment for `seats`.
    The k seats to move go to (or come from) bodies among the k best by their first quotient,
    so only those, found in floating point with a margin, enter the exact heap.
    """
    moves = seats - sum(allocation)
    if moves == 0:
        return
    held = np.array(allocation, dtype=np.int64)
    if moves > 0:
        values = rule.approximate(floats, held)
        bound = np.sort(values)[max(len(values) - moves, 0)]
        near = np.flatnonzero(values >= bound * (1 - _MARGIN)).tolist()
        heap = [(_negated(rule.quotient(counts[i], allocation[i])), i) for i in near]
        heapq.heapify(heap)
        for _ in range(moves):
            _, i = heapq.heappop(heap)
            allocation[i] += 1
            heapq.heappush(heap, (_negated(rule.quotient(counts[i], allocation[i])), i))
        return
    values = np.where(held > minimum, rule.approximate(floats, held - 1), np.inf)
    bound = np.sort(values)[min(-moves, len(values)) - 1]
    near = np.flatnonzero((held > minimum) & (values <= bound * (1 + _MARGIN))).tolist()
    won = [(rule.quotient(counts[i], allocation[i] - 1), i) for i in near]
    heapq.heapify(won)
    for _ in range(-moves):
        _, i = heapq.heappop(won)
        allocation[i] -= 1
        if allocation[i] > minimum:
            heapq.heappush(won, (rule.quotient(counts[i], allocation[i] - 1), i))


def _negated(key: Key) -> Key:
    return (-key[0], -key[1])


def _published_divisor(following: Key, last: Key, squared: bool) -> Fraction | None:
    """Return the roundest divisor D with following < D <= last (D squared if need be).

    Every body keeps its seats at D and none gets another, so D reproduces the apportionment;
    at a tie (following == last) only D = last does, with the tie resolved as recorded. The
    roundest is the one with the fewest significant digits: 21000 rather than 20001.
    """
    low = following[1]
    high = None if last == _INFINITE else last[1]
    if high is not None and low == high:
        if not squared:
            return high
        root = (math.isqrt(high.numerator), math.isqrt(high.denominator))
        exact = root[0] ** 2 == high.numerator and root[1] ** 2 == high.denominator
        return Fraction(*root) if exact else None
    # Start from a power of ten above every candidate divisor and refine a digit at a time.
    bound = high if high is not None else low
    top = math.isqrt(math.ceil(bound)) if squared else math.ceil(bound)
    for exponent in itertools.count(len(str(top)), -1):
        unit = Fraction(10) ** exponent
        if squared:  # the least multiple n * unit with (n * unit)**2 > low
            multiple = math.isqrt(math.floor(low / (unit * unit))) + 1
            fits = high is None or (multiple * unit) ** 2 <= high
        else:  # the least multiple n * unit > low
            multiple = math.floor(low / unit) + 1
            fits = high is None or multiple * unit <= high
        if fits:
            return multiple * unit
    raise AssertionError("unreachable: a decimal lies between two different numbers")


def _hamilton(
    counts: Sequence[int], seats: int, minimum: int, lot: Lot, names: Sequence[str]
) -> tuple[list[int], Fraction | None, tuple[TieBreak, ...]]:
    """Apportion by Hare quota and greatest remainders, with the minimum as a floor."""
    ascending = sorted(range(len(counts)), key=counts.__getitem__)
    smallest = [counts[i] for i in ascending]
    fixed = 0  # the `fixed` smallest bodies hold the minimum
    while True:
        left, members = seats - minimum * fixed, sum(smallest[fixed:])
        if members == 0 or left == 0:
            break
        # Bodies whose quota members * left / members falls below the minimum.
        below = bisect_left(smallest, Fraction(minimum * members, left))
        if below <= fixed:
            break
        fixed = below
    allocation = [minimum] * len(counts)
    free = ascending[fixed:]
    if members == 0 or left == 0:
        return allocation, None, ()
    remainders = {}
    for i in free:
        allocation[i], remainders[i] = divmod(counts[i] * left, members)
    rest = left - sum(allocation[i] for i in free)
    tie_breaks: tuple[TieBreak, ...] = ()
    if rest:
        cut = sorted(remainders.values(), reverse=True)[rest - 1]
        for i in free:
            allocation[i] += remainders[i] > cut
        tied = sorted(i for i in free if remainders[i] == cut)
        wanted = rest - sum(1 for i in free if remainders[i] > cut)
        if wanted == len(tied):
            for i in tied:
                allocation[i] += 1
        else:
            tie_breaks = _draw(tied, wanted, allocation, lot, names)
    return allocation, Fraction(members, left), tie_breaks


def _draw(
    tied: list[int], wanted: int, allocation: list[int], lot: Lot, names: Sequence[str]
) -> tuple[TieBreak, ...]:
    """Give `wanted` seats to as many of the tied bodies, drawn by lot one at a time."""
    pool = list(tied)
    draws = []
    for _ in range(wanted):
        chosen = lot.draw(pool)
        draws.append(
            TieBreak(
                round=1,
                purpose="last seat",
                tied=tuple(names[i] for i in pool),
                chosen=names[chosen],
                method=lot.method(),
            )
        )
        allocation[chosen] += 1
        pool.remove(chosen)
    return tuple(draws)
