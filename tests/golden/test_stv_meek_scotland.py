"""Meek STV counts the real Scottish elections (1,100 of them, 2007 to 2022) soundly.

No Meek count of these elections was ever published, so the test checks what the schedule fixes
on its own at every round: no vote appears or vanishes (votes + exhausted + loss = valid votes,
the loss never positive since the schedule rounds up), the quota is (votes held) / (seats + 1)
truncated to 9 places plus 10^-9, every candidate elected reached the quota unless the last
hopefuls filled the seats (clause 3), and every seat is filled (each election had more
candidates than seats).
"""

from __future__ import annotations

from decimal import ROUND_DOWN, Decimal
from pathlib import Path

import pytest

from frombelow.core.ballots.blt import read_blt
from frombelow.core.counting.rule import CountOptions
from frombelow.core.counting.stv_meek import count
from tests.golden.elections import SCOTLAND_GROUPS, check_every_election

UNIT = Decimal("0.000000001")


def check_election(path: Path) -> None:
    """Count one election by Meek STV and check every round."""
    profile = read_blt(path)
    assert profile.seats is not None
    result = count(profile, CountOptions(seats=profile.seats, seed=2007))
    assert result.valid_votes == profile.total_weight
    assert len(set(result.elected)) == len(result.elected) == profile.seats
    for stage in result.rounds:
        held = sum(stage.votes.values(), Decimal(0))
        assert held + stage.exhausted + stage.loss == result.valid_votes, stage.number
        assert stage.loss <= 0, stage.number
        assert stage.quota is not None
        share = (held / (profile.seats + 1)).quantize(UNIT, rounding=ROUND_DOWN)
        assert stage.quota == share + UNIT, stage.number
        for name in stage.elected:
            assert stage.votes[name] >= stage.quota or "clause 3" in stage.note, stage.number


@pytest.mark.parametrize("group", SCOTLAND_GROUPS)
def test_every_election_counts_soundly(group: str) -> None:
    check_every_election(group, check_election)
