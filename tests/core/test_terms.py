"""Terms end by themselves, never grow, rotate, and pass to substitutes at once."""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, datetime, timedelta

import pytest

from frombelow.core.errors import DomainError, TermError
from frombelow.core.statutes import Statute
from frombelow.core.terms import (
    Substitutes,
    Term,
    begin_term,
    check_term_length,
    consecutive_terms,
    election_status,
    holders,
    take_seat,
    vacate,
)

JAN = datetime(2026, 1, 1, tzinfo=UTC)
YEAR = timedelta(days=365)
STATUTE = Statute(max_term_days=365, rotation_limit=2, election_notice_days=30)


def secretary(
    holder: int, election: str, start: datetime = JAN, history: Collection[Term] = ()
) -> Term:
    return begin_term(
        STATUTE,
        holder=holder,
        office="secretary",
        body="section-a",
        start=start,
        end=start + YEAR,
        election=election,
        history=history,
    )


def test_a_term_no_longer_than_the_statute_allows_begins() -> None:
    term = secretary(7, "e1")
    assert (term.holder, term.start, term.end) == (7, JAN, JAN + YEAR)


def test_a_term_longer_than_the_statute_allows_is_refused() -> None:
    with pytest.raises(TermError, match="longer than the statute's maximum of 365 days"):
        begin_term(
            STATUTE,
            holder=7,
            office="secretary",
            body="section-a",
            start=JAN,
            end=JAN + YEAR + timedelta(seconds=1),
            election="e1",
        )
    with pytest.raises(DomainError):
        check_term_length(Statute(max_term_days=30), JAN, JAN + timedelta(days=31))


def test_a_term_is_never_extended_or_renewed_without_a_new_election() -> None:
    first = secretary(7, "e1")
    with pytest.raises(TermError, match="never extended or renewed: hold a new election"):
        secretary(7, "e1", start=first.end, history=[first])


def test_the_seat_is_vacant_once_the_end_has_passed_at_any_now() -> None:
    term = secretary(7, "e1")
    assert not term.is_held(JAN - timedelta(seconds=1))
    assert term.is_held(JAN)
    assert term.is_held(JAN + YEAR - timedelta(seconds=1))
    assert not term.is_held(JAN + YEAR)
    assert term.has_ended(JAN + YEAR)
    assert holders([term], "secretary", "section-a", JAN + YEAR) == ()


def test_a_term_cannot_be_vacated_after_its_end_or_twice() -> None:
    term = secretary(7, "e1")
    with pytest.raises(TermError, match="ended by itself"):
        vacate(term, JAN + YEAR, "resignation")
    with pytest.raises(TermError, match="cannot be vacated at"):
        vacate(term, JAN - timedelta(days=1), "resignation")
    resigned = vacate(term, JAN + timedelta(days=100), "resignation")
    assert resigned.ends_at == JAN + timedelta(days=100)
    assert not resigned.is_held(JAN + timedelta(days=100))
    with pytest.raises(TermError, match="already vacated"):
        vacate(resigned, JAN + timedelta(days=101), "recall")


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"end": JAN}, "must end after it starts"),
        ({"start": datetime(2026, 1, 1)}, "time zone"),
        ({"vacated_at": JAN + timedelta(days=1)}, "both when and why"),
        ({"vacated_at": JAN + YEAR, "vacated_because": "recall"}, "between its start and its end"),
        ({"vacated_at": JAN, "vacated_because": "boredom"}, "recall, resignation or death"),
    ],
)
def test_a_term_that_cannot_be_is_refused(kwargs: dict[str, object], words: str) -> None:
    fields: dict[str, object] = {
        "holder": 7,
        "office": "secretary",
        "body": "section-a",
        "start": JAN,
        "end": JAN + YEAR,
        "election": "e1",
    }
    with pytest.raises(TermError, match=words):
        Term(**(fields | kwargs))  # type: ignore[arg-type]  # values of every type, on purpose


def test_rotation_refuses_a_third_consecutive_term() -> None:
    history = [secretary(7, "e1"), secretary(7, "e2", start=JAN + YEAR)]
    assert consecutive_terms(history, 7, "secretary", "section-a") == 2
    with pytest.raises(TermError, match="held 'secretary' in 'section-a' for 2 consecutive terms"):
        secretary(7, "e3", start=JAN + 2 * YEAR, history=history)
    # Someone else may stand, and so may 7 once another has held the office in between.
    secretary(8, "e3", start=JAN + 2 * YEAR, history=history)
    history.append(secretary(8, "e3", start=JAN + 2 * YEAR, history=history))
    assert consecutive_terms(history, 7, "secretary", "section-a") == 0
    secretary(7, "e4", start=JAN + 3 * YEAR, history=history)
    # Without a rotation limit, anyone may stand again.
    begin_term(
        Statute(),
        holder=7,
        office="secretary",
        body="section-a",
        start=JAN + 2 * YEAR,
        end=JAN + 3 * YEAR,
        election="e3",
        history=history[:2],
    )


