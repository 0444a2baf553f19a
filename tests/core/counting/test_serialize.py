"""A Result becomes plain JSON-ready data and comes back the same, every total exact."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from frombelow.core.ballots.blt import read_blt
from frombelow.core.counting.registry import count
from frombelow.core.counting.result import Result, Round, TieBreak
from frombelow.core.counting.rule import CountOptions
from frombelow.core.counting.serialize import result_from_dict, result_to_dict, value_text
from tests.shared_data import elections_dir


def test_a_scottish_count_keeps_every_place_of_every_total() -> None:
    profile = read_blt(elections_dir("glasgow2007") / "Calton-2007.blt")
    result = count("stv-scottish", profile, CountOptions(seats=3, seed=7))
    data = result_to_dict(result)
    assert data["quota"] == "1300.00000"
    assert data["valid_votes"] == "5199.00000"
    assert data["elected"] == list(result.elected)
    rounds = data["rounds"]
    assert isinstance(rounds, list)
    assert rounds[0]["votes"]["George Redmond"] == "1982.00000"
    assert rounds[0]["elected"] == ["George Redmond"]
    assert result_from_dict(json.loads(json.dumps(data))) == result


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("0E-7"), "0.0000000"),
        (Decimal("1E+3"), "1000"),
        (Decimal("-682.00000"), "-682.00000"),
        (Decimal(5), "5"),
    ],
)
def test_totals_are_written_in_fixed_point_never_in_exponents(value: Decimal, text: str) -> None:
    assert value_text(value) == text


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"quota": 1.5}, "a total must be a decimal string, not 1.5"),
        ({"valid_votes": "many"}, "'many' is not a decimal number"),
        ({"valid_votes": "NaN"}, "'NaN' is not a finite decimal number"),
    ],
)
def test_bad_data_is_refused(change: dict[str, object], message: str) -> None:
    data = result_to_dict(Result("plurality", 1, ("A",), ("A",))) | change
    with pytest.raises(ValueError, match=message):
        result_from_dict(data)


def test_missing_data_is_refused_by_name() -> None:
    data = result_to_dict(Result("plurality", 1, ("A",), ("A",)))
    del data["seed"]
    with pytest.raises(ValueError, match="a result lacks 'seed'"):
        result_from_dict(data)


names = st.sampled_from(["Ana", "Ben", "Chen", "Dara"])
values = st.decimals(allow_nan=False, allow_infinity=False, places=5, max_value=10**9)
rounds = st.builds(
    Round,
    number=st.integers(1, 50),
    action=st.text(max_size=20),
    votes=st.dictionaries(names, values),
    transfers=st.dictionaries(names, values),
    elected=st.lists(names, max_size=2).map(tuple),
    excluded=st.lists(names, max_size=2).map(tuple),
    exhausted=values,
    loss=values,
    quota=st.none() | values,
    note=st.text(max_size=20),
)
tie_breaks = st.builds(
    TieBreak,
    round=st.integers(1, 50),
    purpose=st.sampled_from(["exclusion", "election"]),
    tied=st.lists(names, min_size=2, max_size=3).map(tuple),
    chosen=names,
    method=st.text(max_size=20),
)
results = st.builds(
    Result,
    method=st.sampled_from(["stv-scottish", "schulze", "majority"]),
    seats=st.integers(1, 5),
    candidates=st.lists(names, unique=True).map(tuple),
    elected=st.lists(names, max_size=3).map(tuple),
    rounds=st.lists(rounds, max_size=3).map(tuple),
    tie_breaks=st.lists(tie_breaks, max_size=2).map(tuple),
    quota=st.none() | values,
    valid_votes=values,
    seed=st.none() | st.integers(0, 2**63 - 1),
    ranking=st.lists(st.lists(names, min_size=1, max_size=2).map(tuple), max_size=3).map(tuple),
    outcome=st.sampled_from(["", "carried", "lost", "inquorate"]),
    details=st.dictionaries(st.text(max_size=8), st.text(max_size=8), max_size=3),
)


@settings(max_examples=150, deadline=None)
@given(results)
def test_every_result_survives_json_unchanged(result: Result) -> None:
    text = json.dumps(result_to_dict(result))
    assert result_from_dict(json.loads(text)) == result
