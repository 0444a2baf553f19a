"""A membership roll as a CSV file: name, e-mail and an optional member number per row.

MODEL.md section 1: joining a body is decided by the body, or by an elected membership officer
under rules the body set. The officer brings the roll as a file; this module reads it, names every
row it cannot admit and why, and writes a roll back out in the same columns. It knows nothing of
who is already a member: the services check that against the database.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass

from frombelow.core.errors import DomainError

# The columns, in the order an export writes them and a file without a header is read.
COLUMNS = ("name", "email", "member_number")
# Other ways a header may spell a column, as spreadsheets and people write them.
ALIASES = {
    "name": "name",
    "full name": "name",
    "email": "email",
    "e-mail": "email",
    "e-mail address": "email",
    "email address": "email",
    "member_number": "member_number",
    "member number": "member_number",
    "number": "member_number",
}
# The longest values the roll keeps (the database's columns hold no more).
NAME_LIMIT = 200
EMAIL_LIMIT = 254
NUMBER_LIMIT = 50
# A roll larger than this is refused whole: an assembly is of people who meet, and the preview
# travels in a signed token that must stay a reasonable size.
ROW_LIMIT = 5000

# An address with one @, no spaces, and a domain with a dot: what a mail server can deliver to.
# Stricter checks (does the domain exist?) belong to the invitation, which either arrives or not.
EMAIL = re.compile(r"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$")
# What ends a line for the CSV reader, which counts lines as it reads them.
LINE_END = re.compile(r"\r\n|\r|\n")


class RollError(DomainError):
    """A roll file that cannot be read at all: not text, empty, malformed, too long."""


@dataclass(frozen=True)
class RollRow:
    """One person on a roll, and the line of the file they came from (0: not from a file)."""

    line: int
    name: str
    email: str = ""
    member_number: str = ""


@dataclass(frozen=True)
class BadRow:
    """A row that cannot be admitted: its line, why (a stable code), and why in words."""

    line: int
    reason: str
    why: RollError  # the words without the line, which a table shows in its own column

    @property
    def refusal(self) -> RollError:
        """The row's refusal with its line, as a message says it."""
        return RollError("line %(line)d: %(why)s", line=self.line, why=self.why)

    @property
    def detail(self) -> str:
        """The refusal in English, line first."""
        return str(self.refusal)


@dataclass(frozen=True)
class ParsedRoll:
    """The rows a roll file would admit, and the rows it names as bad, in file order."""

    rows: tuple[RollRow, ...]
    bad: tuple[BadRow, ...]


def decode(data: bytes) -> str:
    """Return the file's text, refusing a file that is not UTF-8 (a byte-order mark is allowed)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise RollError(
            "the roll is not UTF-8 text (byte %(byte)d cannot be read): save it from "
            "the spreadsheet as CSV UTF-8",
            byte=error.start + 1,
        ) from None


def parse_roll(text: str) -> ParsedRoll:
    """Read a roll's CSV text: every good row to admit, every bad row with its line and reason."""
    nul = text.find("\x00")
    if nul >= 0:
        # No name or address holds one, and PostgreSQL keeps none in text: refused here, at the
        # preview, not by the database at the import. A file saved as UTF-16 is full of them.
        raise RollError(
            "line %(line)d: the roll holds a NUL character: save it from the spreadsheet as "
            "CSV UTF-8",
            line=len(LINE_END.findall(text, 0, nul)) + 1,
        )
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[tuple[int, list[str]]] = []
    try:
        for cells in reader:
            records.append((reader.line_num, cells))
    except csv.Error as error:
        # The record that failed began on the line after the last one read whole.
        start = records[-1][0] + 1 if records else 1
        raise RollError(
            "line %(line)d: the CSV cannot be read: %(problem)s", line=start, problem=str(error)
        ) from None
    records = [(line, cells) for line, cells in records if any(c.strip() for c in cells)]
    if not records:
        raise RollError("the roll is empty: it needs a row per person (name, e-mail, number)")
    columns, records = _columns(records)
    if not records:
        raise RollError("the roll has a header but no one under it")
    if len(records) > ROW_LIMIT:
        raise RollError(
            "the roll has %(rows)d rows; at most %(limit)d are read at once",
            rows=len(records),
            limit=ROW_LIMIT,
        )
    rows: list[RollRow] = []
    bad: list[BadRow] = []
    emails: dict[str, int] = {}
    numbers: dict[str, int] = {}
    for line, cells in records:
        row, refusal = _row(line, cells, columns)
        if refusal is None and row.email and (first := emails.get(row.email.lower())):
            refusal = BadRow(
                line,
                "duplicate",
                RollError("%(email)s is on line %(first)d too", email=row.email, first=first),
            )
        if refusal is None and row.member_number and (first := numbers.get(row.member_number)):
            refusal = BadRow(
                line,
                "duplicate",
                RollError(
                    "member number %(number)s is on line %(first)d too",
                    number=row.member_number,
                    first=first,
                ),
            )
        if refusal is not None:
            bad.append(refusal)
            continue
        if row.email:
            emails[row.email.lower()] = line
        if row.member_number:
            numbers[row.member_number] = line
        rows.append(row)
    return ParsedRoll(tuple(rows), tuple(bad))


