"""Mandates: how a member body's own decision becomes its delegation's vote at a council.

Implements MODEL.md section 3 (mandates, derived delegation votes, ratification) and the
competences of section 4. A body decides its mandate on an item by its own process; at the
session the system derives the delegation's vote from it:

* bound: the delegation's whole vote for the option the body decided;
* proportional: the delegation's votes split in the shares the body voted, by largest remainder
  (a section of 300 that voted 60/40 casts 180 and 120);
* free: the delegates cast themselves;
* none (or no mandate at all on an item sent down): absent, never consent.

Mandates recurse as data: a council's mandate at a higher council is `mandate_from_session`, made
from its own session's tally of its member bodies' delegation votes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from types import MappingProxyType
from typing import Literal

from frombelow.core.counting.result import Result
from frombelow.core.decisions import MOTION_OPTIONS, NO, YES, decide
from frombelow.core.errors import MandateError, UnknownBodyError
from frombelow.core.federation import WeightSnapshot
from frombelow.core.representation import Delegation
from frombelow.core.statutes import Statute

MemberId = int
MandateKind = Literal["bound", "proportional", "free", "none"]
MANDATE_KINDS: frozenset[str] = frozenset({"bound", "proportional", "free", "none"})


@dataclass(frozen=True)
class Item:
    """An item on a council session's agenda, and the matter it concerns."""

    id: str
    matter: str  # weighed against the council's competences
    options: tuple[str, ...] = MOTION_OPTIONS
    # False: it arose at the session (an amendment, a new motion), so no mandate covers it.
    sent_down: bool = True

    def __post_init__(self) -> None:
        if len(self.options) < 2 or len(set(self.options)) != len(self.options):
            raise MandateError("item %(item)r needs two or more distinct options", item=self.id)


def _frozen_votes(votes: Mapping[str, int], body: str, item: str) -> Mapping[str, int]:
    for option, count in votes.items():
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise MandateError(
                "%(body)r's mandate on %(item)r: votes for %(option)r must be a whole number >= 0",
                body=body,
                item=item,
                option=option,
            )
    return MappingProxyType(dict(votes))


