"""CSV ballots are read row by row, with an optional candidates row and count column, refused
where malformed, and written so that they read back the same."""

from __future__ import annotations

import io
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from frombelow.core.ballots.csv_ballots import (
    format_csv_ballots,
    parse_csv_ballots,
    read_csv_ballots,
    write_csv_ballots,
)
from frombelow.core.ballots.profile import Ballot, BallotError, Profile


def tally(profile: Profile) -> Counter[tuple[str, ...]]:
    """Return the total weight cast for each ranking, by candidate name."""
    weights: Counter[tuple[str, ...]] = Counter()
    for ballot in profile.ballots:
        weights[tuple(profile.candidates[c] for c in ballot.strict_ranking())] += ballot.weight
    return weights


def test_rows_are_ballots_and_candidates_come_in_order_of_first_appearance() -> None:
    profile = parse_csv_ballots("Ana,Ben\nChen\n\nBen, Ana ,,\nAna,Ben\n")
    assert profile.candidates == ("Ana", "Ben", "Chen")
    assert tally(profile) == {("Ana", "Ben"): 2, ("Chen",): 1, ("Ben", "Ana"): 1}


def test_a_candidates_row_fixes_their_order_and_keeps_those_nobody_ranked() -> None:
    profile = parse_csv_ballots("Candidates,Chen,Ben,Ana,Dee\nAna,Ben\n")
    assert profile.candidates == ("Chen", "Ben", "Ana", "Dee")
    assert tally(profile) == {("Ana", "Ben"): 1}


def test_a_count_header_makes_the_first_column_the_count() -> None:
    text = "candidates,Ana,Ben,Chen\nCOUNT,1st,2nd,3rd\n12,Ana,Chen\n3,Ben,,\n2,Ana,Chen\n4\n"
    profile = parse_csv_ballots(text)
    assert tally(profile) == {("Ana", "Chen"): 14, ("Ben",): 3, (): 4}
    assert parse_csv_ballots("count\n7,Ben\n").candidates == ("Ben",)


def test_quoted_names_and_semicolon_separators(tmp_path: Path) -> None:
    path = tmp_path / "ballots.csv"
    path.write_text('count;first;second\n2;"Ruiz; Ana";"Li, Chen"\n', encoding="utf-8")
    profile = read_csv_ballots(path)
    assert profile.candidates == ("Ruiz; Ana", "Li, Chen")
    assert profile.total_weight == 2


def test_writing_lists_candidates_counts_and_one_row_per_ranking(tmp_path: Path) -> None:
    profile = Profile.from_rankings(
        ("Ana", "Ben, Jr", "Chen"), [("Ben, Jr", "Ana"), ("Ana",), ("Ben, Jr", "Ana")]
    )
    text = format_csv_ballots(profile)
    assert text == 'candidates,Ana,"Ben, Jr",Chen\r\ncount,1,2\r\n2,"Ben, Jr",Ana\r\n1,Ana\r\n'
    stream = io.StringIO()
    write_csv_ballots(profile, stream)
    write_csv_ballots(profile, tmp_path / "out.csv")
    assert (tmp_path / "out.csv").read_bytes().decode() == stream.getvalue() == text


@pytest.mark.parametrize(
    ("profile", "message"),
    [
        (Profile.from_ballots(("A", "B"), [Ballot(((0, 1),), 1)]), "cannot hold equal rankings"),
        (Profile.from_ballots(("A", "B"), [], withdrawn=[1]), "cannot mark withdrawn"),
        (Profile.from_rankings((" A",), [(" A",)]), "outer spaces"),
        (Profile.from_ballots(("A",), [Ballot(((0,),), 0)]), "a ballot of weight 0 is none"),
    ],
)
def test_what_csv_cannot_hold_is_refused(profile: Profile, message: str) -> None:
    with pytest.raises(BallotError, match=message):
        format_csv_ballots(profile)


names = st.text(st.characters(blacklist_categories=["Cs"]), min_size=1).filter(
    lambda name: name == name.strip() and name.strip()
)


@st.composite
def profiles(draw: st.DrawFn) -> Profile:
    """Draw a small profile of strict rankings."""
    candidates = draw(st.lists(names, min_size=1, max_size=6, unique=True))
    rankings = []
    weights = []
    for _ in range(draw(st.integers(0, 8))):
        order = draw(st.permutations(candidates))[: draw(st.integers(0, len(candidates)))]
        rankings.append(tuple(order))
        weights.append(draw(st.integers(1, 10**12)))
    return Profile.from_rankings(candidates, rankings, weights=weights)


@settings(max_examples=150, deadline=None)
@given(profiles())
def test_what_is_written_reads_back_the_same(profile: Profile) -> None:
    again = parse_csv_ballots(format_csv_ballots(profile))
    assert again.candidates == profile.candidates
    assert tally(again) == tally(profile)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", r"x\.csv: the file names no candidates"),
        ("count,1st\n", r"x\.csv: the file names no candidates"),
        ("candidates,,\nAna\n", "line 1: the candidates row lists no candidate"),
        ("candidates,Ana,Ben,Ana\n", "line 1: candidate 'Ana' is listed twice"),
        (
            "candidates,Ana,Ben\nBen\nAna,Dee\n",
            "line 3: 'Dee' is not among the candidates listed on line 1",
        ),
        ("Ana,Ben\nAna,,Ben\n", r"line 2: 'Ben' follows a blank cell \(a skipped preference\)"),
        ("Ana,Ben\n\nBen,Ana,Ben\n", "line 3: 'Ben' is ranked twice"),
        ("count,1st\n2,Ana\nx,Ben\n", "line 3: the count 'x' is not a whole number above 0"),
        ("count,1st\n2,Ana\n0,Ben\n", "line 3: the count '0' is not a whole number above 0"),
        ("count,1st\n2,Ana\n1.5,Ben\n", "line 3: the count '1.5' is not a whole number above 0"),
        ('Ana,Ben\n"Ben"x,Ana\n', "line 2: not CSV"),
    ],
)
def test_a_malformed_file_is_refused_with_its_name_line_and_fault(text: str, message: str) -> None:
    with pytest.raises(BallotError, match=message) as caught:
        parse_csv_ballots(text, source="x.csv")
    assert str(caught.value).startswith("x.csv")