def write_roll(rows: Iterable[RollRow]) -> str:
    """Write a roll as CSV text with a header, in the columns `parse_roll` reads."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([_safe(row.name), _safe(row.email), _safe(row.member_number)])
    return out.getvalue()


def _safe(cell: str) -> str:
    # A cell starting with = + - @ is run as a formula by spreadsheets (CSV injection): a
    # leading apostrophe shows it as text. Names come from members, so this is not paranoia.
    return f"'{cell}" if cell[:1] in ("=", "+", "-", "@", "\t", "\r") else cell


def _columns(
    records: list[tuple[int, list[str]]],
) -> tuple[dict[str, int], list[tuple[int, list[str]]]]:
    """Return where each column is, from the header if the first row is one, and the data rows."""
    first = [cell.strip().lower() for cell in records[0][1]]
    if (first and first[0] in ALIASES) or "name" in first:
        columns: dict[str, int] = {}
        line = records[0][0]
        for index, label in enumerate(first):
            column = ALIASES.get(label)
            if column is None:
                raise RollError(
                    "line %(line)d: the header names a column %(label)r; a roll has "
                    "name, email and member_number",
                    line=line,
                    label=label,
                )
            if column in columns:
                raise RollError(
                    "line %(line)d: the header names the %(column)s column twice",
                    line=line,
                    column=column,
                )
            columns[column] = index
        if "name" not in columns:
            raise RollError("line %(line)d: the header has no name column", line=line)
        return columns, records[1:]
    return {column: index for index, column in enumerate(COLUMNS)}, records


def _row(line: int, cells: list[str], columns: dict[str, int]) -> tuple[RollRow, BadRow | None]:
    """Read one data row, or say why it cannot be admitted."""

    def cell(column: str) -> str:
        index = columns.get(column)
        return cells[index].strip() if index is not None and index < len(cells) else ""

    row = RollRow(line, cell("name"), cell("email"), cell("member_number"))
    if len(cells) > len(columns) and any(c.strip() for c in cells[len(columns) :]):
        return row, BadRow(
            line,
            "columns",
            RollError(
                "%(cells)d cells; a roll row has %(columns)d",
                cells=len(cells),
                columns=len(columns),
            ),
        )
    if not row.name:
        return row, BadRow(line, "missing-name", RollError("the name is missing"))
    if len(row.name) > NAME_LIMIT:
        return row, BadRow(
            line,
            "too-long",
            RollError("the name is longer than %(limit)d characters", limit=NAME_LIMIT),
        )
    if row.email and (len(row.email) > EMAIL_LIMIT or not EMAIL.match(row.email)):
        return row, BadRow(
            line, "bad-email", RollError("%(email)r is no e-mail address", email=row.email)
        )
    if len(row.member_number) > NUMBER_LIMIT:
        return row, BadRow(
            line,
            "too-long",
            RollError("the member number is longer than %(limit)d characters", limit=NUMBER_LIMIT),
        )
    return row, None
