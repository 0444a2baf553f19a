"""Ballot files as text, and errors that name the file and the line at fault."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from frombelow.core.ballots.profile import BallotError


@dataclass(frozen=True)
class Where:
    """The file being read (its path as given, or what the text came from), for error messages."""

    source: str

    def error(self, line: int | None, problem: str) -> BallotError:
        """Make the error for `problem` at 1-based `line` (None: the file as a whole)."""
        place = self.source if line is None else f"{self.source}, line {line}"
        return BallotError(f"{place}: {problem}" if place else problem)


def read_text(path: str | os.PathLike[str]) -> str:
    """Read a ballot file as UTF-8 text (a byte order mark is dropped)."""
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise BallotError(f"{path}: cannot read the file ({error.strerror or error})") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise BallotError(
            f"{path}, line {line}: not UTF-8 text (byte 0x{data[error.start]:02x})"
        ) from None


def write_text(text: str, target: str | os.PathLike[str] | TextIO) -> None:
    """Write a ballot file's text to a path (as UTF-8) or to an open text stream."""
    if isinstance(target, str | os.PathLike):
        Path(target).write_text(text, encoding="utf-8", newline="")  # the text's own line ends
    else:
        target.write(text)
