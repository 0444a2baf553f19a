"""BLT files are read as counting programs write them, refused with the line at fault, and
written so that they read back the same."""

from __future__ import annotations

import io
import itertools
import re
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from frombelow.core.ballots.blt import format_blt, parse_blt, read_blt, write_blt
from frombelow.core.ballots.profile import Ballot, BallotError, Profile, Ranking
from tests.shared_data import elections_dir

CALTON_NAMES = (
    "Gary Barton",
    "Alasdair Duke - Wardrop",
    "Fiacra Fullerton",
    "Scott Gillespie",
    "Paul Graham",
    "Danny Houston",
    "Kenny Murray",
    "George Redmond",
    "Ruth Simpson",
    "Alison E Thewliss",
)


def tally(profile: Profile) -> Counter[Ranking]:
    """Return the total weight cast for each ranking."""
    weights: Counter[Ranking] = Counter()
    for ballot in profile.ballots:
        weights[ballot.ranking] += ballot.weight
    return weights


def read_plainly(path: Path) -> Counter[Ranking]:
    """Read the ballot lines of a plain BLT file one by one: the reference the reader must match."""
    lines = path.read_text(encoding="utf-8").replace(",", " ").splitlines()
    weights: Counter[Ranking] = Counter()
    for line in lines[1:]:
        numbers = [int(token) for token in line.split()]
        if numbers == [0]:
            return weights
        weights[tuple((n - 1,) for n in numbers[1:-1])] += numbers[0]
    raise AssertionError(f"{path} has no line 0")


# -- Real elections -----------------------------------------------------------------------------


def test_calton_2007_is_read_with_its_names_seats_title_and_every_ballot() -> None:
    path = elections_dir("glasgow2007") / "Calton-2007.blt"
    profile = read_blt(path)
    assert profile.candidates == CALTON_NAMES
    assert profile.seats == 3
    assert profile.title == "CALTON"
    assert profile.withdrawn == frozenset()
    assert tally(profile) == read_plainly(path)
    assert profile.total_weight == sum(read_plainly(path).values())


@pytest.mark.parametrize(("folder", "every"), [("glasgow2007", 1), ("scotland", 10)])
def test_every_stored_election_is_read(folder: str, every: int) -> None:
    files = sorted(elections_dir(folder).rglob("*.blt"))
    assert files
    for number, path in enumerate(files):
        profile = read_blt(path)
        assert len(profile.candidates) == int(path.read_text().split()[0].rstrip(","))
        assert profile.title, path
        # Ballot for ballot against a plain reading: every file of Glasgow, a tenth of the rest
        # (the plain reading is slow; all 1,100 agree when run with every = 1).
        if number % every == 0:
            assert tally(profile) == read_plainly(path), path


def test_scot_elex_names_given_as_preflib_comments_are_the_candidates() -> None:
    path = elections_dir("scotland") / "blt_files" / "10_cands" / "glasgow_2007_calton.blt"
    profile = read_blt(path)
    assert profile.candidates[0] == "Gary Barton (Ind)"
    assert profile.candidates[-1] == "Alison E Thewliss (SNP)"
    assert profile.title == "Calton ward"
    assert tally(profile) == tally(read_blt(elections_dir("glasgow2007") / "Calton-2007.blt"))


def test_a_blt_saved_from_a_spreadsheet_is_read_cell_by_cell() -> None:
    path = (
        elections_dir("scotland")
        / "blt_files"
        / "5_cands"
        / "perth_kinross_2016_by_election_ward9.blt"
    )
    profile = read_blt(path)
    assert profile.candidates[3] == "Wilma LUMSDEN"
    assert profile.title == "Ward 9 - Almond and Earn"
    assert profile.seats == 1


# -- The forms the format allows ---------------------------------------------------------------


def test_the_1987_example_with_a_withdrawn_candidate() -> None:
    text = "4 2\n-2\n3 1 3 4 0\n4 1 3 2 0\n2 4 1 3 0\n1 2 0\n2 2 4 3 1 0\n1 3 4 2 0\n0\n"
    text += '"Adam"\n"Basil"\n"Charlotte"\n"Donald"\n"Title"\n'
    profile = parse_blt(text)
    assert profile.candidates == ("Adam", "Basil", "Charlotte", "Donald")
    assert profile.withdrawn == frozenset({1})
    assert (profile.seats, profile.title, profile.total_weight) == (2, "Title", 13)
    assert tally(profile)[((0,), (2,), (3,))] == 3


def test_comments_blank_lines_ballot_ids_and_equal_rankings() -> None:
    text = """# a count
3 1   # three candidates, one seat

(a1) 2 1 3 0
(a2) 2 1 3 0   # the same ballot again
1 2=3 1 0
0 # the end
# the names
"Ada" # first
"Bea"
"Cy"
"A # is no comment inside quotes"
"""
    profile = parse_blt(text)
    assert profile.title == "A # is no comment inside quotes"
    assert tally(profile) == {((0,), (2,)): 4, ((1, 2), (0,)): 1}
    assert not profile.is_strict


