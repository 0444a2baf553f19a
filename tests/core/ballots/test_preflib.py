"""PrefLib files are read with their metadata checked, refused where malformed, and written so
that they read back the same."""

from __future__ import annotations

import io
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from frombelow.core.ballots.preflib import (
    data_type_of,
    format_preflib,
    parse_preflib,
    read_preflib,
    write_preflib,
)
from frombelow.core.ballots.profile import Ballot, BallotError, Profile, Ranking

HEADER = """# FILE NAME: 00099-00000001.toi
# TITLE: Branch secretary 2024
# DESCRIPTION:
# DATA TYPE: toi
# MODIFICATION TYPE: original
# RELATES TO:
# RELATED FILES:
# PUBLICATION DATE: 2024-05-01
# MODIFICATION DATE: 2024-05-01
# NUMBER ALTERNATIVES: 4
# NUMBER VOTERS: 20
# NUMBER UNIQUE ORDERS: 3
# ALTERNATIVE NAME 1: Ana Ruiz
# ALTERNATIVE NAME 2: Ben Okafor
# ALTERNATIVE NAME 3: Chen Li: night shift
# ALTERNATIVE NAME 4: Dara Byrne
"""
ORDERS = "13: 1, {4, 3}, 2\n5: 2\n2:{1,2,3,4}\n"


def tally(profile: Profile) -> Counter[Ranking]:
    """Return the total weight cast for each ranking."""
    weights: Counter[Ranking] = Counter()
    for ballot in profile.ballots:
        weights[ballot.ranking] += ballot.weight
    return weights


def test_a_toi_file_gives_names_title_and_orders_with_equal_rankings() -> None:
    profile = parse_preflib(HEADER + ORDERS)
    assert profile.candidates == ("Ana Ruiz", "Ben Okafor", "Chen Li: night shift", "Dara Byrne")
    assert profile.title == "Branch secretary 2024"
    assert profile.seats is None
    assert tally(profile) == {((0,), (3, 2), (1,)): 13, ((1,),): 5, ((0, 1, 2, 3),): 2}


def test_a_strict_incomplete_file_read_from_disk(tmp_path: Path) -> None:
    path = tmp_path / "vote.soi"
    text = (
        HEADER.replace("toi", "soi")
        .replace("VOTERS: 20", "VOTERS: 9")
        .replace("ORDERS: 3", "ORDERS: 2")
    )
    path.write_text(text + "6: 3,1\n3: 4\n", encoding="utf-8")
    profile = read_preflib(path)
    assert profile.is_strict
    assert tally(profile) == {((2,), (0,)): 6, ((3,),): 3}


def test_repeated_orders_are_added_up_and_comments_skipped() -> None:
    text = HEADER.replace("VOTERS: 20", "VOTERS: 4") + "# a comment: not metadata\n1: 2,1\n3: 2,1\n"
    profile = parse_preflib(text.replace("ORDERS: 3", "ORDERS: 2"))
    assert tally(profile) == {((1,), (0,)): 4}


def test_only_the_alternatives_are_required() -> None:
    text = "# NUMBER ALTERNATIVES: 2\n# ALTERNATIVE NAME 2: B\n# ALTERNATIVE NAME 1: A\n4: 2,1\n"
    profile = parse_preflib(text)
    assert profile.candidates == ("A", "B")
    assert profile.title == ""


def test_seats_and_withdrawn_candidates_travel_in_our_own_metadata() -> None:
    profile = Profile.from_ballots(
        ("A", "B", "C"), [Ballot(((0,), (1,)), 1)], withdrawn=[2], seats=2, title="T"
    )
    text = format_preflib(profile)
    assert "# NUMBER SEATS: 2\n" in text
    assert "# WITHDRAWN ALTERNATIVES: 3\n" in text
    again = parse_preflib(text)
    assert (again.seats, again.withdrawn) == (2, frozenset({2}))


