"""Every Scottish local election counted by STV, 2007 to 2022 (1,100 of them), counts soundly.

No reference counts come with these files, so the test checks what the rules fix on their own:
the quota (rule 46), a full set of councillors (every election had more candidates than seats),
and that no vote appears or vanishes at any stage: elected + hopeful + non-transferable + loss to
truncation = valid votes.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from frombelow.core.ballots.blt import read_blt
from frombelow.core.counting.result import TieBreak
from frombelow.core.counting.rule import CountOptions
from frombelow.core.counting.stv_scottish import count
from tests.golden.elections import SCOTLAND_GROUPS, check_every_election
from tests.shared_data import elections_dir


def check_election(path: Path) -> None:
    """Count one election and check its quota, its seats and the votes at every stage."""
    profile = read_blt(path)
    assert profile.seats is not None
    result = count(profile, CountOptions(seats=profile.seats, seed=2007))

    valid = profile.total_weight  # no paper in these files is empty
    assert result.valid_votes == valid
    assert result.quota == valid // (profile.seats + 1) + 1
    assert len(result.elected) == profile.seats
    assert len(set(result.elected)) == profile.seats
    exhausted, loss, surpluses = Decimal(0), Decimal(0), 0
    for stage in result.rounds:
        assert sum(stage.votes.values()) + stage.exhausted + stage.loss == valid, stage.number
        assert stage.exhausted >= exhausted, stage.number
        assert stage.loss >= loss, stage.number
        assert all(votes >= 0 for votes in stage.votes.values()), stage.number
        if stage.number > 1 and not stage.excluded and stage.transfers:
            giver = min(stage.transfers, key=lambda name: stage.transfers[name])
            if stage.transfers[giver] < 0:  # a surplus stage: the giver keeps exactly the quota
                assert stage.votes[giver] == result.quota, stage.number
                surpluses += 1
        exhausted, loss = stage.exhausted, stage.loss
    # Truncation loses less than 10^-5 of a vote per paper in each surplus transfer, and only there.
    assert loss < Decimal(valid * surpluses) / 10**5 if surpluses else loss == 0


@pytest.mark.parametrize("group", SCOTLAND_GROUPS)
def test_every_election_counts_soundly(group: str) -> None:
    check_every_election(group, check_election)


def test_all_elections_are_there() -> None:
    folder = elections_dir("scotland") / "blt_files"
    assert len(list(folder.glob("*/*.blt"))) == 1100


def test_equal_surpluses_go_by_the_most_recent_stage_that_separates_them() -> None:
    # Renfrewshire 2017, ward 3: Graham and Sharkey both reach 1311 at stage 6. At stage 5
    # Sharkey had 1167 and Graham 1103, so Sharkey's surplus goes first (rule 49(2)), although
    # Graham led on first preferences (1091 to 835).
    folder = elections_dir("scotland") / "blt_files" / "9_cands"
    profile = read_blt(folder / "renfrewshire_2017_ward3.blt")
    result = count(profile, CountOptions(seats=3, seed=1))
    graham, sharkey = "Neill GRAHAM (C)", "JIM SHARKEY (Lab)"
    assert result.rounds[5].votes[graham] == result.rounds[5].votes[sharkey] == 1311
    assert result.rounds[4].votes[sharkey] > result.rounds[4].votes[graham]
    assert result.rounds[0].votes[graham] > result.rounds[0].votes[sharkey]
    assert result.tie_breaks == (
        TieBreak(7, "surplus order", (graham, sharkey), sharkey, "totals at stage 5"),
    )
    assert result.rounds[6].votes[sharkey] == result.quota
    assert result.rounds[6].votes[graham] == 1311