def test_identical_lines_are_aggregated_and_their_weights_added() -> None:
    text = '2 1\n1 1 2 0\n1 2 0\n1 1 2 0\n5 1 2 0\n1 1 2 0\n0\n"A"\n"B"\n""\n'
    profile = parse_blt(text)
    assert len(profile.weights) == 3  # one row per distinct line
    assert tally(profile) == {((0,), (1,)): 8, ((1,),): 1}


def test_many_distinct_lines_are_read_without_aggregating_them_and_faults_are_found() -> None:
    orders = list(itertools.islice(itertools.permutations(range(1, 9)), 20_000))
    lines = [f"{1 + i % 3} " + " ".join(map(str, order)) + " 0" for i, order in enumerate(orders)]
    lines[5_000:5_000] = ["", lines[7]]  # a blank line, and a line repeated
    names = "".join(f'"C{i}"\n' for i in range(1, 9))
    profile = parse_blt("8 2\n" + "\n".join(lines) + "\n0\n" + names + '"Many"\n')
    expected: Counter[Ranking] = Counter()
    for line in lines[:5_000] + lines[5_001:]:
        numbers = [int(token) for token in line.split()]
        expected[tuple((n - 1,) for n in numbers[1:-1])] += numbers[0]
    assert tally(profile) == expected
    lines[19_000] = "1 1 2 9 0"
    with pytest.raises(BallotError, match=r"x\.blt, line 19002: preference 9 names no candidate"):
        parse_blt("8 2\n" + "\n".join(lines) + "\n0\n" + names + '"Many"\n', source="x.blt")


def test_crlf_line_ends_and_a_byte_order_mark_are_read(tmp_path: Path) -> None:
    path = tmp_path / "windows.blt"
    path.write_bytes('\ufeff2 1\r\n3 2 1 0\r\n0\r\n"Ann"\r\n"Bo"\r\n"Vote"\r\n'.encode())
    profile = read_blt(path)
    assert profile.candidates == ("Ann", "Bo")
    assert tally(profile) == {((1,), (0,)): 3}


def test_unquoted_names_are_whole_lines_and_a_line_of_strings_is_one_candidate() -> None:
    text = '3 1\n1 1 0\n0\nAnn SMITH   (Lab)\n"Bo JONES" "Green Party"\n"Cy ""Kit"" LEE"\nWard 9\n'
    profile = parse_blt(text)
    assert profile.candidates == ("Ann SMITH (Lab)", "Bo JONES Green Party", 'Cy "Kit" LEE')
    assert profile.title == "Ward 9"


def test_white_space_in_a_name_reads_as_one_space_as_droop_reads_it() -> None:
    profile = parse_blt('2 1\n1 2 0\n0\n"Ellen   Hurcombe"\n"Kieran  Wild "\n"A\ttitle"\n')
    assert profile.candidates == ("Ellen Hurcombe", "Kieran Wild ")
    assert profile.title == "A title"
    with pytest.raises(BallotError, match="line 5: candidate name 'A B' is also on line 4"):
        parse_blt('2 1\n1 2 0\n0\n"A B"\n"A  B"\n"T"\n')


def test_names_on_one_line_as_the_1987_format_allows() -> None:
    profile = parse_blt('2 1\n1 2 0\n0\n"Ann" "Bo" "The title"\n')
    assert profile.candidates == ("Ann", "Bo")
    assert profile.title == "The title"


def test_an_empty_ballot_is_kept_with_its_weight() -> None:
    profile = parse_blt('2 1\n4 0\n1 1 0\n0\n"A"\n"B"\n"T"\n')
    assert tally(profile) == {(): 4, ((0,),): 1}


def test_the_fast_reader_and_the_careful_reader_agree() -> None:
    plain = '3 2\n1 1 2 3 0\n2 3 0\n1 1 2 3 0\n7 2 1 0\n0\n"A"\n"B"\n"C"\n"T"\n'
    dressed = (
        '3 2\n1  1 2 3 0\n\t2 3 0 # a comment\n(x) 1 1 2 3 0 \n7 2 1 0\n0\n"A"\n"B"\n"C"\n"T"\n'
    )
    assert tally(parse_blt(plain)) == tally(parse_blt(dressed))


# -- Writing -----------------------------------------------------------------------------------


