"""The one Result type every counting rule returns: winners, every round, every tie-break."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

# Totals are exact: Decimal for the fixed-point rules (Scottish STV to 5 places, Meek to the
# places its regulations prescribe), integers held as Decimal elsewhere, Fraction for thresholds.
Value = Decimal


@dataclass(frozen=True)
class TieBreak:
    """A tie the rule had to break, and how it broke it."""

    round: int  # the round in which the tie arose (1-based)
    purpose: str  # what the tie decided: "exclusion", "election", "surplus order", "ranking", ...
    tied: tuple[str, ...]  # the candidates that were tied, in candidate order
    chosen: str  # the candidate the tie-break picked for `purpose`
    method: str  # how: "totals at stage 3", "lot (seed 42)", "candidate order", ...


@dataclass(frozen=True)
class Round:
    """One stage of a count: what was done and every candidate's total after it."""

    number: int  # 1-based
    action: str  # what this stage did, as a returning officer would write it
    votes: Mapping[str, Value]  # every candidate's total after this stage, in candidate order
    transfers: Mapping[str, Value] = field(default_factory=dict)  # change since the last stage
    elected: tuple[str, ...] = ()  # elected in this stage, in order of election
    excluded: tuple[str, ...] = ()  # excluded in this stage
    exhausted: Value = Decimal(0)  # non-transferable votes so far
    loss: Value = Decimal(0)  # votes lost to truncation so far
    quota: Value | None = None  # the quota in force at this stage (it moves under Meek)
    note: str = ""  # why: "reached the quota", "lowest total", "seats filled", ...


@dataclass(frozen=True)
class Result:
    """The outcome of a count under one rule, complete enough for anyone to check it."""

    method: str
    seats: int
    candidates: tuple[str, ...]
    elected: tuple[str, ...]  # in order of election
    rounds: tuple[Round, ...] = ()
    tie_breaks: tuple[TieBreak, ...] = ()
    quota: Value | None = None  # the quota of the first stage, where the rule has one
    valid_votes: Value = Decimal(0)  # total weight of the ballots counted
    seed: int | None = None  # the seed of the lot, recorded so that anyone can redraw it
    # A complete ranking, best first; candidates in one group are tied (Schulze).
    ranking: tuple[tuple[str, ...], ...] = ()
    outcome: str = ""  # for a motion: "carried", "lost" or "inquorate"
    # Rule-specific exact figures (pairwise strengths, shares, thresholds), as exact strings.
    details: Mapping[str, str] = field(default_factory=dict)


def as_fraction_text(value: Fraction) -> str:
    """Write a fraction exactly: "2/3", or "5" when it is whole."""
    return (
        str(value.numerator) if value.denominator == 1 else f"{value.numerator}/{value.denominator}"
    )


def plain(value: object) -> Any:
    """Write a count as JSON values: exact numbers as text, tuples as lists (as the record and
    the stored counts hold it)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return [plain(v) for v in value]
    if isinstance(value, Decimal | Fraction):
        return str(value)
    return value
