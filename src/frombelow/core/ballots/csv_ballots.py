"""Plain CSV ballots, one ballot per row, as a spreadsheet or a form tool exports them.

The format is ours (docs/ballot-files.md says the same, with examples):

    candidates,Ana Ruiz,Ben Okafor,Chen Li     optional: every candidate, in candidate order
    count,1st,2nd,3rd                           optional: the first column holds counts
    12,Ana Ruiz,Chen Li
    3,Ben Okafor

* Each row is a ballot: candidate names in order of preference, most preferred first. A blank
  cell ends the ranking; a name after a blank cell (a skipped preference) is refused, and so is
  a name given twice.
* A first row whose first cell is `candidates` lists the candidates; ballots may name only them,
  and a candidate nobody ranked still stands. Without it, the candidates are the names the
  ballots give, in order of first appearance.
* A row whose first cell is `count`, first or right after the candidates, says that every ballot
  row begins with its count: how many identical ballots it stands for (or a delegation's weight),
  a whole number above 0. The header's other cells are labels and are not read. Without it, each
  row is one ballot.
* Cells are trimmed of spaces; rows of blank cells are skipped; `candidates` and `count` are
  matched ignoring case. Quoting follows RFC 4180. Cells are separated by commas, or by
  semicolons where the first row has semicolons and no comma (as spreadsheets write in locales
  with a decimal comma).
* CSV ballots hold no equal rankings, no withdrawn candidates, seats or title: use BLT or PrefLib.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterator
from typing import TextIO

from frombelow.core.ballots.profile import BallotError, Profile
from frombelow.core.ballots.source import Where, read_text, write_text

CANDIDATES_HEADER = "candidates"
COUNT_HEADER = "count"


def read_csv_ballots(path: str | os.PathLike[str]) -> Profile:
    """Read a CSV file of ballots."""
    return parse_csv_ballots(read_text(path), source=str(path))


def parse_csv_ballots(text: str, *, source: str = "<text>") -> Profile:
    """Parse the text of a CSV file of ballots; `source` names it in error messages."""
    where = Where(source)
    rows = _rows(text.removeprefix("\ufeff"), where)
    listed: dict[str, int] | None = None  # the candidates row, name -> its index
    listed_on = 0
    counted = False
    first = next(rows, None)
    if first is not None and first[1][0].lower() == CANDIDATES_HEADER:
        listed_on = first[0]
        listed = _listed_candidates(first[1][1:], listed_on, where)
        first = next(rows, None)
    if first is not None and first[1][0].lower() == COUNT_HEADER:
        counted = True
        first = next(rows, None)

    candidates: dict[str, int] = dict(listed) if listed is not None else {}
    weights: dict[tuple[int, ...], int] = {}
    ballots = rows if first is None else _chain(first, rows)
    for line, cells in ballots:
        weight = 1
        if counted:
            count, cells = cells[0], cells[1:]
            if not count.isdigit() or int(count) < 1:
                raise where.error(line, f"the count {count!r} is not a whole number above 0")
            weight = int(count)
        ranking = _ranking(cells, candidates, listed is not None, listed_on, line, where)
        weights[ranking] = weights.get(ranking, 0) + weight
    if not candidates:
        raise where.error(None, "the file names no candidates")
    names = tuple(candidates)
    return Profile.from_rankings(
        names,
        ([names[c] for c in ranking] for ranking in weights),
        weights=weights.values(),
    )


def _rows(text: str, where: Where) -> Iterator[tuple[int, list[str]]]:
    """Yield (line number, trimmed cells) for each row that has a non-blank cell."""
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = ";" if ";" in first_line and "," not in first_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        for cells in reader:
            trimmed = [cell.strip() for cell in cells]
            if any(trimmed):
                yield reader.line_num, trimmed
    except csv.Error as error:
        raise where.error(reader.line_num, f"not CSV: {error}") from None


def _chain(
    first: tuple[int, list[str]], rest: Iterator[tuple[int, list[str]]]
) -> Iterator[tuple[int, list[str]]]:
    """Yield `first`, then the rest."""
    yield first
    yield from rest


def _listed_candidates(cells: list[str], line: int, where: Where) -> dict[str, int]:
    """Read the candidates row."""
    candidates: dict[str, int] = {}
    for name in filter(None, cells):
        if name in candidates:
            raise where.error(line, f"candidate {name!r} is listed twice")
        candidates[name] = len(candidates)
    if not candidates:
        raise where.error(line, "the candidates row lists no candidate")
    return candidates


def _ranking(
    cells: list[str],
    candidates: dict[str, int],
    closed: bool,
    listed_on: int,
    line: int,
    where: Where,
) -> tuple[int, ...]:
    """Read one ballot's cells as candidate indices, adding new names unless the list is closed."""
    length = next((i for i, cell in enumerate(cells) if not cell), len(cells))
    after = next((cell for cell in cells[length:] if cell), None)
    if after is not None:
        raise where.error(line, f"{after!r} follows a blank cell (a skipped preference)")
    ranking: list[int] = []
    for name in cells[:length]:
        if name not in candidates:
            if closed:
                raise where.error(
                    line, f"{name!r} is not among the candidates listed on line {listed_on}"
                )
            candidates[name] = len(candidates)
        if candidates[name] in ranking:
            raise where.error(line, f"{name!r} is ranked twice")
        ranking.append(candidates[name])
    return tuple(ranking)


# -- Writing -----------------------------------------------------------------------------------


def write_csv_ballots(profile: Profile, target: str | os.PathLike[str] | TextIO) -> None:
    """Write a profile as a CSV file of ballots, to a path or an open text stream."""
    write_text(format_csv_ballots(profile), target)


def format_csv_ballots(profile: Profile) -> str:
    """Write a profile as CSV: the candidates row, the count header, one row per ranking."""
    if not profile.is_strict:
        raise BallotError("CSV ballots cannot hold equal rankings; write BLT or PrefLib .toi")
    if profile.withdrawn:
        raise BallotError("CSV ballots cannot mark withdrawn candidates; write BLT")
    for name in profile.candidates:
        if not name.strip() or name != name.strip():
            raise BallotError(f"CSV cannot keep the name {name!r}: it is blank or has outer spaces")
    out = io.StringIO()
    # RFC 4180 line ends; they also make the writer quote a name holding a carriage return.
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([CANDIDATES_HEADER, *profile.candidates])
    width = profile.prefs.shape[1]
    writer.writerow([COUNT_HEADER, *(str(rank) for rank in range(1, width + 1))])
    for ballot in profile.ballots:
        if ballot.weight < 1:
            raise BallotError(f"CSV counts ballots; a ballot of weight {ballot.weight} is none")
        names = [profile.candidates[c] for c in ballot.strict_ranking()]
        writer.writerow([str(ballot.weight), *names])
    return out.getvalue()
