"""Recall: the body that elected a delegate or officer removes them, at once, at any time.

Implements MODEL.md section 6. The vote passes by a simple majority of the votes cast (more
yes than no, abstentions not counted) with the body's quorum, whatever threshold the statute sets
for other motions: it is counted by the counting engine's `majority` rule. Its effect is a value:
the term ends now, the first substitute still available takes the seat until the term's end, and
every vote still open that the recalled delegate would cast passes to the substitute (or lapses
with the seat, when no substitute is left, until a by-election fills it).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime

from frombelow.core.counting.result import Result
from frombelow.core.counting.rule import Threshold
from frombelow.core.decisions import decide
from frombelow.core.errors import RecallError
from frombelow.core.statutes import Statute
from frombelow.core.terms import Substitutes, Term, take_seat, vacate

MemberId = int
SIMPLE_MAJORITY = Threshold()  # more than half of the votes cast for and against


def decide_recall(votes: Mapping[str, int], *, electorate: int, statute: Statute) -> Result:
    """Count a recall vote: a simple majority of votes cast, with the body's quorum."""
    return decide(votes, electorate=electorate, quorum=statute.quorum, threshold=SIMPLE_MAJORITY)


@dataclass(frozen=True)
class PendingCast:
    """A vote still open that a delegate would cast (a free item, or one arisen at the session)."""

    council: str
    item: str
    body: str  # whose delegation the delegate sits in
    delegate: MemberId


@dataclass(frozen=True)
class RecallEffect:
    """What a carried recall does, at once: the ended term, who takes the seat, who casts now."""

    recalled: Term  # vacated at the moment of the recall
    successor: Term | None  # the substitute's term; None when no substitute is left
    substitutes: Substitutes  # those still waiting, in order
    reassigned: tuple[PendingCast, ...]  # the recalled delegate's open votes, now the successor's
    lapsed: tuple[PendingCast, ...]  # their open votes when no one took the seat

    @property
    def is_vacant(self) -> bool:
        """Tell whether the seat stays empty until a by-election."""
        return self.successor is None


def recall(
    term: Term,
    *,
    by: str,
    count: Result,
    at: datetime,
    substitutes: Substitutes,
    unavailable: Collection[MemberId] = (),
    pending: Iterable[PendingCast] = (),
) -> RecallEffect:
    """Apply a recall vote of the body `by` to a term: refused unless that body elected it and
    the vote carried."""
    if by != term.body:
        raise RecallError(
            "only %(body)r, which elected member %(member)s to %(office)r, can recall them; "
            "%(by)r cannot",
            body=term.body,
            member=term.holder,
            office=term.office,
            by=by,
        )
    # Each outcome is written into its refusal, so that it is said in the reader's language.
    if count.outcome == "lost":
        raise RecallError(
            "the recall of member %(member)s was lost; their term goes on", member=term.holder
        )
    if count.outcome == "inquorate":
        raise RecallError(
            "the recall of member %(member)s was inquorate; their term goes on",
            member=term.holder,
        )
    if count.outcome != "carried":
        raise RecallError(
            "the recall of member %(member)s was not counted; their term goes on",
            member=term.holder,
        )
    if term.has_ended(at):
        raise RecallError(
            "member %(member)s's term in %(office)r was already over at %(end)s",
            member=term.holder,
            office=term.office,
            end=term.ends_at,
        )
    recalled = vacate(term, at, "recall")
    succession = take_seat(recalled, substitutes, unavailable)
    own = [p for p in pending if p.delegate == term.holder and p.body == term.body]
    if succession.term is None:
        return RecallEffect(recalled, None, succession.substitutes, (), tuple(own))
    successor = succession.term.holder
    moved = tuple(replace(p, delegate=successor) for p in own)
    return RecallEffect(recalled, succession.term, succession.substitutes, moved, ())
