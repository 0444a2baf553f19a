"""Reading a roll file: every good row, every bad row named by its line and why; writing it back."""

from __future__ import annotations

import pytest

from frombelow.core.roll import ROW_LIMIT, RollError, RollRow, decode, parse_roll, write_roll


def test_a_roll_with_a_header_gives_its_rows_and_names_each_bad_one() -> None:
    text = (
        "name,email,member_number\n"
        "Ana Ruiz,ana@example.org,17\n"
        ",nobody@example.org,\n"  # line 3: no name
        "Benito Sala,benito@,\n"  # line 4: no domain
        "Carmen Vidal,ANA@example.org,\n"  # line 5: Ana's address again
        "Diego Marín,,17\n"  # line 6: Ana's number again
        "Elena Soto,,\n"
    )
    roll = parse_roll(text)
    assert roll.rows == (
        RollRow(2, "Ana Ruiz", "ana@example.org", "17"),
        RollRow(7, "Elena Soto", "", ""),
    )
    assert [(b.line, b.reason) for b in roll.bad] == [
        (3, "missing-name"),
        (4, "bad-email"),
        (5, "duplicate"),
        (6, "duplicate"),
    ]
    assert roll.bad[2].detail == "line 5: ANA@example.org is on line 2 too"
    assert roll.bad[3].detail == "line 6: member number 17 is on line 2 too"


def test_a_roll_without_a_header_is_read_as_name_email_number() -> None:
    roll = parse_roll("Ana Ruiz,ana@example.org\r\nBenito Sala\r\n\r\n")
    assert roll.rows == (RollRow(1, "Ana Ruiz", "ana@example.org"), RollRow(2, "Benito Sala"))
    assert roll.bad == ()


def test_a_header_may_order_and_spell_the_columns_its_own_way() -> None:
    roll = parse_roll("E-mail;Name\n".replace(";", ",") + "ana@example.org,Ana Ruiz\n")
    assert roll.rows == (RollRow(2, "Ana Ruiz", "ana@example.org"),)


def test_a_row_with_too_many_cells_is_named() -> None:
    roll = parse_roll("name,email\nAna,ana@example.org,extra\n")
    assert [(b.line, b.reason) for b in roll.bad] == [(2, "columns")]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("\n ,  \n", "empty"),
        ("name,email\n", "no one under it"),
        ("name,phone\nAna,555\n", "line 1: the header names a column 'phone'"),
        ("email,number\n", "no name column"),
        ('name\nAna\n"Benito\n', "line 3"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_whole(text: str, message: str) -> None:
    with pytest.raises(RollError, match=message):
        parse_roll(text)


def test_a_roll_beyond_the_limit_is_refused_whole() -> None:
    with pytest.raises(RollError, match=f"at most {ROW_LIMIT}"):
        parse_roll("".join(f"Member {i}\n" for i in range(ROW_LIMIT + 1)))


def test_a_file_that_is_not_utf8_is_refused_and_a_byte_order_mark_is_not() -> None:
    assert decode("\ufeffname\nAna\n".encode()) == "name\nAna\n"
    with pytest.raises(RollError, match="not UTF-8"):
        decode("name\nMaría\n".encode("latin-1"))


@pytest.mark.parametrize(
    ("data", "line"),
    [
        (b"name,email\nAna,ana@example.org\nBe\x00nito,\n", 3),
        # Saved as UTF-16, an ASCII roll reads as UTF-8 with a NUL after every letter.
        ("name\nAna\n".encode("utf-16-le"), 1),
    ],
)
def test_a_file_holding_a_nul_is_refused_naming_its_line(data: bytes, line: int) -> None:
    # No store keeps a NUL in text: PostgreSQL refused it at the import, after a good preview.
    with pytest.raises(RollError, match=f"^line {line}: .*NUL"):
        parse_roll(decode(data))


def test_an_exported_roll_reads_back_as_the_same_rows() -> None:
    rows = [RollRow(0, "Ana, of the docks", "ana@example.org", "7"), RollRow(0, 'Be "B" Sala')]
    text = write_roll(rows)
    assert text.splitlines()[0] == "name,email,member_number"
    back = parse_roll(text)
    assert [(r.name, r.email, r.member_number) for r in back.rows] == [
        (r.name, r.email, r.member_number) for r in rows
    ]


def test_an_exported_cell_a_spreadsheet_would_run_is_written_as_text() -> None:
    assert write_roll([RollRow(0, "=HYPERLINK(1)")]).splitlines()[1] == "'=HYPERLINK(1),,"