def test_the_writer_chooses_the_most_restrictive_type_and_lists_orders_by_count() -> None:
    strict = Profile.from_rankings(("A", "B"), [("A",), ("B", "A"), ("B", "A")])
    assert data_type_of(strict) == "soi"
    text = format_preflib(strict)
    assert "# DATA TYPE: soi\n" in text
    assert text.endswith("# ALTERNATIVE NAME 2: B\n2: 2,1\n1: 1\n")
    complete = Profile.from_rankings(("A", "B"), [("B", "A")])
    assert data_type_of(complete) == "soc"
    tied = Profile.from_ballots(("A", "B", "C"), [Ballot(((0, 1),), 1)])
    assert data_type_of(tied) == "toi"
    with pytest.raises(BallotError, match=r"a \.soi file cannot hold equal rankings; write \.toi"):
        format_preflib(tied, data_type="soi")
    with pytest.raises(BallotError, match=r"a \.toc file ranks every candidate"):
        format_preflib(tied, data_type="toc")


def test_write_preflib_takes_the_type_from_the_extension(tmp_path: Path) -> None:
    profile = Profile.from_rankings(("A", "B"), [("B",)], title="T")
    write_preflib(profile, tmp_path / "out.toi")
    text = (tmp_path / "out.toi").read_text(encoding="utf-8")
    assert "# FILE NAME: out.toi\n# TITLE: T\n" in text
    assert "# DATA TYPE: toi\n" in text
    assert tally(read_preflib(tmp_path / "out.toi")) == tally(profile)
    stream = io.StringIO()
    write_preflib(profile, stream)
    assert "# DATA TYPE: soi\n" in stream.getvalue()
    with pytest.raises(BallotError, match=r"out\.txt: a PrefLib file is named"):
        write_preflib(profile, tmp_path / "out.txt")


@pytest.mark.parametrize(
    ("profile", "message"),
    [
        (Profile.from_rankings((" A",), [(" A",)]), "outer spaces"),
        (Profile.from_rankings(("A\nB",), [("A\nB",)]), "a newline"),
        (Profile.from_ballots(("A",), [Ballot(((0,),), 0)]), "a ballot of weight 0 is none"),
    ],
)
def test_what_preflib_cannot_hold_is_refused(profile: Profile, message: str) -> None:
    with pytest.raises(BallotError, match=message):
        format_preflib(profile)


names = st.text(
    st.characters(blacklist_categories=["Cs", "Zs", "Cc"], blacklist_characters="\x85\u2028\u2029"),
    min_size=1,
)


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
        ballots.append(Ballot(tuple(map(tuple, groups)), draw(st.integers(1, 10**12))))
    return Profile.from_ballots(
        candidates,
        ballots,
        withdrawn=draw(st.sets(st.integers(0, n - 1))),
        seats=draw(st.none() | st.integers(1, n)),
        title=draw(st.text(st.characters(whitelist_categories=["L", "N"]))),
    )


@settings(max_examples=150, deadline=None)
@given(profiles())
def test_what_is_written_reads_back_the_same(profile: Profile) -> None:
    kind = data_type_of(profile)
    again = parse_preflib(format_preflib(profile), data_type=kind)
    assert again.candidates == profile.candidates
    assert (again.seats, again.withdrawn, again.title) == (
        profile.seats,
        profile.withdrawn,
        profile.title,
    )
    assert tally(again) == tally(profile)


