"""BLT ballot files, the format of STV counting programs: read, parse, write.

Source: I. D. Hill, B. A. Wichmann and D. R. Woodall, "Algorithm 123: Single Transferable Vote
by Meek's method", The Computer Journal 30(3), 1987, section 3.1 (the data file); with the
extensions of OpenSTV and Droop (jklundell/droop, BltFileFormat.md): comments, ballot ids and
equal rankings. The format, line by line, as read here:

    10 3                 candidates, seats
    -2 -5                optional: withdrawn candidates
    35 1 0               ballot lines: weight, preferences (candidate numbers from 1), 0
    (b17) 2 3=4 1 0      an optional ballot id in parentheses; `3=4` ranks 3 and 4 equally
    0                    the end of the ballots
    "Gary Barton"        one name per candidate, in candidate order
    "CALTON"             the title

`#` starts a comment up to the end of the line and blank lines are ignored, before the names
and after the quoted strings of a name line. Each ballot is on its own line (the 1987 format
allows newlines anywhere; every program we know of writes one ballot per line). Weights are whole
numbers of at most 18 digits. An empty ballot (`4 0`) is kept, with no preferences.

Names and title are one per line. Inside quotes, `""` stands for one quote (as in CSV; the
writer writes quotes so). In a name, each run of white space reads as one space, as Droop reads
names. Forms written by other programs are read too: unquoted names, the line
being the name (mggg/scot-elex); a line of several quoted strings, `"Ann DOE" "Green Party"`, as
one name, their texts joined by a space; all names on one line, when the lines are too few for
one name each (the 1987 format treats newlines as spaces); names given only as PrefLib-style
comments `# ALTERNATIVE NAME 1: Gary Barton` with the title on the one line (scot-elex's Glasgow
2007 files). A file whose first line ends in a comma was saved from a spreadsheet: each line is
read as a CSV row whose non-empty cells are joined by spaces.

The reader is built for millions of ballots: identical ballot lines are aggregated first, and
the distinct ones are parsed in blocks of bytes with NumPy, never as a Python object per ballot.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TextIO

import numpy as np

from frombelow.core.ballots.profile import (
    NO_PREFERENCE,
    BallotError,
    BoolArray,
    IntArray,
    PrefArray,
    Profile,
)
from frombelow.core.ballots.source import Where, read_text, write_text

ByteArray = np.ndarray[tuple[int], np.dtype[np.uint8]]

_BLOCK_LINES = 1 << 14
_SAMPLE_LINES = 1 << 14  # ballot lines looked at to decide whether to aggregate them

# Parsed ballot lines: preferences, ties, weights, and which distinct lines the rows are.
_Parsed = tuple[
    PrefArray, BoolArray, IntArray, IntArray
]  # ballot lines parsed at once by the fast parser

# A number may have at most this many digits, so that it fits int64.
MAX_DIGITS = 18
_POWERS = 10 ** np.arange(MAX_DIGITS, dtype=np.int64)

_DIGIT = np.zeros(256, dtype=np.bool_)
_DIGIT[ord("0") : ord("9") + 1] = True
_ALLOWED = _DIGIT.copy()
for _char in " \t\n=":
    _ALLOWED[ord(_char)] = True

_COMMENT_OR_ID = re.compile(r"#[^\n]*|^[ \t]*\([^()\n]*\)", re.MULTILINE)
# A quoted string; inside it, "" stands for one quote (as in CSV, which scot-elex's files use).
_QUOTED = re.compile(r'\s*"((?:[^"\n]|"")*)"')
_WHITESPACE = re.compile(r"\s+")
_ALTERNATIVE_NAME = re.compile(r"#\s*ALTERNATIVE NAME\s+(\d+)\s*:(.*)$", re.IGNORECASE)

# What an unexpected character in a ballot line most likely means, for the error message.
_CHARACTER_HINTS = {
    "-": "'-' (a negative number or a skipped preference) cannot appear in a ballot",
    ".": "'.': weights and preferences are whole numbers",
    ",": "',': numbers are separated by spaces",
    '"': "'\"': a name inside the ballots (is the line '0' that ends them missing?)",
}


def read_blt(path: str | os.PathLike[str]) -> Profile:
    """Read a BLT file."""
    return parse_blt(read_text(path), source=str(path))


def parse_blt(text: str, *, source: str = "<text>") -> Profile:
    """Parse the text of a BLT file; `source` names it in error messages."""
    where = Where(source)
    text = text.removeprefix("\ufeff")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    first = _next_significant(lines, 0)
    if first is None:
        raise where.error(None, "the file is empty")
    if lines[first].rstrip().endswith(","):
        lines = _from_spreadsheet(lines)
        text = "\n".join(lines)
    candidates, seats = _header(lines[first], first + 1, where)
    start = _next_significant(lines, first + 1)
    withdrawn: frozenset[int] = frozenset()
    if start is not None and lines[start].lstrip().startswith("-"):
        withdrawn = _withdrawn(lines[start], start + 1, candidates, where)
        start += 1
    start = first + 1 if start is None else start
    end = _end_of_ballots(lines, start, where)
    block = _BallotBlock.parse(text, lines, start, end, candidates, where)
    if block.end_marker is not None:
        # A line reading "0" with spaces or a comment ends the ballots before the first bare "0".
        end = block.end_marker
        block = _BallotBlock.parse(text, lines, start, end, candidates, where)
    names, title = _names_and_title(lines, end + 1, candidates, where)
    try:
        return Profile(names, block.prefs, block.tied, block.weights, withdrawn, seats, title)
    except BallotError as error:
        # The fast parser leaves the rarest fault, a candidate ranked twice, to Profile; the
        # careful parser finds the line to name.
        _BallotBlock.parse(text, lines, start, end, candidates, where, careful=True)
        raise where.error(None, str(error)) from None


def _next_significant(lines: Sequence[str], index: int) -> int | None:
    """Return the index of the first line at or after `index` holding more than a comment."""
    for i in range(index, len(lines)):
        if lines[i].partition("#")[0].strip():
            return i
    return None


def _from_spreadsheet(lines: list[str]) -> list[str]:
    """Turn the CSV rows of a BLT file saved from a spreadsheet back into BLT lines."""
    # One row per line: a quoted cell spanning lines would shift every later line number.
    return [
        " ".join(cell.strip() for cell in next(csv.reader([line]), []) if cell.strip())
        for line in lines
    ]


def _numbers(line: str, number: int, what: str, where: Where) -> list[int]:
    """Read the whole numbers of a header line, refusing anything else."""
    tokens = line.partition("#")[0].split()
    try:
        return [int(token) for token in tokens]
    except ValueError:
        bad = next(t for t in tokens if not re.fullmatch(r"[+-]?\d+", t))
        raise where.error(number, f"{what}: {bad!r} is not a whole number") from None


def _header(line: str, number: int, where: Where) -> tuple[int, int]:
    """Read the first line: the number of candidates and the number of seats."""
    values = _numbers(line, number, "the first line gives candidates and seats", where)
    if len(values) != 2:
        raise where.error(
            number, f"the first line must give two numbers, candidates and seats; it has {line!r}"
        )
    candidates, seats = values
    if candidates < 1:
        raise where.error(number, f"there must be at least one candidate, not {candidates}")
    if seats < 1:
        raise where.error(number, f"there must be at least one seat, not {seats}")
    return candidates, seats


def _withdrawn(line: str, number: int, candidates: int, where: Where) -> frozenset[int]:
    """Read the optional line of withdrawn candidates, each a negative candidate number."""
    values = _numbers(line, number, "withdrawn candidates", where)
    withdrawn = set()
    for value in values:
        if value >= 0:
            raise where.error(
                number, f"withdrawn candidates are written -1, -2, ...; {value} is not negative"
            )
        if -value > candidates:
            raise where.error(
                number,
                f"withdrawn candidate {-value} names no candidate (there are {candidates})",
            )
        withdrawn.add(-value - 1)
    return frozenset(withdrawn)


def _end_of_ballots(lines: list[str], start: int, where: Where) -> int:
    """Return the index of the line "0" that ends the ballots."""
    try:
        return lines.index("0", start)
    except ValueError:
        pass
    # Rare: the end line carries spaces or a comment; look at each line.
    for i in range(start, len(lines)):
        if lines[i].partition("#")[0].strip() == "0":
            return i
    raise where.error(None, "no line '0' ends the ballots")


@dataclass(frozen=True)
class _BallotBlock:
    """The ballot lines of a file as arrays, one row per distinct line."""

    prefs: PrefArray
    tied: BoolArray
    weights: IntArray
    end_marker: int | None  # index of an earlier line reading "0" with spaces or a comment

    @classmethod
    def parse(
        cls,
        text: str,
        lines: list[str],
        start: int,
        end: int,
        candidates: int,
        where: Where,
        *,
        careful: bool = False,
    ) -> _BallotBlock:
        """Parse lines[start:end] of `text` (split into `lines`) as ballot lines.

        The fast parser reads plainly written lines; the careful one reads every form and names
        the line of any fault.
        """
        raw = lines[start:end]
        # Where lines[start:end] lie in `text`; the lines outside them are few.
        begin = sum(len(line) + 1 for line in lines[:start])
        stop = len(text) + 1 - sum(len(line) + 1 for line in lines[end:])
        if text.find("#", begin, stop) >= 0 or text.find("(", begin, stop) >= 0:
            # Removing comments and ballot ids keeps every newline, so indices stay line numbers.
            raw = _COMMENT_OR_ID.sub("", "\n".join(raw)).split("\n")
        # Identical lines are parsed once, their count multiplying their weight; unless a sample
        # shows nearly every line distinct, when counting them costs more than it saves.
        sample = raw[:_SAMPLE_LINES]
        repeats: IntArray | None = None
        if len(raw) > len(sample) and len(set(sample)) > 0.9 * len(sample):
            distinct = list(filter(None, raw))  # blank lines hold no ballot
        else:
            counter = Counter(raw)
            counter.pop("", None)
            distinct = list(counter)
            repeats = np.fromiter(counter.values(), dtype=np.int64, count=len(distinct))

        def line_number(row: int) -> int:
            """Return the 1-based line number where distinct line `row` first appears."""
            return start + raw.index(distinct[row]) + 1

        parsed: _Parsed | int | None = None if careful else _parse_plain(distinct, candidates)
        if parsed is None:
            parsed = _parse_distinct(distinct, candidates, _Lines(where, line_number))
        if isinstance(parsed, int):
            return cls(
                np.empty((0, 0), np.int32),
                np.empty((0, 0), np.bool_),
                np.empty(0, np.int64),
                parsed - 1,
            )
        prefs, tied, weights, kept = parsed
        if repeats is not None:
            counts = repeats[kept]
            heavy = np.flatnonzero(weights > np.iinfo(np.int64).max // counts)
            if heavy.size:
                row = int(kept[heavy[0]])
                raise where.error(line_number(row), "the ballot weight is too large")
            weights = weights * counts
        # Rules add weights up in int64; refuse a total that could overflow (2**62 leaves room).
        if float(weights.sum(dtype=np.float64)) >= 2.0**62:
            raise where.error(None, "the ballots' total weight is too large to count")
        return cls(prefs, tied, weights, None)


@dataclass(frozen=True)
class _Lines:
    """Where distinct ballot line `row` lies in the file, to say so in an error."""

    where: Where
    line_number: Callable[[int], int]

    def error(self, row: int | np.integer[Any], problem: str) -> BallotError:
        """Make the error for `problem` on distinct line `row`."""
        return self.where.error(self.line_number(int(row)), problem)


def _parse_plain(distinct: list[str], candidates: int) -> _Parsed | None:
    """Parse ballot lines written as every program writes them, fast.

    That is `weight pref ... 0`, numbers separated by single spaces. Return None where any line
    is written otherwise or is wrong, for `_parse_distinct` to read or to refuse with its line.
    """
    rows = len(distinct)
    prefs = np.full((rows, candidates), NO_PREFERENCE, dtype=np.int32)
    weights = np.empty(rows, dtype=np.int64)
    width = 0
    # In blocks of lines, so that the working arrays are small and reuse the same memory:
    # touching fresh pages costs more than the parsing itself.
    for begin in range(0, rows, _BLOCK_LINES):
        block = _parse_plain_block(distinct[begin : begin + _BLOCK_LINES], candidates)
        if block is None:
            return None
        block_prefs, block_weights = block
        end = begin + block_weights.size
        prefs[begin:end, : block_prefs.shape[1]] = block_prefs
        weights[begin:end] = block_weights
        width = max(width, block_prefs.shape[1])
    if width < candidates:
        prefs = np.ascontiguousarray(prefs[:, :width])
    return prefs, np.zeros(prefs.shape, dtype=np.bool_), weights, np.arange(rows)


def _parse_plain_block(lines: list[str], candidates: int) -> tuple[PrefArray, IntArray] | None:
    """Parse a block of plainly written ballot lines, or return None."""
    try:
        data = ("\n".join(lines) + "\n").encode("ascii")
    except UnicodeEncodeError:
        return None
    if data.translate(None, b"0123456789 \n"):
        return None  # a character other than digits, spaces and newlines
    a = np.frombuffer(data, dtype=np.uint8)
    is_separator = (a == ord(" ")) | (a == ord("\n"))
    if is_separator[0] or np.any(is_separator[1:] & is_separator[:-1]):
        return None  # a blank line, or spaces at a line's ends or twice
    # Every number is followed by exactly one separator: a space, or the newline ending its line.
    separators = np.flatnonzero(is_separator)
    starts = np.empty_like(separators)
    starts[0] = 0
    starts[1:] = separators[:-1] + 1
    lengths = separators - starts
    if int(lengths.max()) > MAX_DIGITS:
        return None
    values = _digits_value(a, starts, lengths)
    ends = np.flatnonzero(a[separators] == ord("\n"))  # each line's last number: its closing 0
    per_row = np.diff(ends, prepend=-1) - 2  # the preferences of each line
    rows = len(lines)
    if int(per_row.min()) < 0 or np.any(values[ends] != 0) or np.any(lengths[ends] != 1):
        return None  # a line without a closing 0 (or "00"), or with nothing but its weight
    firsts = ends - per_row - 1  # each line's first number: its weight
    weights = values[firsts]
    width = int(per_row.max())
    if int(weights.min()) < 1 or width > candidates:
        return None  # a zero weight; some candidate ranked twice
    if int(per_row.min()) == width:
        # Complete rankings, or all of one length: the numbers are a table, line by line.
        table = values.reshape(rows, width + 2)[:, 1:-1]
        if table.size and (int(table.min()) < 1 or int(table.max()) > candidates):
            return None
        return (table - 1).astype(np.int32), weights
    between = np.ones(values.size, dtype=np.bool_)
    between[firsts] = False
    between[ends] = False
    prefs_flat = values[between]
    if prefs_flat.size and (int(prefs_flat.min()) < 1 or int(prefs_flat.max()) > candidates):
        return None
    row_of = np.repeat(np.arange(rows), per_row)
    columns = np.arange(prefs_flat.size) - np.repeat(np.cumsum(per_row) - per_row, per_row)
    prefs = np.full((rows, width), NO_PREFERENCE, dtype=np.int32)
    prefs[row_of, columns] = prefs_flat - 1
    return prefs, weights


def _digits_value(data: ByteArray, starts: IntArray, lengths: IntArray) -> IntArray:
    """Return the value of the run of `lengths` digits at each of `starts`."""
    values: IntArray = (data[starts] - ord("0")).astype(np.int64)
    for k in range(1, int(lengths.max(initial=0))):
        longer = np.flatnonzero(lengths > k)
        values[longer] = values[longer] * 10 + (data[starts[longer] + k] - ord("0"))
    return values


def _parse_distinct(distinct: list[str], candidates: int, at: _Lines) -> _Parsed | int:
    """Parse distinct ballot lines as one block of bytes.

    Return the preferences, ties and weights of the rows that hold a ballot, and which distinct
    lines those rows are; or, where a line reads "0" with spaces or a comment, its line number.
    """
    text = "\n".join(distinct) + "\n"
    try:
        data = np.frombuffer(text.encode("ascii"), dtype=np.uint8)
    except UnicodeEncodeError as error:
        char = text[error.start]
        raise at.error(text.count("\n", 0, error.start), f"unexpected character {char!r}") from None
    newlines = np.flatnonzero(data == ord("\n"))
    bad = np.flatnonzero(~_ALLOWED[data])
    if bad.size:
        char = chr(data[bad[0]])
        hint = _CHARACTER_HINTS.get(char, f"unexpected character {char!r} in a ballot")
        raise at.error(np.searchsorted(newlines, bad[0]), hint)

    # Numbers are runs of digits; `starts` and `stops` are each run's first and past-last byte.
    digit = _DIGIT[data]
    edges = np.diff(digit.astype(np.int8), prepend=np.int8(0), append=np.int8(0))
    starts = np.flatnonzero(edges == 1)
    stops = np.flatnonzero(edges == -1)
    row_of = np.searchsorted(newlines, starts)  # the distinct line of each number
    long = np.flatnonzero(stops - starts > MAX_DIGITS)
    if long.size:
        raise at.error(row_of[long[0]], f"a number has more than {MAX_DIGITS} digits")
    values = _values(data, digit, starts, stops)
    rows = len(distinct)
    if not values.size:  # only blank lines and comments
        empty = np.zeros(0, dtype=np.int64)
        return np.zeros((0, 0), np.int32), np.zeros((0, 0), np.bool_), empty, empty

    per_row = np.bincount(row_of, minlength=rows)
    used = per_row > 0  # blank and comment-only lines hold no number
    first = np.cumsum(per_row) - per_row  # each line's first number: its weight
    last = first + per_row - 1  # its last number: the 0 that closes it
    weights = np.zeros(rows, dtype=np.int64)
    weights[used] = values[first[used]]

    zero = np.flatnonzero(used & (weights == 0))
    if zero.size:
        if per_row[zero[0]] == 1:
            return at.line_number(int(zero[0]))
        raise at.error(zero[0], "a ballot's weight must be at least 1 (a line '0' ends them)")
    closing = np.zeros(rows, dtype=np.int64)
    closing[used] = values[last[used]]
    unended = np.flatnonzero(used & ((per_row < 2) | (closing != 0)))
    if unended.size:
        raise at.error(unended[0], "a ballot line must end with 0")

    # Preferences are the numbers between a line's weight and its closing 0.
    index = np.arange(values.size)
    is_pref = (index != first[row_of]) & (index != last[row_of])
    pref_values = values[is_pref]
    pref_rows = row_of[is_pref]
    early = np.flatnonzero(pref_values == 0)
    if early.size:
        raise at.error(pref_rows[early[0]], "a 0 ends the ballot before its last preference")
    over = np.flatnonzero(pref_values > candidates)
    if over.size:
        raise at.error(
            pref_rows[over[0]],
            f"preference {int(pref_values[over[0]])} names no candidate (there are {candidates})",
        )
    tied_numbers = _ties(data, newlines, starts, row_of, first, last, at)

    kept = np.flatnonzero(used)
    compact = np.zeros(rows, dtype=np.int64)
    compact[kept] = np.arange(kept.size)
    width = int((per_row[kept] - 2).max()) if kept.size else 0
    prefs = np.full((kept.size, width), NO_PREFERENCE, dtype=np.int32)
    tied = np.zeros((kept.size, width), dtype=np.bool_)
    out_rows = compact[pref_rows]
    out_cols = index[is_pref] - first[pref_rows] - 1
    prefs[out_rows, out_cols] = pref_values - 1
    tied[out_rows, out_cols] = tied_numbers[is_pref]

    twice = _rows_ranking_twice(prefs, candidates)
    if twice.size:
        row = [int(c) for c in prefs[twice[0]] if c != NO_PREFERENCE]
        again = next(c for i, c in enumerate(row) if c in row[:i])
        raise at.error(kept[twice[0]], f"candidate {again + 1} is ranked twice")
    return prefs, tied, weights[kept], kept


def _values(data: ByteArray, digit: BoolArray, starts: IntArray, stops: IntArray) -> IntArray:
    """Return the value of each run of digits in `data`."""
    lengths = stops - starts
    positions = np.flatnonzero(digit)
    # Each digit times 10 to the number of digits after it in its run, summed per run.
    run = np.repeat(np.arange(starts.size), lengths)
    place = stops[run] - 1 - positions
    contributions: IntArray = (data[positions] - ord("0")).astype(np.int64) * _POWERS[place]
    if not contributions.size:
        return contributions
    values: IntArray = np.add.reduceat(contributions, np.cumsum(lengths) - lengths)
    return values


def _ties(
    data: ByteArray,
    newlines: IntArray,
    starts: IntArray,
    row_of: IntArray,
    first: IntArray,
    last: IntArray,
    at: _Lines,
) -> BoolArray:
    """Return, for each number, whether an '=' ranks it equal to the number before it."""
    tied = np.zeros(starts.size, dtype=np.bool_)
    equals = np.flatnonzero(data == ord("="))
    if not equals.size:
        return tied
    row = np.searchsorted(newlines, equals)
    after = np.searchsorted(starts, equals)  # the number that follows each '='
    before = after - 1
    inside = (before >= 0) & (after < starts.size)
    after_, before_ = np.where(inside, after, 0), np.where(inside, before, 0)
    # Both numbers are preferences on the line of the '=', and no two '=' share a number.
    joins = (
        inside
        & (row_of[before_] == row)
        & (row_of[after_] == row)
        & (before_ > first[row])
        & (after_ < last[row])
    )
    joins[1:] &= after[1:] != after[:-1]
    if not joins.all():
        bad = int(np.argmin(joins))
        raise at.error(row[bad], "'=' must join two preferences, as in 2=3")
    tied[after] = True
    return tied


def _rows_ranking_twice(prefs: PrefArray, candidates: int) -> IntArray:
    """Return the rows that rank some candidate more than once."""
    if prefs.shape[1] < 2:
        return np.zeros(0, dtype=np.int64)
    present = prefs != NO_PREFERENCE
    if candidates < 63:
        # A row without repeats has as many distinct bits as preferences: sum equals OR.
        bits = np.where(present, np.left_shift(1, np.where(present, prefs, 0).astype(np.int64)), 0)
        return np.flatnonzero(bits.sum(axis=1) != np.bitwise_or.reduce(bits, axis=1))
    ordered = np.sort(prefs, axis=1)
    repeat = (ordered[:, 1:] == ordered[:, :-1]) & (ordered[:, 1:] != NO_PREFERENCE)
    return np.flatnonzero(repeat.any(axis=1))


def _names_and_title(
    lines: list[str], index: int, candidates: int, where: Where
) -> tuple[tuple[str, ...], str]:
    """Read the candidate names and the title that follow the ballots."""
    entries: list[tuple[int, list[str]]] = []  # (line number, its quoted strings or whole text)
    listed: dict[int, tuple[int, str]] = {}  # from "# ALTERNATIVE NAME i: name" comments
    for i in range(index, len(lines)):
        line = lines[i].strip()
        if not line:
            continue
        if line.startswith("#"):
            if match := _ALTERNATIVE_NAME.match(line):
                listed.setdefault(int(match[1]), (i + 1, match[2].strip()))
            continue
        if line.startswith("["):
            raise where.error(i + 1, f"Droop's options ({line}) are not read")
        if line.startswith('"'):
            entries.append((i + 1, _quoted_strings(line, i + 1, where)))
        else:
            entries.append((i + 1, [line]))

    wanted = candidates + 1
    strings = [(number, text) for number, texts in entries for text in texts]
    if len(entries) == wanted:
        # One line per name; a line such as `"Diane CALDER" "SNP"` is one candidate.
        named = [(number, " ".join(texts)) for number, texts in entries]
    elif len(entries) == 1 and len(listed) >= candidates:
        named = [*_listed(listed, candidates, where), (entries[0][0], " ".join(entries[0][1]))]
    elif len(strings) == wanted:
        named = strings  # several quoted names on a line, as the 1987 format allows
    elif len(entries) < wanted:
        last = entries[-1][0] if entries else len(lines)
        found = f"{len(entries)} {'line' if len(entries) == 1 else 'lines'}"
        raise where.error(
            last,
            f"expected {candidates} candidate names and a title after the ballots; found {found}",
        )
    else:
        number, texts = entries[wanted]
        raise where.error(number, f"unexpected text {' '.join(texts)!r} after the title")

    # Droop reads a name as words, so each run of white space in it is one space; the Glasgow
    # reference counts name the candidates so.
    named = [(number, _WHITESPACE.sub(" ", name)) for number, name in named]
    seen: dict[str, int] = {}
    for number, name in named[:candidates]:
        if not name.strip():
            raise where.error(number, "a candidate's name is empty")
        if name in seen:
            raise where.error(number, f"candidate name {name!r} is also on line {seen[name]}")
        seen[name] = number
    return tuple(name for _, name in named[:candidates]), named[candidates][1]


def _quoted_strings(line: str, number: int, where: Where) -> list[str]:
    """Return the quoted strings of a line, refusing anything but a comment after them."""
    texts = []
    position = 0
    while match := _QUOTED.match(line, position):
        texts.append(match[1].replace('""', '"'))
        position = match.end()
    rest = line[position:].strip()
    if rest.startswith('"'):
        raise where.error(number, "a quote opens but does not close on this line")
    if rest and not rest.startswith("#"):
        raise where.error(number, f"unexpected text {rest!r} after a quoted name")
    return texts


def _listed(
    listed: dict[int, tuple[int, str]], candidates: int, where: Where
) -> list[tuple[int, str]]:
    """Return the names given as "# ALTERNATIVE NAME i: name" comments, one for each i."""
    for number in sorted(listed):
        if not 1 <= number <= candidates:
            raise where.error(
                listed[number][0],
                f"alternative {number} names no candidate (there are {candidates})",
            )
    return [listed[number] for number in range(1, candidates + 1)]


# -- Writing -----------------------------------------------------------------------------------


def write_blt(profile: Profile, target: str | os.PathLike[str] | TextIO) -> None:
    """Write a profile as a BLT file, to a path or an open text stream."""
    write_text(format_blt(profile), target)


def format_blt(profile: Profile) -> str:
    """Write a profile as the text of a BLT file (seats default to 1)."""
    for name in (*profile.candidates, profile.title):
        if _WHITESPACE.sub(" ", name) != name:
            raise BallotError(
                f"BLT cannot write the name {name!r}: white space other than single spaces"
            )
    for name in profile.candidates:
        if not name.strip():
            raise BallotError("BLT cannot write a candidate without a name")
    if profile.weights.size and int(profile.weights.min()) < 1:
        row = int(np.argmin(profile.weights))
        raise BallotError(f"BLT cannot write ballot {row + 1}: its weight is below 1")
    out = io.StringIO()
    out.write(f"{len(profile.candidates)} {profile.seats or 1}\n")
    if profile.withdrawn:
        out.write(" ".join(f"-{c + 1}" for c in sorted(profile.withdrawn)) + "\n")
    # Candidate numbers as text once; a tied preference takes "=" in place of its space.
    numbers = [str(c + 1) for c in range(len(profile.candidates))]
    lengths = (profile.prefs != NO_PREFERENCE).sum(axis=1).tolist()
    for prefs, ties, length, weight in zip(
        profile.prefs.tolist(),
        profile.tied.tolist(),
        lengths,
        profile.weights.tolist(),
        strict=True,
    ):
        out.write(str(weight))
        for j in range(length):
            out.write(("=" if ties[j] else " ") + numbers[prefs[j]])
        out.write(" 0\n")
    out.write("0\n")
    for name in (*profile.candidates, profile.title):
        out.write('"' + name.replace('"', '""') + '"\n')
    return out.getvalue()
