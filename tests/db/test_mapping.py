"""A statute and a count survive being stored as JSON, exactly."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from frombelow.core.ballots.profile import Profile
from frombelow.core.counting import registry
from frombelow.core.counting.rule import CountOptions, Threshold
from frombelow.core.errors import StatuteError
from frombelow.core.statutes import (
    ApportionedSeats,
    OneDelegatePerBody,
    PetitionThreshold,
    RatificationMajority,
    Statute,
)
from frombelow.db.mapping import read_result, read_statute, result_json, statute_json

shares = st.fractions(min_value=Fraction(1, 100), max_value=1, max_denominator=100)

statutes = st.builds(
    Statute,
    quorum=st.fractions(min_value=0, max_value=1, max_denominator=100),
    threshold=st.builds(Threshold, shares, st.sampled_from(["cast", "electorate"]), st.booleans()),
    competences=st.frozensets(st.sampled_from(["strikes", "dues", "press"])),
    seat_scheme=st.one_of(
        st.just(OneDelegatePerBody()),
        st.builds(ApportionedSeats, st.integers(1, 50), st.sampled_from(["dhondt", "hamilton"])),
    ),
    max_term_days=st.integers(1, 1000),
    rotation_limit=st.one_of(st.none(), st.integers(1, 5)),
    recall_petition=st.builds(
        PetitionThreshold, shares, st.one_of(st.none(), st.integers(1, 20)), st.just("larger")
    ),
    ratification_majority=st.builds(RatificationMajority, shares, st.just("weight"), st.booleans()),
    double_majority=st.booleans(),
    motion_supporters=st.integers(0, 10),
)


@settings(max_examples=100, deadline=None)
@given(statutes)
def test_a_statute_round_trips_through_json(statute: Statute) -> None:
    assert read_statute(statute_json(statute)) == statute


def test_a_rule_missing_from_an_older_version_takes_the_default() -> None:
    stored = statute_json(Statute(max_term_days=30))
    del stored["motion_supporters"]
    assert read_statute(stored) == Statute(max_term_days=30)


def test_a_statute_written_before_the_minimum_voting_period_reads_with_the_default() -> None:
    stored = statute_json(Statute(quorum=Fraction(0)))
    del stored["min_voting_hours"]
    # Its quorum stays what it said (none): the new default fills only what it did not say.
    assert read_statute(stored) == Statute(quorum=Fraction(0), min_voting_hours=72)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"veto": "yes"}, "no rule called veto"),
        ({"quorum": 0.5}, "exact fraction"),
        ({"quorum": "3/2"}, "quorum"),
        ({"seat_scheme": {"scheme": "appointed"}}, "unknown seat scheme"),
        ({"competences": "strikes"}, "list of named matters"),
        ({"min_voting_hours": -1}, "shortest online vote"),
        ({"min_voting_hours": "72"}, "shortest online vote"),
    ],
)
def test_a_bad_stored_statute_is_refused(change: dict[str, object], message: str) -> None:
    with pytest.raises(StatuteError, match=message):
        read_statute({**statute_json(Statute()), **change})


def test_a_count_round_trips_with_every_round_exact() -> None:
    profile = Profile.from_rankings(
        ("a", "b", "c"), [("a", "b"), ("b", "c"), ("c", "b"), ("a",), ("b",)]
    )
    result = registry.count("irv", profile, CountOptions(seats=1))
    back = read_result(result_json(result))
    assert back == result
    assert isinstance(back.rounds[0].votes["a"], Decimal)
