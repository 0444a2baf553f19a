"""What every counting rule takes and how it is registered."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Literal

from frombelow.core.ballots.profile import Profile
from frombelow.core.counting.result import Result


class CountError(ValueError):
    """A count that cannot be made as asked (too few candidates, a bad option)."""


@dataclass(frozen=True)
class Threshold:
    """The share a motion needs: of the votes cast for and against, or of the whole electorate."""

    share: Fraction = Fraction(1, 2)
    base: Literal["cast", "electorate"] = "cast"
    # True: more than `share` (a simple majority); False: at least `share` (two-thirds).
    strict: bool = True

    @classmethod
    def parse(cls, text: str) -> Threshold:
        """Read "simple", "absolute", "two-thirds", or a fraction: "3/5", "3/5-electorate"."""
        named = {
            "simple": cls(),
            "absolute": cls(Fraction(1, 2), "electorate", True),
            "two-thirds": cls(Fraction(2, 3), "cast", False),
        }
        if text in named:
            return named[text]
        share, _, base = text.partition("-")
        try:
            fraction = Fraction(share)
        except (ValueError, ZeroDivisionError):
            raise CountError(f"threshold {text!r} is neither a name nor a fraction") from None
        if not 0 < fraction <= 1 or base not in {"", "cast", "electorate"}:
            raise CountError(f"threshold {text!r} must be a share in (0, 1] of cast or electorate")
        return cls(fraction, "electorate" if base == "electorate" else "cast", False)


@dataclass(frozen=True)
class CountOptions:
    """The inputs a count takes besides the ballots."""

    seats: int = 1
    seed: int | None = None  # for drawing lots; None draws a seed and records it
    # For motions (the `majority` rule):
    electorate: int | None = None  # members entitled to vote, for quorum and absolute majority
    quorum: Fraction = Fraction(0)  # share of the electorate that must take part
    threshold: Threshold = field(default_factory=Threshold)


CountFunction = Callable[[Profile, CountOptions], Result]


@dataclass(frozen=True)
class Rule:
    """A counting rule by name: a one-line summary, its source, and the function that counts."""

    name: str
    summary: str
    source: str  # the statute, regulation or paper the rule implements
    count: CountFunction
