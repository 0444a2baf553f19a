"""Breaking a tie by the totals of earlier stages, then by lot: one home for every STV-like rule.

The rules differ only in which earlier stages they look at and in what order (Scottish STV: the
most recent first, rules 49 and 51; IRV and Meek: the earliest first, NZ clause 40) and in whether
a stage that narrows a tie of three without settling it lets later stages narrow it further
(Scottish STV and IRV) or sends the rest straight to lot (Meek, clause 40). Each rule passes its
stages in its own order; this module narrows, draws and records.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol, SupportsInt

from frombelow.core.counting.lot import Lot
from frombelow.core.counting.result import TieBreak


class Totals(Protocol):
    """Each candidate's total at one stage, by candidate index (a list or an array)."""

    def __getitem__(self, candidate: int, /) -> SupportsInt: ...


def break_tie(
    tied: Sequence[int],
    stages: Iterable[tuple[str, Totals]],
    *,
    lowest: bool,
    lot: Lot,
    names: Sequence[str],
    round_number: int,
    purpose: str,
    narrow_once: bool = False,
) -> TieBreak:
    """Pick one of `tied`: the lowest (or highest) at the stages given, in order, then by lot."""
    group = sorted(tied)
    steps: list[str] = []
    for label, totals in stages:
        if len(group) == 1:
            break
        values = [int(totals[c]) for c in group]
        if min(values) != max(values):
            extreme = min(values) if lowest else max(values)
            group = [c for c, v in zip(group, values, strict=True) if v == extreme]
            steps.append(label)
            if narrow_once:
                break
    chosen = group[0] if len(group) == 1 else lot.draw(group)
    if len(group) > 1:
        steps.append(lot.method())
    return TieBreak(
        round=round_number,
        purpose=purpose,
        tied=tuple(names[c] for c in sorted(tied)),
        chosen=names[chosen],
        method=", then ".join(steps),
    )