def test_writing_uses_candidate_numbers_equal_rankings_and_withdrawn_line() -> None:
    profile = Profile.from_ballots(
        ("Ada", 'Bea "B"', "Cy"),
        [Ballot(((0,), (1, 2)), 3), Ballot((), 1)],
        withdrawn=[2],
        seats=2,
        title="Council",
    )
    assert format_blt(profile) == (
        '3 2\n-3\n3 1 2=3 0\n1 0\n0\n"Ada"\n"Bea ""B"""\n"Cy"\n"Council"\n'
    )


def test_write_blt_writes_to_a_path_or_a_stream(tmp_path: Path) -> None:
    profile = Profile.from_rankings(("A", "B"), [("B", "A"), ("A",)], seats=1, title="T")
    stream = io.StringIO()
    write_blt(profile, stream)
    write_blt(profile, tmp_path / "out.blt")
    assert (tmp_path / "out.blt").read_text(encoding="utf-8") == stream.getvalue()
    assert tally(read_blt(tmp_path / "out.blt")) == tally(profile)


@pytest.mark.parametrize(
    ("profile", "message"),
    [
        (Profile.from_rankings(("A\nB",), [("A\nB",)]), "white space other than single spaces"),
        (Profile.from_rankings(("A  B",), [("A  B",)]), "white space other than single spaces"),
        (Profile.from_rankings((" ",), [(" ",)]), "without a name"),
        (Profile.from_ballots(("A",), [Ballot(((0,),), 0)]), "ballot 1: its weight is below 1"),
    ],
)
def test_what_blt_cannot_hold_is_refused(profile: Profile, message: str) -> None:
    with pytest.raises(BallotError, match=message):
        format_blt(profile)


# Names as BLT can hold them: white space only as single spaces.
texts = st.text(st.characters(blacklist_categories=["Cs", "Cc", "Zl", "Zp"])).filter(
    lambda text: re.sub(r"\s+", " ", text) == text
)
names = texts.filter(str.strip)


@st.composite
def profiles(draw: st.DrawFn) -> Profile:
    """Draw a small profile with equal rankings, withdrawn candidates, seats and a title."""
    candidates = draw(st.lists(names, min_size=1, max_size=6, unique=True))
    n = len(candidates)
    ballots = []
    for _ in range(draw(st.integers(0, 8))):
        order = draw(st.permutations(range(n)))[: draw(st.integers(0, n))]
        groups: list[list[int]] = []
        for candidate in order:
            tie = draw(st.booleans())
            if groups and tie:
                groups[-1].append(candidate)
            else:
                groups.append([candidate])
        ranking = tuple(tuple(group) for group in groups)
        ballots.append(Ballot(ranking, draw(st.integers(1, 10**9))))
    return Profile.from_ballots(
        candidates,
        ballots,
        withdrawn=draw(st.sets(st.integers(0, n - 1))),
        seats=draw(st.integers(1, n)),
        title=draw(texts),
    )


@settings(max_examples=150, deadline=None)
@given(profiles())
def test_what_is_written_reads_back_the_same(profile: Profile) -> None:
    text = format_blt(profile)
    again = parse_blt(text)
    # Tabs send the lines to the careful parser, which must read them as the fast one does.
    assert tally(parse_blt(text.replace(" 0\n", "\t0\n"))) == tally(again)
    assert again.candidates == profile.candidates
    assert (again.seats, again.withdrawn, again.title) == (
        profile.seats,
        profile.withdrawn,
        profile.title,
    )
    assert tally(again) == tally(profile)
    assert again.prefs.dtype == np.int32


# -- Malformed files ---------------------------------------------------------------------------

