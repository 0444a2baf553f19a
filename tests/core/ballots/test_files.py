"""A ballot file is read by the reader its extension names; folders are searched in order."""

from __future__ import annotations

from pathlib import Path

import pytest

from frombelow.core.ballots.files import (
    SUPPORTED_EXTENSIONS,
    ballot_files_under,
    is_ballot_file,
    read_ballot_file,
)
from frombelow.core.ballots.profile import BallotError
from tests.shared_data import elections_dir

BLT = '2 1\n3 1 2 0\n0\n"Ana"\n"Ben"\n"Vote"\n'
PREFLIB = "# NUMBER ALTERNATIVES: 2\n# ALTERNATIVE NAME 1: Ana\n# ALTERNATIVE NAME 2: Ben\n3: 1,2\n"
CSV = "count,1st,2nd\n3,Ana,Ben\n"


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("vote.blt", BLT),
        ("VOTE.BLT", BLT),
        ("vote.soi", PREFLIB),
        ("vote.toi", PREFLIB),
        ("vote.csv", CSV),
    ],
)
def test_each_format_is_read_by_its_extension(tmp_path: Path, name: str, text: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    profile = read_ballot_file(path)
    assert profile.candidates == ("Ana", "Ben")
    assert [(b.ranking, b.weight) for b in profile.ballots] == [(((0,), (1,)), 3)]


def test_the_supported_extensions_are_listed() -> None:
    assert set(SUPPORTED_EXTENSIONS) >= {".blt", ".soi", ".toi", ".csv"}
    assert is_ballot_file("a/b/Calton.BLT")
    assert not is_ballot_file("Calton-2007.reference.txt")


def test_an_unknown_extension_is_refused_with_the_known_ones(tmp_path: Path) -> None:
    with pytest.raises(BallotError, match=r"notes\.txt: not a ballot file .*\.blt, \.soi"):
        read_ballot_file(tmp_path / "notes.txt")


def test_a_file_in_the_wrong_format_is_refused_by_that_format(tmp_path: Path) -> None:
    path = tmp_path / "vote.blt"
    path.write_text(CSV, encoding="utf-8")
    with pytest.raises(BallotError, match=r"vote\.blt, line 1: the first line"):
        read_ballot_file(path)


def test_ballot_files_under_a_folder_are_found_at_any_depth_in_order(tmp_path: Path) -> None:
    for name in ["b/2.blt", "b/10.csv", "a.toi", "b/c/z.soi", "notes.txt", ".hidden/x.blt"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("", encoding="utf-8")
    (tmp_path / "folder.blt").mkdir()
    found = [path.relative_to(tmp_path).as_posix() for path in ballot_files_under(tmp_path)]
    assert found == ["a.toi", "b/10.csv", "b/2.blt", "b/c/z.soi"]


def test_the_glasgow_folder_holds_its_21_wards_and_no_reference_sheets() -> None:
    files = ballot_files_under(elections_dir("glasgow2007"))
    assert len(files) == 21
    assert files[0].name == "Anderston-City-2007.blt"
    assert all(path.suffix == ".blt" for path in files)