# -- Malformed files ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("4\n1,Ana\n", "line 1: an order line reads 'count: order'"),
        ("", r"x\.toi: no '# NUMBER ALTERNATIVES:' line"),
        (HEADER.replace("ALTERNATIVES: 4", "ALTERNATIVES: four"), "line 10: NUMBER ALTERNATIVES"),
        (
            HEADER.replace("NAME 4: Dara Byrne", "NAME 5: Dara Byrne"),
            "line 16: alternative 5 is not",
        ),
        (
            HEADER.replace("# ALTERNATIVE NAME 4: Dara Byrne\n", ""),
            "no '# ALTERNATIVE NAME 4:' line",
        ),
        (
            HEADER.replace("NAME 4: Dara Byrne", "NAME 3: Dara"),
            "line 16: alternative 3 is named twice",
        ),
        (
            HEADER.replace("Dara Byrne", "Ana Ruiz"),
            "line 16: alternatives 1 and 4 are both 'Ana Ruiz'",
        ),
        (HEADER.replace("Dara Byrne", ""), "line 16: alternative 4 has an empty name"),
        (
            HEADER.replace("DATA TYPE: toi", "DATA TYPE: cat"),
            "line 4: DATA TYPE 'cat' is not ordinal",
        ),
        (HEADER.replace("DATA TYPE: toi", "DATA TYPE: soi"), r"line 4: the file is named \.toi"),
        (HEADER + "# TITLE: again\n" + ORDERS, "line 17: TITLE is given twice"),
        (HEADER + ORDERS + "# TITLE: late\n", "line 20: metadata must come before the orders"),
        (HEADER + "13: 1,{4,3},2\n5: 2\n0: 1\n", "line 19: the count '0' is not a whole number"),
        (HEADER + "13: 1,{4,3},2\n5: 2\nx: 1\n", "line 19: the count 'x' is not a whole number"),
        (HEADER + "13: 1,{4,3},2\n5: 2\n2: 1,5\n", r"line 19: alternative 5 is not among 1\.\.4"),
        (HEADER + "13: 1,{4,3},2\n5: 2\n2: 1,{2,1}\n", "line 19: alternative 1 is ranked twice"),
        (
            HEADER + "13: 1,{4,3},2\n5: 2\n2: 1,{2,3\n",
            r"line 19: the order '1,\{2,3' is unfinished",
        ),
        (HEADER + "13: 1,{4,3},2\n5: 2\n2: 1,\n", "line 19: the order '1,' is unfinished"),
        (HEADER + "13: 1,{4,3},2\n5: 2\n2: 1 2\n", "line 19: unexpected '2' in the order '1 2'"),
        (HEADER + "13: 1,{4,3},2\n5: 2\n2: {}\n", r"line 19: unexpected '\}'"),
        (HEADER + "13: 1,{4,3},2\n5: 2\n2: {1,{2}}\n", r"line 19: unexpected '\{'"),
        (HEADER + "13: 1,{4,3},2\n5: 2\n2: 1;2\n", "line 19: unexpected ';'"),
        (
            HEADER + "13: 1,{4,3},2\n5: 2\n1: 3\n",
            "line 11: NUMBER VOTERS is 20 but the counts add up to 19",
        ),
        (HEADER + ORDERS + "1: 4\n", "line 11: NUMBER VOTERS is 20 but"),
        (
            HEADER.replace("VOTERS: 20", "VOTERS: 21") + ORDERS + "1: 4\n",
            "line 12: NUMBER UNIQUE ORDERS is 3 but there are order lines: 4",
        ),
    ],
)
def test_a_malformed_file_is_refused_with_its_name_line_and_fault(text: str, message: str) -> None:
    with pytest.raises(BallotError, match=message) as caught:
        parse_preflib(text, source="x.toi", data_type="toi")
    assert str(caught.value).startswith("x.toi")


def test_the_data_type_constrains_the_orders() -> None:
    soi = HEADER.replace("toi", "soi")
    with pytest.raises(BallotError, match="line 17: a soi file cannot rank alternatives equally"):
        parse_preflib(soi + ORDERS, source="x.soi")
    soc = HEADER.replace("toi", "soc").replace("VOTERS: 20", "VOTERS: 3")
    with pytest.raises(BallotError, match="line 18: a soc order ranks every alternative; this one"):
        parse_preflib(soc + "2: 1,2,3,4\n1: 2,1,4\n", source="x.soc")
