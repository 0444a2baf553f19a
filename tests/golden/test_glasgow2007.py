"""Glasgow City Council, 3 May 2007: every ward counted as Droop v0.11 "Scottish STV" counted it.

Our stages and Droop's actions map as follows. Droop's "Begin Count" is our first stage; each
"Surplus transferred" is one of our surplus stages and each "Transfer defeated" one of our
exclusion stages, in the same order. Droop's other actions ("Elect, transfer pending", "Defeat
low candidate", "Elect remaining candidates", "Count Complete" ...) change no total, and neither
does our last stage when it elects the remaining candidates; so the sequence of distinct states
(every candidate's total, the non-transferable votes and the loss to truncation, which Droop calls
the residual) must be the same on both sides, to the fifth decimal.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from frombelow.core.ballots.blt import read_blt
from frombelow.core.counting.result import Result
from frombelow.core.counting.rule import CountOptions
from frombelow.core.counting.stv_scottish import count
from tests.golden.droop_report import DroopReport, read_droop_report
from tests.golden.elections import GLASGOW_WARDS
from tests.shared_data import elections_dir

State = tuple[dict[str, Decimal], Decimal, Decimal]


def collapse(name: str) -> str:
    """Make every run of spaces inside a name one space, keeping its ends."""
    while "  " in name:
        name = name.replace("  ", " ")
    return name


def our_states(result: Result) -> list[State]:
    """Return our distinct states in turn: (totals, non-transferable, loss)."""
    states: list[State] = []
    for stage in result.rounds:
        state = (
            {collapse(name): votes for name, votes in stage.votes.items()},
            stage.exhausted,
            stage.loss,
        )
        if not states or states[-1] != state:
            states.append(state)
    return states


def our_transfers(result: Result) -> list[tuple[str, str]]:
    """Return whose papers each stage after the first transferred, and why."""
    moves: list[tuple[str, str]] = []
    for stage in result.rounds[1:]:
        if stage.excluded:
            moves.append(("exclusion", collapse(stage.excluded[0])))
        elif stage.transfers and min(stage.transfers.values()) < 0:
            giver = min(stage.transfers, key=lambda name: stage.transfers[name])
            moves.append(("surplus", collapse(giver)))
    return moves


def droop_transfers(report: DroopReport) -> list[tuple[str, str]]:
    """Return whose papers each of Droop's transfers moved, and why."""
    moves: list[tuple[str, str]] = []
    for action in report.actions:
        if action.kind == "Surplus transferred":
            name, _, amount = action.text.partition(": ")[2].rpartition(" (")
            if Decimal(amount.rstrip(")")) > 0:  # Droop also "transfers" a zero surplus
                moves.append(("surplus", name))
        elif action.kind == "Transfer defeated":
            moves.append(("exclusion", action.text.partition(": ")[2]))
    return moves


@pytest.mark.parametrize("ward", GLASGOW_WARDS)
def test_ward_matches_droop_at_every_stage(ward: str) -> None:
    folder = elections_dir("glasgow2007")
    profile = read_blt(folder / f"{ward}-2007.blt")
    report = read_droop_report(folder / f"{ward}-2007.reference.txt")
    assert profile.seats == report.seats

    result = count(profile, CountOptions(seats=report.seats))

    assert result.quota == report.quota
    assert result.valid_votes == report.ballots
    assert {collapse(name) for name in result.elected} == report.elected
    # Droop elects on reaching the quota in the same order; the rest it elects at the end.
    reached = report.elected_with_quota
    assert tuple(collapse(name) for name in result.elected[: len(reached)]) == reached
    assert our_transfers(result) == droop_transfers(report)
    assert our_states(result) == report.snapshots()
    assert result.tie_breaks == ()  # Droop broke no tie in Glasgow 2007