@dataclass(frozen=True)
class Mandate:
    """A member body's mandate on an item: its kind, and the body's own vote that it carries.

    `option` is what the body decided (bound); `votes` its vote by option (proportional; kept for
    the record under bound too). Free and none carry no vote.
    """

    body: str
    item: str
    kind: MandateKind
    option: str | None = None
    votes: Mapping[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        body, item = self.body, self.item
        if self.kind not in MANDATE_KINDS:
            raise MandateError(
                "%(body)r's mandate on %(item)r is bound, proportional, free or none, not %(kind)r",
                body=body,
                item=item,
                kind=self.kind,
            )
        object.__setattr__(self, "votes", _frozen_votes(self.votes, body, item))
        if self.kind == "bound" and self.option is None:
            raise MandateError(
                "%(body)r's mandate on %(item)r is bound, so it names the option the body decided",
                body=body,
                item=item,
            )
        # One template per kind, so that the kind's name is translated with the sentence.
        if self.kind != "bound" and self.option is not None:
            if self.kind == "proportional":
                raise MandateError(
                    "%(body)r's mandate on %(item)r is proportional; only a bound mandate names "
                    "an option",
                    body=body,
                    item=item,
                )
            if self.kind == "free":
                raise MandateError(
                    "%(body)r's mandate on %(item)r is free; only a bound mandate names an option",
                    body=body,
                    item=item,
                )
            raise MandateError(
                "%(body)r's mandate on %(item)r is none; only a bound mandate names an option",
                body=body,
                item=item,
            )
        if self.kind == "proportional" and sum(self.votes.values()) == 0:
            raise MandateError(
                "%(body)r's mandate on %(item)r is proportional, but the body cast no votes to "
                "split",
                body=body,
                item=item,
            )
        if self.kind == "free" and self.votes:
            raise MandateError(
                "%(body)r's mandate on %(item)r is free; it carries no vote of the body",
                body=body,
                item=item,
            )
        if self.kind == "none" and self.votes:
            raise MandateError(
                "%(body)r's mandate on %(item)r is none; it carries no vote of the body",
                body=body,
                item=item,
            )


def mandate_from_vote(
    body: str,
    item: Item,
    kind: MandateKind,
    votes: Mapping[str, int],
    *,
    statute: Statute,
    electorate: int,
) -> Mandate:
    """Make a body's mandate from its own vote on the item, decided under its own statute.

    For a yes / no item the bound option is the outcome of the body's vote ("yes" if carried,
    "no" if lost); an inquorate vote decided nothing, so the mandate is none. For other options
    the bound option is the one with the most votes, and a tie for the most decides nothing.
    """
    if kind in ("free", "none"):
        return Mandate(body, item.id, kind)
    unknown = sorted(set(votes) - set(item.options))
    if unknown:
        raise MandateError(
            "%(body)r voted on %(options)s, not an option of %(item)r",
            body=body,
            options=", ".join(unknown),
            item=item.id,
        )
    if set(item.options) == set(MOTION_OPTIONS):
        outcome = decide(
            votes, electorate=electorate, quorum=statute.quorum, threshold=statute.threshold
        ).outcome
        if outcome == "inquorate":
            return Mandate(body, item.id, "none")
        option = YES if outcome == "carried" else NO
    else:
        most = max(votes.values(), default=0)
        leaders = [o for o in item.options if votes.get(o, 0) == most]
        if most == 0 or len(leaders) > 1:
            return Mandate(body, item.id, "none")
        option = leaders[0]
    if kind == "bound":
        return Mandate(body, item.id, "bound", option, votes)
    return Mandate(body, item.id, kind, None, votes)


def split_proportionally(
    total: int, votes: Mapping[str, int], options: Sequence[str]
) -> dict[str, int]:
    """Split `total` in the shares of `votes` by largest remainder, summing exactly to `total`.

    Each option first gets the whole part of its exact share; the votes left go one each to the
    largest remainders. Equal remainders go first to the option with more of the body's votes,
    then to the one listed first among the item's options: a stated rule, no lot.
    """
    whole = sum(votes.get(o, 0) for o in options)
    if whole <= 0:
        raise MandateError("there are no votes to split proportionally")
    if total < 0:
        raise MandateError("cannot split a negative number of votes: %(total)s", total=total)
    share = {o: divmod(total * votes.get(o, 0), whole) for o in options}
    split = {o: share[o][0] for o in options}
    left = total - sum(split.values())
    ranked = sorted(
        range(len(options)),
        key=lambda i: (-share[options[i]][1], -votes.get(options[i], 0), i),
    )
    for i in ranked[:left]:
        split[options[i]] += 1
    return split


@dataclass(frozen=True)
class Cast:
    """A delegate's own vote on an item: only on free items and on what arose at the session."""

    delegate: MemberId
    body: str
    item: str
    option: str


@dataclass(frozen=True)
class DelegationVote:
    """A delegation's vote on an item, and how it was derived (visible to the bodies it
    represents)."""

    body: str
    item: str
    votes: Mapping[str, int]
    derivation: str


def may_cast(item: Item, mandate: Mandate | None) -> bool:
    """Tell whether a delegation's delegates cast on the item themselves: a free mandate, or what
    arose at the session; bound and proportional votes are derived, and none is absent."""
    return not item.sent_down or (mandate is not None and mandate.kind == "free")


def check_cast(item: Item, delegation: Delegation, mandate: Mandate | None, cast: Cast) -> None:
    """Refuse a delegate's cast that the mandate does not leave to them."""
    delegate, body = cast.delegate, cast.body
    if cast.body != delegation.body or cast.item != item.id:
        raise MandateError(
            "delegate %(delegate)s of %(body)r cast on %(item)r through another body's delegation",
            delegate=delegate,
            body=body,
            item=cast.item,
        )
    if cast.delegate not in delegation.delegates:
        raise MandateError(
            "member %(delegate)s holds no seat in %(body)r's delegation",
            delegate=delegate,
            body=body,
        )
    if cast.option not in item.options:
        raise MandateError(
            "delegate %(delegate)s of %(body)r: %(option)r is not an option of %(item)r",
            delegate=delegate,
            body=body,
            option=cast.option,
            item=item.id,
        )
    if not item.sent_down:
        return  # what arose at the session: delegates cast, and the decision is provisional
    kind = "none" if mandate is None else mandate.kind
    if mandate is not None and mandate.kind == "bound":
        if cast.option != mandate.option:
            raise MandateError(
                "delegate %(delegate)s of %(body)r cannot cast %(option)r on %(item)r: the "
                "body's bound mandate is %(mandate)r; a delegate cannot cast against a binding "
                "mandate, the delegation's vote is derived from it",
                delegate=delegate,
                body=body,
                option=cast.option,
                item=item.id,
                mandate=mandate.option,
            )
        raise MandateError(
            "delegate %(delegate)s of %(body)r cannot cast %(option)r on %(item)r: the body's "
            "bound mandate is %(mandate)r; a delegate cannot cast on a binding mandate, the "
            "delegation's vote is derived from it",
            delegate=delegate,
            body=body,
            option=cast.option,
            item=item.id,
            mandate=mandate.option,
        )
    if kind == "proportional":
        raise MandateError(
            "delegate %(delegate)s of %(body)r cannot cast on %(item)r: the body's proportional "
            "mandate decides the delegation's vote",
            delegate=delegate,
            body=body,
            item=item.id,
        )
    if kind == "none":
        raise MandateError(
            "delegate %(delegate)s of %(body)r cannot cast on %(item)r: the body gave no mandate "
            "in time, so its delegation is absent, never consenting",
            delegate=delegate,
            body=body,
            item=item.id,
        )


def derive_delegation_vote(
    item: Item, delegation: Delegation, mandate: Mandate | None, casts: Sequence[Cast] = ()
) -> DelegationVote | None:
    """Derive a delegation's vote on an item from its mandate (or its delegates' casts); None
    when it is absent."""
    if mandate is not None and (mandate.body, mandate.item) != (delegation.body, item.id):
        raise MandateError(
            "the mandate of %(mandate_body)r on %(mandate_item)r is not %(body)r's on %(item)r",
            mandate_body=mandate.body,
            mandate_item=mandate.item,
            body=delegation.body,
            item=item.id,
        )
    for cast in casts:
        check_cast(item, delegation, mandate, cast)
    twice = [d for d, n in Counter(c.delegate for c in casts).items() if n > 1]
    if twice:
        raise MandateError(
            "delegate %(delegate)s cast twice on %(item)r", delegate=twice[0], item=item.id
        )
    body, votes = delegation.body, delegation.votes
    if item.sent_down and mandate is not None and mandate.kind == "bound":
        assert mandate.option is not None  # checked by Mandate
        if mandate.option not in item.options:
            raise MandateError(
                "%(body)r is bound to %(option)r, not an option", body=body, option=mandate.option
            )
        return DelegationVote(
            body,
            item.id,
            MappingProxyType({mandate.option: votes}),
            f"bound: all {votes} votes for {mandate.option!r}, as {body!r} decided",
        )
    if item.sent_down and mandate is not None and mandate.kind == "proportional":
        split = split_proportionally(votes, mandate.votes, item.options)
        shares = ", ".join(f"{mandate.votes.get(o, 0)} {o}" for o in item.options)
        result = ", ".join(f"{split[o]} {o}" for o in item.options)
        return DelegationVote(
            body,
            item.id,
            MappingProxyType(split),
            f"proportional: {votes} votes split as {body!r} voted ({shares}): {result}, by "
            "largest remainder",
        )
    if not casts:
        return None  # none, or free with no delegate casting: absent
    tally = Counter(dict.fromkeys(item.options, 0))
    for cast in casts:
        tally[cast.option] += delegation.votes_per_seat
    how = "free" if item.sent_down else "arose at the session"
    who = ", ".join(f"{c.delegate}: {c.option!r}" for c in sorted(casts, key=lambda c: c.delegate))
    return DelegationVote(
        body,
        item.id,
        MappingProxyType(dict(tally)),
        f"{how}: cast by its delegates ({who}), {delegation.votes_per_seat} votes each",
    )


@dataclass(frozen=True)
class ItemTally:
    """The votes on an item at a council session: totals, each delegation's, who was absent."""

    council: str
    item: Item
    totals: Mapping[str, int]
    delegation_votes: tuple[DelegationVote, ...]
    absent: tuple[str, ...]  # member bodies whose delegation cast nothing
    electorate: int  # the votes of all delegations, present or not
    provisional: tuple[str, ...]  # why the decision needs ratification; empty when binding


def tally_item(
    council: str,
    item: Item,
    statute: Statute,
    delegations: Sequence[Delegation],
    mandates: Mapping[str, Mandate],
    casts: Iterable[Cast] = (),
) -> ItemTally:
    """Tally an item at a session from every delegation's derived vote and the free casts."""
    seated = {d.body for d in delegations}
    for d in delegations:
        if d.council != council:
            raise MandateError(
                "%(body)r's delegation sits in %(seat)r, not %(council)r",
                body=d.body,
                seat=d.council,
                council=council,
            )
    by_body: dict[str, list[Cast]] = {}
    for cast in casts:
        if cast.body not in seated:
            raise UnknownBodyError(
                "%(body)r has no delegation in %(council)r", body=cast.body, council=council
            )
        by_body.setdefault(cast.body, []).append(cast)
    stray = sorted(set(mandates) - seated)
    if stray:
        raise UnknownBodyError(
            "%(body)r has no delegation in %(council)r to mandate", body=stray[0], council=council
        )
    totals = dict.fromkeys(item.options, 0)
    votes: list[DelegationVote] = []
    absent: list[str] = []
    for delegation in delegations:
        vote = derive_delegation_vote(
            item, delegation, mandates.get(delegation.body), by_body.get(delegation.body, ())
        )
        if vote is None:
            absent.append(delegation.body)
            continue
        votes.append(vote)
        for option, count in vote.votes.items():
            totals[option] += count
    reasons: list[str] = []
    if not item.sent_down:
        reasons.append("no mandate covered it: it arose at the session")
    if not statute.has_competence(item.matter):
        reasons.append(
            f"{item.matter!r} is outside the competences {council!r}'s member bodies delegated"
        )
    return ItemTally(
        council,
        item,
        MappingProxyType(totals),
        tuple(votes),
        tuple(absent),
        sum(d.votes for d in delegations),
        tuple(reasons),
    )


@dataclass(frozen=True)
class SessionDecision:
    """A council's decision on a yes / no item: the count, and whether it binds or awaits
    ratification."""

    council: str
    item: str
    result: Result  # the majority rule's count: outcome, figures, why
    decided_at: datetime
    provisional: tuple[str, ...]

    @property
    def outcome(self) -> str:
        """Return "carried", "lost" or "inquorate"."""
        return self.result.outcome

    @property
    def is_binding(self) -> bool:
        """Tell whether the decision binds now, without ratification by member bodies."""
        return not self.provisional


def decide_item(tally: ItemTally, statute: Statute, decided_at: datetime) -> SessionDecision:
    """Decide a yes / no item from its tally under the council's quorum and threshold."""
    if set(tally.item.options) != set(MOTION_OPTIONS):
        raise MandateError(
            "item %(item)r is not a yes / no motion; count its options with the statute's "
            "election method",
            item=tally.item.id,
        )
    result = decide(
        tally.totals,
        electorate=tally.electorate,
        quorum=statute.quorum,
        threshold=statute.threshold,
    )
    return SessionDecision(tally.council, tally.item.id, result, decided_at, tally.provisional)


def mandate_from_session(
    council: str, item: Item, kind: MandateKind, tally: ItemTally, decision: SessionDecision
) -> Mandate:
    """Make a council's mandate on an item above from its own session on it: the recursion."""
    if (decision.council, decision.item) != (tally.council, tally.item.id) or council != (
        tally.council
    ):
        raise MandateError(
            "the session of %(session_council)r is not %(council)r's on this item",
            session_council=tally.council,
            council=council,
        )
    if kind in ("free", "none"):
        return Mandate(council, item.id, kind)
    if decision.outcome == "inquorate" or not any(tally.totals.values()):
        return Mandate(council, item.id, "none")
    votes = {o: tally.totals.get(o, 0) for o in item.options}
    if kind == "bound":
        return Mandate(
            council, item.id, "bound", YES if decision.outcome == "carried" else NO, votes
        )
    return Mandate(council, item.id, "proportional", None, votes)


@dataclass(frozen=True)
class Ratification:
    """A member body's own decision to ratify, or reject, a provisional decision."""

    body: str
    ratifies: bool
    at: datetime


@dataclass(frozen=True)
class RatificationState:
    """Where a provisional decision stands: pending, ratified, rejected, or lapsed."""

    state: Literal["pending", "ratified", "rejected", "lapsed"]
    deadline: datetime
    ratified_by: tuple[str, ...]
    rejected_by: tuple[str, ...]
    bodies: int  # member bodies
    weight: int  # their whole weight


def ratification_state(
    decision: SessionDecision,
    statute: Statute,
    member_bodies: Sequence[str],
    snapshot: WeightSnapshot,
    ratifications: Iterable[Ratification],
    now: datetime,
) -> RatificationState:
    """Derive from dates and the member bodies' decisions whether a provisional decision stands.

    Ratified once the statute's majority of all member bodies (by number, weight, or both)
    ratified within the period; rejected once that can no longer happen; lapsed when the period
    ends without it. Silence is never ratification.
    """
    deadline = decision.decided_at + timedelta(days=statute.ratification_days)
    weights = {body: snapshot.weight(body) for body in member_bodies}
    answered: dict[str, bool] = {}
    for r in ratifications:
        if r.body not in weights:
            raise UnknownBodyError(
                "%(body)r is not a member body of %(council)r",
                body=r.body,
                council=decision.council,
            )
        if r.body in answered:
            raise MandateError(
                "%(body)r already answered on %(item)r", body=r.body, item=decision.item
            )
        if r.at < decision.decided_at:
            raise MandateError("%(body)r answered before the decision was taken", body=r.body)
        if r.at <= min(now, deadline):
            answered[r.body] = r.ratifies
    yes = sorted(b for b, ratifies in answered.items() if ratifies)
    no = sorted(b for b, ratifies in answered.items() if not ratifies)
    whole = sum(weights.values())
    majority = statute.ratification_majority

    def is_met(bodies: Sequence[str]) -> bool:
        by_number = majority.is_met(len(bodies), len(weights))
        by_weight = majority.is_met(sum(weights[b] for b in bodies), whole)
        if majority.by == "number":
            return by_number
        if majority.by == "weight":
            return by_weight
        return by_number and by_weight

    if not decision.provisional:
        raise MandateError(
            "the decision on %(item)r binds already; it needs no ratifying", item=decision.item
        )
    # One template per outcome, so that the outcome's word is translated with the sentence.
    if decision.outcome == "lost":
        raise MandateError(
            "the decision on %(item)r was lost; there is nothing to ratify", item=decision.item
        )
    if decision.outcome != "carried":  # the only other outcome of a yes / no count
        raise MandateError(
            "the decision on %(item)r was inquorate; there is nothing to ratify",
            item=decision.item,
        )
    state: Literal["pending", "ratified", "rejected", "lapsed"]
    if is_met(yes):
        state = "ratified"
    elif not is_met([b for b in weights if b not in no]):
        state = (
            "rejected"  # even if every body yet to answer ratified, the majority is out of reach
        )
    elif now > deadline:
        state = "lapsed"
    else:
        state = "pending"
    return RatificationState(state, deadline, tuple(yes), tuple(no), len(weights), whole)
