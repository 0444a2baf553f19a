"""Ballot files of every supported format, told apart by their extension."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from frombelow.core.ballots.blt import read_blt
from frombelow.core.ballots.csv_ballots import read_csv_ballots
from frombelow.core.ballots.preflib import read_preflib
from frombelow.core.ballots.profile import BallotError, Profile

Reader = Callable[[str | os.PathLike[str]], Profile]

# Extension (lower case) -> reader. PrefLib's complete orders (.soc, .toc) are read like the rest.
READERS: dict[str, Reader] = {
    ".blt": read_blt,
    ".soi": read_preflib,
    ".toi": read_preflib,
    ".soc": read_preflib,
    ".toc": read_preflib,
    ".csv": read_csv_ballots,
}
SUPPORTED_EXTENSIONS: tuple[str, ...] = tuple(READERS)


def is_ballot_file(path: str | os.PathLike[str]) -> bool:
    """Tell whether a path's extension names a ballot file format we read."""
    return Path(path).suffix.lower() in READERS


def read_ballot_file(path: str | os.PathLike[str]) -> Profile:
    """Read a ballot file with the reader its extension names."""
    reader = READERS.get(Path(path).suffix.lower())
    if reader is None:
        raise BallotError(
            f"{path}: not a ballot file this program reads "
            f"(the extensions are {', '.join(SUPPORTED_EXTENSIONS)})"
        )
    return reader(path)


def ballot_files_under(folder: str | os.PathLike[str]) -> list[Path]:
    """Return every ballot file under a folder, at any depth, sorted by path; hidden ones aside."""
    root = Path(folder)
    found = [
        path
        for path in root.rglob("*")
        if is_ballot_file(path)
        and path.is_file()
        and not any(part.startswith(".") for part in path.relative_to(root).parts)
    ]
    # Sorted by the parts of the path, so that a folder's files stay together.
    return sorted(found, key=lambda path: path.relative_to(root).parts)
