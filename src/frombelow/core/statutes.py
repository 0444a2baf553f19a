"""A body's statute: the rules it gave itself for deciding, electing, representing and recalling.

Implements MODEL.md sections 1 (statutes, competences), 2 (seats, terms, rotation), 3 (mandate
deadline, ratification), 4 (quorum, threshold, consent, reopening), 5 (referendum petitions,
double majority) and 6 (recall petitions). A statute is a value: amending one (a service, by the
body's own vote under its current statute) makes a validated copy with `Statute.amended`.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Literal

from frombelow.core.counting.rule import Threshold
from frombelow.core.errors import StatuteError

# Counting rules by their registry names (frombelow.core.counting.registry). IRV elects one; the
# others elect one or several. Plurality and approval elect several only where the statute says.
SINGLE_SEAT_METHODS = frozenset({"irv", "stv-scottish", "stv-meek", "plurality", "approval"})
MULTI_SEAT_METHODS = frozenset({"stv-scottish", "stv-meek", "plurality", "approval"})
# Apportionment methods by their names in frombelow.core.counting.apportionment.
APPORTIONMENT_METHODS = frozenset({"sainte-lague", "dhondt", "hamilton", "huntington-hill"})

MemberCounting = Literal["per-path", "once"]


def _is_share(share: Fraction, *, allow_zero: bool = False) -> bool:
    """Tell whether `share` lies in (0, 1], or in [0, 1] with `allow_zero`."""
    return (share >= 0 if allow_zero else share > 0) and share <= 1


def _is_days(days: object, *, minimum: int) -> bool:
    """Tell whether `days` is a whole number of days (not a bool) of at least `minimum`."""
    return not isinstance(days, bool) and isinstance(days, int) and days >= minimum


@dataclass(frozen=True)
class PetitionThreshold:
    """How many signatures a petition needs: a share of those entitled, or a number, or both.

    With both, `whichever` says which of the two binds: "10% or 5 members, whichever is smaller"
    is `PetitionThreshold(Fraction(1, 10), 5, "smaller")`.
    """

    share: Fraction
    count: int | None = None
    whichever: Literal["smaller", "larger"] = "smaller"

    def __post_init__(self) -> None:
        if not isinstance(self.share, Fraction):
            raise StatuteError(
                "a petition's share must be an exact Fraction, not %(share)r", share=self.share
            )
        if not _is_share(self.share):
            raise StatuteError(
                "a petition's share must be a share in (0, 1]; it is %(share)s", share=self.share
            )
        if self.count is not None and (isinstance(self.count, bool) or self.count < 1):
            raise StatuteError(
                "a petition's number of signatures must be at least 1: %(count)s", count=self.count
            )
        if self.whichever not in ("smaller", "larger"):
            raise StatuteError(
                "whichever must be 'smaller' or 'larger', not %(whichever)r",
                whichever=self.whichever,
            )

    def required(self, entitled: int) -> int:
        """Return the signatures needed among `entitled` signers (at least one)."""
        if entitled < 0:
            raise StatuteError(
                "the number entitled to sign cannot be negative: %(entitled)s", entitled=entitled
            )
        by_share = math.ceil(self.share * entitled)
        if self.count is None:
            needed = by_share
        elif self.whichever == "smaller":
            needed = min(by_share, self.count)
        else:
            needed = max(by_share, self.count)
        # A petition of nobody opens nothing: at least one signature, always.
        return max(needed, 1)


@dataclass(frozen=True)
class RatificationMajority:
    """The majority of member bodies that ratifies a provisional decision.

    The share is of all member bodies (or of their whole weight), not of those that answered: a
    body that says nothing has not ratified, since silence is never consent.
    """

    share: Fraction = Fraction(1, 2)
    by: Literal["number", "weight", "both"] = "both"
    strict: bool = True  # True: more than `share`; False: at least `share`

    def __post_init__(self) -> None:
        if not isinstance(self.share, Fraction):
            raise StatuteError(
                "the ratification majority must be an exact Fraction, not %(share)r",
                share=self.share,
            )
        if not _is_share(self.share):
            raise StatuteError(
                "the ratification majority must be a share in (0, 1]; it is %(share)s",
                share=self.share,
            )
        if self.by not in ("number", "weight", "both"):
            raise StatuteError(
                "ratification is by 'number', 'weight' or 'both', not %(by)r", by=self.by
            )

    def is_met(self, part: int, whole: int) -> bool:
        """Tell whether `part` of `whole` reaches the share."""
        if whole <= 0:
            return False
        ratio = Fraction(part, whole)
        return ratio > self.share if self.strict else ratio >= self.share


@dataclass(frozen=True)
class OneDelegatePerBody:
    """Seat scheme: each member body sends one delegate, who votes with the body's weight."""


