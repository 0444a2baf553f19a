"""Petitions from below: recall, referendum and reopening, each opening once its threshold is met.

Implements MODEL.md sections 4 (reopening a decision by a petition of the statute's share of
members after its minimum period), 5 (a referendum called from below by a petition of the
statute's share of members or of member bodies: once the threshold is met the referendum opens,
and the council cannot block it) and 6 (a recall vote opens on a petition of the statute's
threshold, e.g. 10% or 5 members, whichever is smaller).

Whether a petition opens is a function of its signatures, the roll and the statute alone: no
argument takes anyone's approval, so no one can withhold it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Generic, Literal, TypeVar

from frombelow.core.errors import PetitionError
from frombelow.core.statutes import PetitionThreshold, Statute

MemberId = int
PetitionKind = Literal["recall", "referendum", "reopening"]
Signer = TypeVar("Signer", int, str)  # a member (by id) or, for a referendum, a member body


@dataclass(frozen=True)
class Signatures(Generic[Signer]):
    """A petition's signatures: each signer signs once, and only those entitled sign."""

    petition: str
    signers: frozenset[Signer] = frozenset()

    def sign(self, signer: Signer, entitled: Collection[Signer]) -> Signatures[Signer]:
        """Return the signatures with `signer`'s added, refusing a second or an unentitled one."""
        if signer in self.signers:
            raise _already_signed(signer, self.petition)
        if signer not in entitled:
            raise _not_entitled(signer, self.petition)
        return Signatures(self.petition, self.signers | {signer})

    @classmethod
    def collect(
        cls, petition: str, signers: Iterable[Signer], entitled: Collection[Signer]
    ) -> Signatures[Signer]:
        """Gather signatures in the order given, refusing any signer who signs twice."""
        seen: set[Signer] = set()
        for signer in signers:
            if signer in seen:
                raise _already_signed(signer, petition)
            if signer not in entitled:
                raise _not_entitled(signer, petition)
            seen.add(signer)
        return cls(petition, frozenset(seen))

    def count(self, entitled: Collection[Signer]) -> int:
        """Count the signatures of those still entitled (a member who left no longer counts)."""
        return sum(1 for signer in self.signers if signer in entitled)


# A member signs by id, a member body by name: each its own sentence, to be translated whole.
def _already_signed(signer: int | str, petition: str) -> PetitionError:
    if isinstance(signer, int):
        return PetitionError(
            "member %(signer)s has already signed petition %(petition)r",
            signer=signer,
            petition=petition,
        )
    return PetitionError(
        "body %(signer)r has already signed petition %(petition)r", signer=signer, petition=petition
    )


def _not_entitled(signer: int | str, petition: str) -> PetitionError:
    if isinstance(signer, int):
        return PetitionError(
            "member %(signer)s is not entitled to sign petition %(petition)r",
            signer=signer,
            petition=petition,
        )
    return PetitionError(
        "body %(signer)r is not entitled to sign petition %(petition)r",
        signer=signer,
        petition=petition,
    )


@dataclass(frozen=True)
class PetitionState:
    """How far a petition has come: its signatures against what it needs, and whether it opens."""

    kind: PetitionKind
    signatures: int
    required: int
    opens: bool
    reason: str


def has_reached_threshold(
    signatures: Signatures[Signer], threshold: PetitionThreshold, entitled: Collection[Signer]
) -> bool:
    """Tell whether the signatures of those entitled reach the threshold."""
    return signatures.count(entitled) >= threshold.required(len(entitled))


def _state(
    kind: PetitionKind,
    signatures: Signatures[Signer],
    threshold: PetitionThreshold,
    entitled: Collection[Signer],
    what: str,
) -> PetitionState:
    signed = signatures.count(entitled)
    required = threshold.required(len(entitled))
    opens = signed >= required
    verb = "opens" if opens else "does not open yet"
    reason = f"{signed} of {len(entitled)} {what} signed, {required} needed: the {kind} {verb}"
    return PetitionState(kind, signed, required, opens, reason)


def recall_petition(
    statute: Statute, signatures: Signatures[MemberId], members: Collection[MemberId]
) -> PetitionState:
    """Tell whether a recall petition of the body's members opens the recall vote."""
    return _state("recall", signatures, statute.recall_petition, members, "members")


def referendum_petition(
    statute: Statute,
    *,
    members: Collection[MemberId],
    member_signatures: Signatures[MemberId],
    member_bodies: Collection[str],
    body_signatures: Signatures[str],
) -> PetitionState:
    """Tell whether a referendum petition opens the referendum: by members or by member bodies.

    `members` are those of every assembly under the council; `member_bodies` its own member
    bodies, each signing by its own decision. Either threshold opens the referendum at once.
    """
    by_members = _state(
        "referendum", member_signatures, statute.referendum_petition_members, members, "members"
    )
    by_bodies = _state(
        "referendum", body_signatures, statute.referendum_petition_bodies, member_bodies, "bodies"
    )
    if by_members.opens:
        return by_members
    if by_bodies.opens:
        return by_bodies
    return _both(by_members, by_bodies)


def _both(by_members: PetitionState, by_bodies: PetitionState) -> PetitionState:
    """Report a petition that opened by neither road, naming both."""
    reason = f"by members, {by_members.reason}; by member bodies, {by_bodies.reason}"
    return PetitionState("referendum", by_members.signatures, by_members.required, False, reason)


def reopening_petition(
    statute: Statute,
    signatures: Signatures[MemberId],
    members: Collection[MemberId],
    *,
    decided_at: datetime,
    now: datetime,
) -> PetitionState:
    """Tell whether a petition puts a decision back on the agenda: after the minimum period."""
    state = _state("reopening", signatures, statute.reopening_petition, members, "members")
    reopenable = decided_at + timedelta(days=statute.reopening_after_days)
    if now < reopenable:
        return PetitionState(
            "reopening",
            state.signatures,
            state.required,
            False,
            f"the decision can be reopened from {reopenable}, after the statute's minimum "
            f"period of {statute.reopening_after_days} days; {state.reason}",
        )
    return state