def test_a_stint_as_substitute_is_not_a_term_won() -> None:
    elected = vacate(secretary(8, "e1"), JAN + timedelta(days=300), "resignation")
    stint = take_seat(elected, Substitutes("e1", "secretary", "section-a", (7,))).term
    assert stint is not None
    history = [elected, stint, secretary(7, "e2", start=JAN + YEAR)]
    assert consecutive_terms(history, 7, "secretary", "section-a") == 1


def test_rotation_counts_terms_in_one_office_of_one_body() -> None:
    history = [secretary(7, "e1"), secretary(7, "e2", start=JAN + YEAR)]
    assert consecutive_terms(history, 7, "treasurer", "section-a") == 0
    assert consecutive_terms(history, 7, "secretary", "section-b") == 0


def test_the_first_available_substitute_takes_the_seat_at_once_until_the_terms_end() -> None:
    recalled = vacate(secretary(7, "e1"), JAN + timedelta(days=100), "recall")
    substitutes = Substitutes("e1", "secretary", "section-a", (7, 9, 4, 5))
    succession = take_seat(recalled, substitutes, unavailable={9})
    assert succession.term == Term(
        4,
        "secretary",
        "section-a",
        JAN + timedelta(days=100),
        JAN + YEAR,
        "e1",
        substitute=True,
    )
    assert succession.substitutes.order == (7, 9, 5)
    nobody = take_seat(recalled, substitutes, unavailable={9, 4, 5})
    assert nobody.term is None
    assert nobody.substitutes == substitutes


def test_a_seat_whose_term_ran_out_is_not_filled_by_a_substitute() -> None:
    with pytest.raises(TermError, match="the next election is due instead"):
        take_seat(secretary(7, "e1"), Substitutes("e1", "secretary", "section-a", (9,)))


def test_substitutes_fill_only_seats_of_their_own_election() -> None:
    vacated = vacate(secretary(7, "e1"), JAN + timedelta(days=5), "death")
    with pytest.raises(TermError, match="cannot fill a seat from election 'e1'"):
        take_seat(vacated, Substitutes("e0", "secretary", "section-a", (9,)))
    with pytest.raises(TermError, match="listed twice"):
        Substitutes("e1", "secretary", "section-a", (9, 9))


def status(terms: list[Term], now: datetime, seats: int = 1) -> tuple[str, datetime | None]:
    result = election_status(
        STATUTE, terms, office="secretary", body="section-a", seats=seats, now=now
    )
    return result.status, result.since


def test_an_election_is_due_within_the_notice_and_overdue_once_the_seat_is_vacant() -> None:
    terms = [secretary(7, "e1")]
    end = JAN + YEAR
    assert status(terms, JAN + timedelta(days=100)) == ("not due", None)
    assert status(terms, end - timedelta(days=30)) == ("due", end - timedelta(days=30))
    assert status(terms, end) == ("overdue", end)
    assert status(terms, end + 4 * YEAR) == ("overdue", end)
    assert status([], JAN) == ("overdue", None)


def test_an_election_held_for_the_next_term_is_not_due() -> None:
    terms = [secretary(7, "e1"), secretary(8, "e2", start=JAN + YEAR)]
    assert status(terms, JAN + YEAR - timedelta(days=5)) == ("not due", None)


def test_an_early_vacancy_with_no_substitute_makes_a_by_election_overdue() -> None:
    emptied = JAN + timedelta(days=100)
    vacated = vacate(secretary(7, "e1"), emptied, "resignation")
    assert status([vacated], emptied + timedelta(days=1)) == ("overdue", emptied)
    successor = take_seat(vacated, Substitutes("e1", "secretary", "section-a", (9,))).term
    assert successor is not None
    assert status([vacated, successor], emptied + timedelta(days=1)) == ("not due", None)


def test_a_delegation_of_several_seats_counts_its_vacancies() -> None:
    terms = [
        begin_term(
            STATUTE,
            holder=holder,
            office="delegation",
            body="section-a",
            start=JAN,
            end=JAN + YEAR,
            election="e1",
        )
        for holder in (1, 2)
    ]
    result = election_status(
        STATUTE, terms, office="delegation", body="section-a", seats=3, now=JAN
    )
    assert (result.status, result.vacant_seats) == ("overdue", 1)
    full = election_status(STATUTE, terms, office="delegation", body="section-a", seats=2, now=JAN)
    assert (full.status, full.vacant_seats) == ("not due", 0)