@dataclass(frozen=True)
class ApportionedSeats:
    """Seat scheme: `seats` apportioned to member bodies by membership, at least `minimum` each."""

    seats: int
    method: str = "sainte-lague"
    minimum: int = 1

    def __post_init__(self) -> None:
        if self.method not in APPORTIONMENT_METHODS:
            raise StatuteError(
                "unknown apportionment method %(method)r; use one of %(known)s",
                method=self.method,
                known=", ".join(sorted(APPORTIONMENT_METHODS)),
            )
        if isinstance(self.minimum, bool) or self.minimum < 1:
            raise StatuteError(
                "every member body keeps at least one seat; minimum %(minimum)s",
                minimum=self.minimum,
            )
        if isinstance(self.seats, bool) or self.seats < 1:
            raise StatuteError(
                "an apportioned council needs at least one seat: %(seats)s", seats=self.seats
            )


SeatScheme = OneDelegatePerBody | ApportionedSeats


@dataclass(frozen=True)
class Statute:
    """The rules a body gave itself; every field is checked when the statute is made or amended."""

    # Deciding (MODEL 4).
    # Share of the electorate that must take part: a tenth unless the statute says otherwise,
    # so that a handful of votes cannot decide for a whole body (issue 11: one vote of 78 once
    # expelled a member under a quorum of none).
    quorum: Fraction = Fraction(1, 10)
    # No snap votes (MODEL 4): an online vote stays open at least this long after it opens.
    min_voting_hours: int = 72
    threshold: Threshold = field(default_factory=Threshold)
    consent_matters: frozenset[str] = frozenset()  # matters the body may decide by consent
    competences: frozenset[str] = frozenset()  # matters its member bodies delegated to it
    ballots_changeable_until_close: bool = True
    reopening_petition: PetitionThreshold = field(
        default_factory=lambda: PetitionThreshold(Fraction(1, 10))
    )
    reopening_after_days: int = 90  # the minimum period before a decision can be reopened
    motion_supporters: int = 0  # supporters a motion needs, besides its proposer, to be put
    # Notice (MODEL 4): members hear of a motion (or amendment) this long before its vote opens.
    min_notice_hours: int = 48
    # Nobody sits on a motion: its body's elected secretary puts it to the vote within this many
    # days of its submission, after which it opens by itself, online (0: once its notice passed).
    motion_deadline_days: int = 14
    # Whether the elected secretary may close an online vote before its end once all have voted.
    secretary_closes_early: bool = False
    # Members (MODEL 1): besides the body's own vote, its elected membership officer may admit.
    officer_admits_members: bool = False
    # Founding (MODEL 1): the assembly exists once this many founders, its convenor among them,
    # have accepted by their own act; a body that amends it later changes nothing already founded.
    min_founders: int = 3
    # Electing and representing (MODEL 2).
    single_seat_method: str = "irv"
    multi_seat_method: str = "stv-scottish"
    seat_scheme: SeatScheme = field(default_factory=OneDelegatePerBody)
    member_counting: MemberCounting = "per-path"  # how a council's weight counts a member
    max_term_days: int = 365
    rotation_limit: int | None = None  # most consecutive terms in one seat or office
    election_notice_days: int = 30  # an election is due this long before the terms end
    # An election due is called by itself; its nominations run this long, then its vote opens by
    # itself and stays open this long: nobody can postpone it (MODEL 2).
    nomination_days: int = 14
    election_voting_days: int = 7
    # Its officers and delegates act in their role only after signing in with a second factor.
    officers_need_two_factor: bool = False
    # Mandates and ratification (MODEL 3).
    mandate_deadline_days: int = 14  # items reach member bodies this many days before a session
    ratification_days: int = 60
    ratification_majority: RatificationMajority = field(default_factory=RatificationMajority)
    # Referendum (MODEL 5).
    referendum_petition_members: PetitionThreshold = field(
        default_factory=lambda: PetitionThreshold(Fraction(1, 10))
    )
    referendum_petition_bodies: PetitionThreshold = field(
        default_factory=lambda: PetitionThreshold(Fraction(1, 3))
    )
    double_majority: bool = False
    # Recall (MODEL 6): "10% or 5 members, whichever is smaller".
    recall_petition: PetitionThreshold = field(
        default_factory=lambda: PetitionThreshold(Fraction(1, 10), 5, "smaller")
    )
    # Due process (MODEL 7): the accused has this many days from a charge's filing to reply in
    # writing; the body hears the charge after the reply, or after this deadline without one.
    reply_days: int = 14

    def __post_init__(self) -> None:
        if not isinstance(self.quorum, Fraction):
            raise StatuteError(
                "the quorum must be an exact Fraction, not %(share)r", share=self.quorum
            )
        if not _is_share(self.quorum, allow_zero=True):
            raise StatuteError(
                "the quorum must be a share in [0, 1]; it is %(share)s", share=self.quorum
            )
        if not isinstance(self.threshold, Threshold):
            raise StatuteError(
                "the threshold must be a Threshold, not %(threshold)r", threshold=self.threshold
            )
        if not isinstance(self.threshold.share, Fraction):
            raise StatuteError(
                "the threshold must be an exact Fraction, not %(share)r",
                share=self.threshold.share,
            )
        if not _is_share(self.threshold.share):
            raise StatuteError(
                "the threshold must be a share in (0, 1]; it is %(share)s",
                share=self.threshold.share,
            )
        for name in ("consent_matters", "competences"):
            matters = getattr(self, name)
            if not isinstance(matters, frozenset) or not all(
                isinstance(m, str) and m for m in matters
            ):
                raise StatuteError(
                    "%(rule)s must be a frozenset of named matters: %(matters)r",
                    rule=name,
                    matters=matters,
                )
        if self.single_seat_method not in SINGLE_SEAT_METHODS:
            raise StatuteError(
                "unknown method %(method)r for one seat; use one of %(known)s",
                method=self.single_seat_method,
                known=", ".join(sorted(SINGLE_SEAT_METHODS)),
            )
        if self.multi_seat_method not in MULTI_SEAT_METHODS:
            raise StatuteError(
                "method %(method)r cannot fill several seats; use one of %(known)s",
                method=self.multi_seat_method,
                known=", ".join(sorted(MULTI_SEAT_METHODS)),
            )
        if not isinstance(self.seat_scheme, OneDelegatePerBody | ApportionedSeats):
            raise StatuteError("unknown seat scheme %(scheme)r", scheme=self.seat_scheme)
        if self.member_counting not in ("per-path", "once"):
            raise StatuteError(
                "a member counts 'per-path' or 'once' in a council, not %(counting)r",
                counting=self.member_counting,
            )
        if not _is_days(self.min_voting_hours, minimum=0):
            raise StatuteError(
                "the shortest online vote must be a whole number of hours of at least 0: %(hours)r",
                hours=self.min_voting_hours,
            )
        if not _is_days(self.min_founders, minimum=2):
            # One person alone is no assembly: founding is done together.
            raise StatuteError(
                "an assembly is founded by at least two founders, not %(founders)r",
                founders=self.min_founders,
            )
        if not _is_days(self.max_term_days, minimum=1):
            raise StatuteError(
                "the longest term must be a whole number of days of at least 1: %(days)r",
                days=self.max_term_days,
            )
        if self.rotation_limit is not None and (
            isinstance(self.rotation_limit, bool)
            or not isinstance(self.rotation_limit, int)
            or self.rotation_limit < 1
        ):
            raise StatuteError(
                "the rotation limit must be at least one term, or None: %(limit)r",
                limit=self.rotation_limit,
            )
        if not _is_days(self.election_notice_days, minimum=0):
            raise StatuteError(
                "the notice before an election must be a whole number of days of at least 0: "
                "%(days)r",
                days=self.election_notice_days,
            )
        if not _is_days(self.nomination_days, minimum=1):
            raise StatuteError(
                "nominations must run a whole number of days of at least 1: %(days)r",
                days=self.nomination_days,
            )
        if not _is_days(self.election_voting_days, minimum=1):
            raise StatuteError(
                "an election's vote must stay open a whole number of days of at least 1: %(days)r",
                days=self.election_voting_days,
            )
        if not isinstance(self.officers_need_two_factor, bool):
            raise StatuteError(
                "whether officers need a second factor is true or false, not %(value)r",
                value=self.officers_need_two_factor,
            )
        if not _is_days(self.mandate_deadline_days, minimum=0):
            raise StatuteError(
                "the mandate deadline must be a whole number of days of at least 0: %(days)r",
                days=self.mandate_deadline_days,
            )
        if not _is_days(self.ratification_days, minimum=1):
            raise StatuteError(
                "the ratification period must be a whole number of days of at least 1: %(days)r",
                days=self.ratification_days,
            )
        if not _is_days(self.reply_days, minimum=1):
            # Not 0: a charge heard the day it is filed leaves the accused no time to answer.
            raise StatuteError(
                "the time to reply to a charge must be a whole number of days of at least 1: "
                "%(days)r",
                days=self.reply_days,
            )
        if not _is_days(self.reopening_after_days, minimum=0):
            raise StatuteError(
                "the period before reopening must be a whole number of days of at least 0: "
                "%(days)r",
                days=self.reopening_after_days,
            )
        if (
            isinstance(self.motion_supporters, bool)
            or not isinstance(self.motion_supporters, int)
            or self.motion_supporters < 0
        ):
            raise StatuteError(
                "a motion's supporters must be a whole number, 0 or more: %(supporters)r",
                supporters=self.motion_supporters,
            )
        if not _is_days(self.min_notice_hours, minimum=0):
            raise StatuteError(
                "the notice before a vote must be a whole number of hours of at least 0: %(hours)r",
                hours=self.min_notice_hours,
            )
        if not _is_days(self.motion_deadline_days, minimum=0):
            raise StatuteError(
                "the deadline to put a motion to the vote must be a whole number of days of at "
                "least 0: %(days)r",
                days=self.motion_deadline_days,
            )
        if not isinstance(self.secretary_closes_early, bool):
            raise StatuteError(
                "whether the secretary may close a vote early is true or false, not %(value)r",
                value=self.secretary_closes_early,
            )

    def amended(self, **changes: object) -> Statute:
        """Return a copy with `changes`, validated like a new statute."""
        names = {f.name for f in dataclasses.fields(self)}
        unknown = sorted(set(changes) - names)
        if unknown:
            raise StatuteError("a statute has no rule called %(rules)s", rules=", ".join(unknown))
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]  # fields checked above

    def election_method(self, seats: int) -> str:
        """Return the counting rule that fills `seats` seats."""
        if seats < 1:
            raise StatuteError("an election fills at least one seat, not %(seats)s", seats=seats)
        return self.single_seat_method if seats == 1 else self.multi_seat_method

    def has_competence(self, matter: str) -> bool:
        """Tell whether the member bodies delegated `matter` to this body."""
        return matter in self.competences

    def allows_consent(self, matter: str) -> bool:
        """Tell whether the body may decide `matter` by consent rather than by majority."""
        return matter in self.consent_matters
