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


def _check_share(name: str, share: object, *, allow_zero: bool = False) -> None:
    """Refuse a share that is not an exact fraction in (0, 1], or [0, 1] with `allow_zero`."""
    if not isinstance(share, Fraction):
        raise StatuteError(f"{name} must be an exact Fraction, not {share!r}")
    low_ok = share >= 0 if allow_zero else share > 0
    if not (low_ok and share <= 1):
        interval = "[0, 1]" if allow_zero else "(0, 1]"
        raise StatuteError(f"{name} must be a share in {interval}; it is {share}")


def _check_days(name: str, days: object, *, minimum: int) -> None:
    """Refuse a number of days that is not an integer of at least `minimum`."""
    if isinstance(days, bool) or not isinstance(days, int) or days < minimum:
        raise StatuteError(f"{name} must be a whole number of days of at least {minimum}: {days!r}")


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
        _check_share("a petition's share", self.share)
        if self.count is not None and (isinstance(self.count, bool) or self.count < 1):
            raise StatuteError(
                f"a petition's number of signatures must be at least 1: {self.count}"
            )
        if self.whichever not in ("smaller", "larger"):
            raise StatuteError(f"whichever must be 'smaller' or 'larger', not {self.whichever!r}")

    def required(self, entitled: int) -> int:
        """Return the signatures needed among `entitled` signers (at least one)."""
        if entitled < 0:
            raise StatuteError(f"the number entitled to sign cannot be negative: {entitled}")
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
        _check_share("the ratification majority", self.share)
        if self.by not in ("number", "weight", "both"):
            raise StatuteError(f"ratification is by 'number', 'weight' or 'both', not {self.by!r}")

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
            known = ", ".join(sorted(APPORTIONMENT_METHODS))
            raise StatuteError(f"unknown apportionment method {self.method!r}; use one of {known}")
        if isinstance(self.minimum, bool) or self.minimum < 1:
            raise StatuteError(f"every member body keeps at least one seat; minimum {self.minimum}")
        if isinstance(self.seats, bool) or self.seats < 1:
            raise StatuteError(f"an apportioned council needs at least one seat: {self.seats}")


SeatScheme = OneDelegatePerBody | ApportionedSeats


@dataclass(frozen=True)
class Statute:
    """The rules a body gave itself; every field is checked when the statute is made or amended."""

    # Deciding (MODEL 4).
    quorum: Fraction = Fraction(0)  # share of the electorate that must take part
    threshold: Threshold = field(default_factory=Threshold)
    consent_matters: frozenset[str] = frozenset()  # matters the body may decide by consent
    competences: frozenset[str] = frozenset()  # matters its member bodies delegated to it
    ballots_changeable_until_close: bool = True
    reopening_petition: PetitionThreshold = field(
        default_factory=lambda: PetitionThreshold(Fraction(1, 10))
    )
    reopening_after_days: int = 90  # the minimum period before a decision can be reopened
    motion_supporters: int = 0  # supporters a motion needs, besides its proposer, to be put
    # Members (MODEL 1): besides the body's own vote, its elected membership officer may admit.
    officer_admits_members: bool = False
    # Electing and representing (MODEL 2).
    single_seat_method: str = "irv"
    multi_seat_method: str = "stv-scottish"
    seat_scheme: SeatScheme = field(default_factory=OneDelegatePerBody)
    member_counting: MemberCounting = "per-path"  # how a council's weight counts a member
    max_term_days: int = 365
    rotation_limit: int | None = None  # most consecutive terms in one seat or office
    election_notice_days: int = 30  # an election is due this long before the terms end
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

    def __post_init__(self) -> None:
        _check_share("the quorum", self.quorum, allow_zero=True)
        if not isinstance(self.threshold, Threshold):
            raise StatuteError(f"the threshold must be a Threshold, not {self.threshold!r}")
        _check_share("the threshold", self.threshold.share)
        for name in ("consent_matters", "competences"):
            matters = getattr(self, name)
            if not isinstance(matters, frozenset) or not all(
                isinstance(m, str) and m for m in matters
            ):
                raise StatuteError(f"{name} must be a frozenset of named matters: {matters!r}")
        if self.single_seat_method not in SINGLE_SEAT_METHODS:
            known = ", ".join(sorted(SINGLE_SEAT_METHODS))
            raise StatuteError(
                f"unknown method {self.single_seat_method!r} for one seat; use one of {known}"
            )
        if self.multi_seat_method not in MULTI_SEAT_METHODS:
            known = ", ".join(sorted(MULTI_SEAT_METHODS))
            raise StatuteError(
                f"method {self.multi_seat_method!r} cannot fill several seats; use one of {known}"
            )
        if not isinstance(self.seat_scheme, OneDelegatePerBody | ApportionedSeats):
            raise StatuteError(f"unknown seat scheme {self.seat_scheme!r}")
        if self.member_counting not in ("per-path", "once"):
            raise StatuteError(
                f"a member counts 'per-path' or 'once' in a council, not {self.member_counting!r}"
            )
        _check_days("the longest term", self.max_term_days, minimum=1)
        if self.rotation_limit is not None and (
            isinstance(self.rotation_limit, bool)
            or not isinstance(self.rotation_limit, int)
            or self.rotation_limit < 1
        ):
            raise StatuteError(
                f"the rotation limit must be at least one term, or None: {self.rotation_limit!r}"
            )
        _check_days("the notice before an election", self.election_notice_days, minimum=0)
        if not isinstance(self.officers_need_two_factor, bool):
            raise StatuteError(
                "whether officers need a second factor is true or false, not "
                f"{self.officers_need_two_factor!r}"
            )
        _check_days("the mandate deadline", self.mandate_deadline_days, minimum=0)
        _check_days("the ratification period", self.ratification_days, minimum=1)
        _check_days("the period before reopening", self.reopening_after_days, minimum=0)
        if (
            isinstance(self.motion_supporters, bool)
            or not isinstance(self.motion_supporters, int)
            or self.motion_supporters < 0
        ):
            raise StatuteError(
                "a motion's supporters must be a whole number, 0 or more: "
                f"{self.motion_supporters!r}"
            )

    def amended(self, **changes: object) -> Statute:
        """Return a copy with `changes`, validated like a new statute."""
        names = {f.name for f in dataclasses.fields(self)}
        unknown = sorted(set(changes) - names)
        if unknown:
            raise StatuteError(f"a statute has no rule called {', '.join(unknown)}")
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]  # fields checked above

    def election_method(self, seats: int) -> str:
        """Return the counting rule that fills `seats` seats."""
        if seats < 1:
            raise StatuteError(f"an election fills at least one seat, not {seats}")
        return self.single_seat_method if seats == 1 else self.multi_seat_method

    def has_competence(self, matter: str) -> bool:
        """Tell whether the member bodies delegated `matter` to this body."""
        return matter in self.competences

    def allows_consent(self, matter: str) -> bool:
        """Tell whether the body may decide `matter` by consent rather than by majority."""
        return matter in self.consent_matters
