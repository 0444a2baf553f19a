"""Terms of delegates and officers: limited, ending by themselves, rotating, filled by substitutes.

Implements MODEL.md section 2 (terms, rotation, substitutes). Every state here is derived from
dates at a given `now`, never kept by a scheduler that could be switched off: a seat is vacant
once its term's end has passed, an election is due within the statute's notice before the end,
and overdue once the seat is vacant with no election held.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from frombelow.core.errors import TermError
from frombelow.core.statutes import Statute

MemberId = int
# Why a seat empties before its term's end. A term that runs to its end needs no reason.
VacancyReason = Literal["recall", "resignation", "death"]
VACANCY_REASONS: frozenset[str] = frozenset({"recall", "resignation", "death"})


def _is_aware(moment: object) -> bool:
    """Tell whether `moment` is a datetime that says its time zone, as every recorded time must."""
    return isinstance(moment, datetime) and moment.utcoffset() is not None


@dataclass(frozen=True)
class Term:
    """A holder's term in a seat or office of a body, from `start` until `end` or vacated sooner.

    `office` names the seat or office as the statute counts it ("secretary", "delegation to the
    local federation"); a delegation of several seats has several terms of one office.
    """

    holder: MemberId
    office: str
    body: str
    start: datetime
    end: datetime
    election: str  # the election that gave the seat (a substitute's too: they ranked in it)
    substitute: bool = False  # took the seat from the election's substitutes, not elected to it
    vacated_at: datetime | None = None
    vacated_because: VacancyReason | None = None

    def __post_init__(self) -> None:
        if not _is_aware(self.start):
            raise TermError(
                "a term's start must be a datetime with a time zone, not %(moment)r",
                moment=self.start,
            )
        if not _is_aware(self.end):
            raise TermError(
                "a term's end must be a datetime with a time zone, not %(moment)r",
                moment=self.end,
            )
        if self.end <= self.start:
            raise TermError(
                "a term must end after it starts: %(start)s to %(end)s",
                start=self.start,
                end=self.end,
            )
        if (self.vacated_at is None) != (self.vacated_because is None):
            raise TermError("a vacated term says both when and why it was vacated")
        if self.vacated_at is not None:
            if not _is_aware(self.vacated_at):
                raise TermError(
                    "the time a term was vacated must be a datetime with a time zone, "
                    "not %(moment)r",
                    moment=self.vacated_at,
                )
            if not self.start <= self.vacated_at < self.end:
                raise TermError(
                    "a term is vacated between its start and its end, not at %(at)s",
                    at=self.vacated_at,
                )
            if self.vacated_because not in VACANCY_REASONS:
                raise TermError(
                    "a seat empties by recall, resignation or death, not %(reason)r",
                    reason=self.vacated_because,
                )

    @property
    def ends_at(self) -> datetime:
        """Return when the term ends: its end, or sooner if the seat was vacated."""
        return self.end if self.vacated_at is None else self.vacated_at

    def is_held(self, now: datetime) -> bool:
        """Tell whether the holder holds the seat at `now`."""
        return self.start <= now < self.ends_at

    def has_ended(self, now: datetime) -> bool:
        """Tell whether the term is over at `now`: the seat is no longer the holder's."""
        return now >= self.ends_at


def check_term_length(statute: Statute, start: datetime, end: datetime) -> None:
    """Refuse a term longer than the statute's maximum."""
    longest = timedelta(days=statute.max_term_days)
    if end - start > longest:
        raise TermError(
            "a term from %(start)s to %(end)s is longer than the statute's maximum of "
            "%(days)s days",
            start=start,
            end=end,
            days=statute.max_term_days,
        )


def consecutive_terms(history: Iterable[Term], candidate: MemberId, office: str, body: str) -> int:
    """Count the latest elections to the office in a row that elected the candidate.

    Elections are ordered by their terms' earliest start. A term taken as a substitute is not an
    election won, so it does not count; an election that did not elect the candidate ends the run.
    """
    starts: dict[str, datetime] = {}
    elected: dict[str, bool] = {}
    for term in history:
        if term.office != office or term.body != body:
            continue
        starts[term.election] = min(term.start, starts.get(term.election, term.start))
        won = term.holder == candidate and not term.substitute
        elected[term.election] = elected.get(term.election, False) or won
    run = 0
    for election in sorted(starts, key=lambda e: (starts[e], e), reverse=True):
        if not elected[election]:
            break
        run += 1
    return run


def check_rotation(
    statute: Statute, history: Iterable[Term], candidate: MemberId, office: str, body: str
) -> None:
    """Refuse a candidate who would hold the office for more consecutive terms than allowed."""
    limit = statute.rotation_limit
    if limit is None:
        return
    held = consecutive_terms(history, candidate, office, body)
    if held >= limit:
        raise TermError(
            "member %(member)s has held %(office)r in %(body)r for %(held)s consecutive terms; "
            "the statute allows %(limit)s, so they cannot stand again now",
            member=candidate,
            office=office,
            body=body,
            held=held,
            limit=limit,
        )


def begin_term(
    statute: Statute,
    *,
    holder: MemberId,
    office: str,
    body: str,
    start: datetime,
    end: datetime,
    election: str,
    history: Collection[Term] = (),
) -> Term:
    """Return the term an election gave, refusing one too long, beyond rotation, or renewed."""
    check_term_length(statute, start, end)
    for term in history:
        if (term.holder, term.office, term.body, term.election) == (holder, office, body, election):
            raise TermError(
                "member %(member)s already had a term in %(office)r from election %(election)r, "
                "ending %(end)s; a term is never extended or renewed: hold a new election",
                member=holder,
                office=office,
                election=election,
                end=term.end,
            )
    check_rotation(statute, history, holder, office, body)
    return Term(holder, office, body, start, end, election)


def vacate(term: Term, at: datetime, because: VacancyReason) -> Term:
    """Return the term ended at `at` by recall, resignation or death."""
    if not _is_aware(at):
        raise TermError(
            "the time a seat empties must be a datetime with a time zone, not %(moment)r",
            moment=at,
        )
    if term.vacated_at is not None:
        # The reason is written into each refusal, so that it is said in the reader's language.
        if term.vacated_because == "recall":
            raise TermError(
                "member %(member)s's term in %(office)r was already vacated at %(at)s (recall)",
                member=term.holder,
                office=term.office,
                at=term.vacated_at,
            )
        if term.vacated_because == "resignation":
            raise TermError(
                "member %(member)s's term in %(office)r was already vacated at %(at)s "
                "(resignation)",
                member=term.holder,
                office=term.office,
                at=term.vacated_at,
            )
        raise TermError(
            "member %(member)s's term in %(office)r was already vacated at %(at)s (death)",
            member=term.holder,
            office=term.office,
            at=term.vacated_at,
        )
    if at >= term.end:
        raise TermError(
            "member %(member)s's term in %(office)r ended by itself at %(end)s; "
            "there is nothing left to vacate",
            member=term.holder,
            office=term.office,
            end=term.end,
        )
    if at < term.start:
        raise TermError(
            "a term starting at %(start)s cannot be vacated at %(at)s", start=term.start, at=at
        )
    return dataclasses.replace(term, vacated_at=at, vacated_because=because)


@dataclass(frozen=True)
class Substitutes:
    """The election's substitutes for an office, in the order the count ranked them."""

    election: str
    office: str
    body: str
    order: tuple[MemberId, ...]

    def __post_init__(self) -> None:
        if len(set(self.order)) != len(self.order):
            raise TermError(
                "a substitute is listed twice for %(office)r: %(order)s",
                office=self.office,
                order=self.order,
            )


@dataclass(frozen=True)
class Succession:
    """Who takes an emptied seat: the substitute's term (None if no one is left), and the rest."""

    term: Term | None
    substitutes: Substitutes


def take_seat(
    vacated: Term, substitutes: Substitutes, unavailable: Collection[MemberId] = ()
) -> Succession:
    """Seat the first substitute still available, at once, until the vacated term's end.

    `unavailable`: those who cannot take the seat now (already seated, recalled, resigned, dead).
    """
    if vacated.vacated_at is None:
        raise TermError(
            "member %(member)s's term in %(office)r was not vacated early; a term "
            "that runs to its end leaves nothing to fill: the next election is due instead",
            member=vacated.holder,
            office=vacated.office,
        )
    if (substitutes.election, substitutes.office, substitutes.body) != (
        vacated.election,
        vacated.office,
        vacated.body,
    ):
        raise TermError(
            "the substitutes of election %(election)r for %(office)r in %(body)r cannot fill a "
            "seat from election %(seat_election)r for %(seat_office)r in %(seat_body)r",
            election=substitutes.election,
            office=substitutes.office,
            body=substitutes.body,
            seat_election=vacated.election,
            seat_office=vacated.office,
            seat_body=vacated.body,
        )
    excluded = set(unavailable) | {vacated.holder}
    for position, member in enumerate(substitutes.order):
        if member in excluded:
            continue
        term = Term(
            member,
            vacated.office,
            vacated.body,
            vacated.vacated_at,
            vacated.end,
            vacated.election,
            substitute=True,
        )
        rest = substitutes.order[:position] + substitutes.order[position + 1 :]
        return Succession(term, dataclasses.replace(substitutes, order=rest))
    return Succession(None, substitutes)


@dataclass(frozen=True)
class ElectionStatus:
    """Whether an office's election is due, overdue or not yet, and since when."""

    office: str
    body: str
    status: Literal["not due", "due", "overdue"]
    since: datetime | None  # when it became due or overdue; None when not due or never filled
    vacant_seats: int


def holders(terms: Iterable[Term], office: str, body: str, now: datetime) -> tuple[Term, ...]:
    """Return the terms of the office held at `now`."""
    return tuple(t for t in terms if t.office == office and t.body == body and t.is_held(now))


def election_status(
    statute: Statute,
    terms: Collection[Term],
    *,
    office: str,
    body: str,
    seats: int,
    now: datetime,
) -> ElectionStatus:
    """Derive from dates whether the office's next election is due or overdue at `now`.

    Due: within the statute's notice before the latest term's end. Overdue: a seat is vacant (its
    term is over, or it emptied with no substitute left) and no election filled it.
    """
    if not _is_aware(now):
        raise TermError("now must be a datetime with a time zone, not %(moment)r", moment=now)
    own = [t for t in terms if t.office == office and t.body == body]
    vacant = seats - len(holders(own, office, body, now))
    if not own:
        return ElectionStatus(office, body, "overdue", None, vacant)
    cycle_end = max(t.end for t in own)
    if now >= cycle_end:
        return ElectionStatus(office, body, "overdue", cycle_end, vacant)
    # Seats held now or by terms an election already gave for later.
    filled = sum(1 for t in own if not t.has_ended(now))
    if filled < seats:
        # Emptied early with no substitute left: a by-election is owed since the seat emptied.
        emptied = [t.ends_at for t in own if t.has_ended(now) and t.vacated_at is not None]
        return ElectionStatus(office, body, "overdue", max(emptied, default=None), vacant)
    due_from = cycle_end - timedelta(days=statute.election_notice_days)
    if now >= due_from:
        return ElectionStatus(office, body, "due", due_from, vacant)
    return ElectionStatus(office, body, "not due", None, vacant)