NAMES = '"A"\n"B"\n"C"\n"T"\n'


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "x.blt: the file is empty"),
        ("# only a comment\n\n", "x.blt: the file is empty"),
        ("3\n0\n" + NAMES, "line 1: the first line must give two numbers"),
        ("3 1 2\n0\n" + NAMES, "line 1: the first line must give two numbers"),
        ("three 1\n0\n" + NAMES, "line 1: .*'three' is not a whole number"),
        ("0 1\n0\n", "line 1: there must be at least one candidate, not 0"),
        ("3 0\n0\n" + NAMES, "line 1: there must be at least one seat, not 0"),
        (
            "3 1\n-4\n0\n" + NAMES,
            r"line 2: withdrawn candidate 4 names no candidate \(there are 3\)",
        ),
        ("3 1\n-1 2\n0\n" + NAMES, "line 2: withdrawn candidates are written -1, -2, ...; 2"),
        ("3 1\n1 2 0\n" + NAMES, "x.blt: no line '0' ends the ballots"),
        ("3 1\n1 2 0\n0 2 0\n0\n" + NAMES, "line 3: a ballot's weight must be at least 1"),
        ("3 1\n1 2 0\n1 2\n0\n" + NAMES, "line 3: a ballot line must end with 0"),
        ("3 1\n1 2 0\n7\n0\n" + NAMES, "line 3: a ballot line must end with 0"),
        ("3 1\n1 2 0 3 0\n0\n" + NAMES, "line 2: a 0 ends the ballot before its last preference"),
        (
            "3 1\n1 1 0\n1 12 0\n0\n" + NAMES,
            r"line 3: preference 12 names no candidate \(there are 3\)",
        ),
        ("3 1\n1 1 0\n1 2 3 2 0\n0\n" + NAMES, "line 3: candidate 2 is ranked twice"),
        ("3 1\n1 2=2 0\n0\n" + NAMES, "line 2: candidate 2 is ranked twice"),
        ("3 1\n1 =2 0\n0\n" + NAMES, "line 2: '=' must join two preferences"),
        ("3 1\n1 2 =0\n0\n" + NAMES, "line 2: '=' must join two preferences"),
        ("3 1\n1 2==3 0\n0\n" + NAMES, "line 2: '=' must join two preferences"),
        ("3 1\n1=2 3 0\n0\n" + NAMES, "line 2: '=' must join two preferences"),
        ("3 1\n1 2 0\n1 2 - 3 0\n0\n" + NAMES, "line 3: '-' .* cannot appear in a ballot"),
        ("3 1\n1.5 2 0\n0\n" + NAMES, "line 2: '.': weights and preferences are whole numbers"),
        ("3 1\n1,2,0\n0\n" + NAMES, "line 2: ',': numbers are separated by spaces"),
        ("3 1\n1 2 0\n1 ² 0\n0\n" + NAMES, "line 3: unexpected character '²'"),
        ("3 1\n1 2 0\n1 x 0\n0\n" + NAMES, "line 3: unexpected character 'x' in a ballot"),
        ("3 1\n1 2 0\n/* c */\n0\n" + NAMES, "line 3: unexpected character '/' in a ballot"),
        ("3 1\n1 2 0\n0\n" + NAMES + "[tie 1 2 3]\n", r"line 8: Droop's options \(\[tie"),
        (
            "3 1\n1 2 0\n1234567890123456789 2 0\n0\n" + NAMES,
            "line 3: a number has more than 18 digits",
        ),
        (
            '3 1\n1 2 0\n0\n"A"\n"B"\n',
            r"line 5: expected 3 candidate names and a title .* found 2 lines",
        ),
        ("3 1\n1 2 0\n0\n" + NAMES + '"More"\n', "line 8: unexpected text 'More' after the title"),
        ('3 1\n1 2 0\n0\n"A\n"B"\n"C"\n"T"\n', "line 4: a quote opens but does not close"),
        ('3 1\n1 2 0\n0\n"A" B\n"B"\n"C"\n"T"\n', "line 4: unexpected text 'B' after a quoted"),
        ('3 1\n1 2 0\n0\n"A"\n"  "\n"C"\n"T"\n', "line 5: a candidate's name is empty"),
        ('3 1\n1 2 0\n0\n"A"\n"B"\n"A"\n"T"\n', "line 6: candidate name 'A' is also on line 4"),
        (
            "2 1\n1 2 0\n0\n# ALTERNATIVE NAME 1: A\n# ALTERNATIVE NAME 3: C\nTitle\n",
            r"line 5: alternative 3 names no candidate \(there are 2\)",
        ),
    ],
)
def test_a_malformed_file_is_refused_with_its_name_line_and_fault(text: str, message: str) -> None:
    with pytest.raises(BallotError, match=message) as caught:
        parse_blt(text, source="x.blt")
    assert str(caught.value).startswith("x.blt")


def test_weights_that_would_overflow_when_added_up_are_refused() -> None:
    line = "999999999999999999 1 0\n"
    with pytest.raises(BallotError, match="line 2: the ballot weight is too large"):
        parse_blt("1 1\n" + line * 10 + '0\n"A"\n"T"\n', source="x.blt")
    heavy = "".join(f"99999999999999999{digit} 1 0\n" for digit in range(5))
    with pytest.raises(BallotError, match=r"x\.blt: the ballots' total weight is too large"):
        parse_blt("1 1\n" + heavy + '0\n"A"\n"T"\n', source="x.blt")


def test_a_file_that_is_not_utf8_or_cannot_be_read_is_refused_by_name(tmp_path: Path) -> None:
    latin = tmp_path / "latin.blt"
    latin.write_bytes(b'1 1\n1 1 0\n0\n"Jos\xe9"\n"T"\n')
    with pytest.raises(BallotError, match=r"latin.blt, line 4: not UTF-8 text \(byte 0xe9\)"):
        read_blt(latin)
    with pytest.raises(BallotError, match=r"missing\.blt: cannot read the file"):
        read_blt(tmp_path / "missing.blt")
    with pytest.raises(BallotError, match="cannot read the file"):
        read_blt(tmp_path)
