"""Instant runoff on real ballots: the Scottish elections counted for a single seat.

Every Scottish local election of 2007 to 2022 (1,100 profiles) is counted by `irv` and by the two
STV rules with one seat: with one seat, STV is instant runoff, so whenever no count needed a
tie-break the three elect the same candidate. The 21 Glasgow wards of 2007 are also counted by
pref_voting's instant runoff for truncated ballots, an independent implementation.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pref_voting.iterative_methods import instant_runoff_for_truncated_linear_orders
from pref_voting.profiles_with_ties import ProfileWithTies

from frombelow.core.ballots.blt import read_blt
from frombelow.core.counting import irv, stv_meek, stv_scottish
from frombelow.core.counting.rule import CountOptions
from tests.golden.elections import GLASGOW_WARDS, SCOTLAND_GROUPS, check_every_election
from tests.shared_data import elections_dir

ONE_SEAT = CountOptions(seats=1, seed=2007)


def check_election(path: Path) -> None:
    """Count one profile by irv and one-seat STV, and compare."""
    profile = read_blt(path)
    ours = irv.count(profile, ONE_SEAT)
    for stage in ours.rounds:
        assert sum(stage.votes.values()) + stage.exhausted == profile.total_weight, stage.number
    for rule in (stv_scottish.RULE, stv_meek.RULE):
        theirs = rule.count(profile, ONE_SEAT)
        if not ours.tie_breaks and not theirs.tie_breaks:
            assert theirs.elected == ours.elected, rule.name


@pytest.mark.parametrize("group", SCOTLAND_GROUPS)
def test_one_seat_stv_elects_the_instant_runoff_winner(group: str) -> None:
    check_every_election(group, check_election)


@pytest.mark.parametrize("ward", GLASGOW_WARDS)
def test_glasgow_2007_agrees_with_pref_voting(ward: str) -> None:
    profile = read_blt(elections_dir("glasgow2007") / f"{ward}-2007.blt")
    ours = irv.count(profile, ONE_SEAT)
    ballots = list(profile.ballots)
    theirs = ProfileWithTies(
        [{c: rank for rank, c in enumerate(b.strict_ranking(), start=1)} for b in ballots],
        rcounts=[b.weight for b in ballots],
        candidates=list(range(len(profile.candidates))),
    )
    assert ours.tie_breaks == ()
    winners = instant_runoff_for_truncated_linear_orders(theirs)
    assert [profile.candidates[c] for c in winners] == list(ours.elected)
