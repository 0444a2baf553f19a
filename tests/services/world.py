"""A small federation built only through the services, as the tests and scenarios need it.

Time is the test clock's (see conftest): a helper that waits for a vote to close moves it on.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from frombelow.core.statutes import Statute
from frombelow.db.models import Body, Decision, Election, Item, Member, Motion, Session, Term, Vote
from frombelow.services import bodies, deciding, elections, motions, sessions, votes
from frombelow.services.queries.bodies import statute_of
from frombelow.services.standing import DELEGATE, SECRETARY, held_terms, terms_held
from frombelow.services.two_factor_rule import proving


@dataclass
class Clock:
    """The services' clock in a test: it moves only when the test moves it."""

    now: datetime = field(default_factory=timezone.now)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


def person(name: str) -> Member:
    return bodies.register_member(actor="system", name=name)


def people(prefix: str, n: int) -> list[Member]:
    return [person(f"{prefix} {i}") for i in range(1, n + 1)]


def assembly(slug: str, founders: Sequence[Member], statute: Statute | None = None) -> Body:
    return bodies.found_assembly(
        actor=founders[0],
        name=slug.replace("-", " ").title(),
        slug=slug,
        founders=founders,
        statute=statute or Statute(),
    )


def propose(body: Body, proposer: Member, title: str = "A motion", **kwargs: Any) -> Motion:
    motion = motions.propose_motion(
        actor=proposer, body=body, title=title, text=kwargs.pop("text", title), **kwargs
    )
    return motions.submit_motion(actor=proposer, motion=motion)


def open_at_once(
    motion: Motion, *, closes_at: datetime, ballot_kind: str = Vote.BallotKind.OPEN
) -> Vote:
    """Open the vote on a submitted motion now, as the system: the world's shortcut.

    In a body, its elected secretary puts a motion to the vote once the statute's notice has
    passed, or it opens by itself at the statute's deadline (tests/services/test_votes.py and
    test_deciding.py).
    The world's tests are about what comes after, so their time runs without waiting for either,
    as a recall petition's vote opens at once (`petitions`).
    """
    with transaction.atomic():
        locked = Motion.objects.select_for_update().get(pk=motion.pk)
        return votes.put_to_vote(
            actor="system",
            motion=locked,
            amendment=None,
            ballot_kind=ballot_kind,
            mode=Vote.Mode.ONLINE,
            closes_at=closes_at,
        )


def vote_in(
    clock: Clock,
    motion: Motion,
    ballots: Mapping[Member, str],
    *,
    ballot_kind: str = Vote.BallotKind.OPEN,
    opener: Member | None = None,
) -> Decision:
    """Put an assembly's motion to an online vote, cast `ballots`, and count it at its close.

    With `opener`, the body's elected secretary puts it to the vote once the statute's notice
    has passed (the clock moves on to it); without, it opens at once (`open_at_once`).
    """
    closes_at = clock.now + timedelta(days=7)
    if opener is None:
        vote = open_at_once(motion, closes_at=closes_at, ballot_kind=ballot_kind)
    else:
        clock.now = max(
            clock.now, motions.notice_ends(statute_of(motion.body), motions.debated_since(motion))
        )
        vote = votes.open_vote(
            actor=opener,
            motion=motion,
            ballot_kind=ballot_kind,
            closes_at=clock.now + timedelta(days=7),
        )
    for voter, choice in ballots.items():
        votes.cast_ballot(actor=voter, vote=vote, ranking=[[choice]])
    clock.advance(days=7)
    return deciding.close_vote(actor="system", vote=vote)


def decide(
    clock: Clock, body: Body, proposer: Member, ballots: Mapping[Member, str], **kwargs: Any
) -> Decision:
    """Propose, submit and vote a motion in an assembly; return its decision."""
    return vote_in(clock, propose(body, proposer, **kwargs), ballots)


def all_yes(members: Iterable[Member]) -> dict[Member, str]:
    return dict.fromkeys(members, "yes")


def elect(
    clock: Clock,
    body: Body,
    office: str,
    candidates: Sequence[Member],
    rankings: Sequence[tuple[Member, Sequence[Member]]],
    *,
    council: Body | None = None,
    caller: Member | None = None,
) -> tuple[Election, Decision]:
    """Elect in an assembly: call, stand, open, cast rankings, count."""
    caller = caller or candidates[0]
    election = elections.call_election(actor=caller, body=body, office=office, council=council)
    for candidate in candidates:
        elections.stand(actor=candidate, election=election)
    vote = elections.open_election(
        actor=caller, election=election, closes_at=clock.now + timedelta(days=3)
    )
    for voter, ranking in rankings:
        votes.cast_ballot(
            actor=voter,
            vote=vote,
            ranking=[[elections.candidate_label(m)] for m in ranking],
        )
    clock.advance(days=3)
    return election, deciding.close_vote(actor="system", vote=vote)


def elect_one(
    clock: Clock,
    body: Body,
    office: str,
    who: Member,
    voters: Sequence[Member],
    council: Body | None = None,
) -> Term:
    """Elect `who`, standing alone, to the office (a delegate if `council` is given)."""
    _, decision = elect(
        clock, body, office, [who], [(v, [who]) for v in voters], council=council, caller=who
    )
    assert decision.winners == [elections.candidate_label(who)]
    return Term.objects.get(election__vote__decision=decision, holder=who)


def elect_secretary(
    clock: Clock, council: Body, who: Member, factors: Mapping[int, int] | None = None
) -> Term:
    """Elect `who` the council's secretary at a session its delegates call for it.

    While a council has no secretary, its seated delegates may meet to elect one: the first
    delegate schedules a session starting now and opens it, the election is put to it, every
    delegation casts for `who`, it is decided, and the new secretary closes the session.
    `factors`: the second factor each acts with (member id to factor id), where the council's
    statute asks officers and delegates for one.
    """
    seated = list(
        Term.objects.filter(terms_held(clock.now), office=DELEGATE, council=council)
        .select_related("holder", "body")
        .order_by("pk")
    )
    chair = seated[0].holder

    def by(member: Member) -> AbstractContextManager[None]:
        return proving((factors or {}).get(member.pk))

    with by(chair):
        session = sessions.schedule_session(
            actor=chair, council=council, title="To elect our secretary", starts_at=clock.now
        )
        sessions.open_session(actor=chair, session=session)
        election = elections.call_election(actor=chair, body=council, office=SECRETARY)
    elections.stand(actor=who, election=election)
    with by(chair):
        vote = elections.open_election(
            actor=chair,
            election=election,
            session=session,
            closes_at=clock.now + timedelta(days=1),
        )
    for delegate in dict.fromkeys(t.holder for t in seated):
        with by(delegate):
            sessions.cast_for_delegation(
                actor=delegate, vote=vote, ranking=[[elections.candidate_label(who)]]
            )
    with by(chair):
        deciding.close_session_vote(actor=chair, vote=vote)
    with by(who):
        sessions.close_session(actor=who, session=session)  # now the secretary's act
    return Term.objects.get(body=council, office=SECRETARY, election=election, holder=who)


def ensure_secretary(
    clock: Clock, council: Body, who: Member, factors: Mapping[int, int] | None = None
) -> None:
    """Make `who` the council's secretary, by an election, unless a secretary is in office."""
    if not held_terms(council, SECRETARY, clock.now).exists():
        elect_secretary(clock, council, who, factors)


def council_session(
    clock: Clock,
    council: Body,
    delegate: Member,
    motions_: Sequence[Motion],
    *,
    days_ahead: int = 20,
    factors: Mapping[int, int] | None = None,
) -> tuple[Session, list[Item]]:
    """Schedule a session of the council with these motions, and send the agenda down.

    `delegate` acts as the council's secretary: elected first where it has none (`factors`: see
    `elect_secretary`).
    """
    ensure_secretary(clock, council, delegate, factors)
    session = sessions.schedule_session(
        actor=delegate,
        council=council,
        title=f"Session of {council.name}",
        starts_at=clock.now + timedelta(days=days_ahead),
    )
    items = [sessions.add_item(actor=delegate, session=session, motion=m) for m in motions_]
    sessions.send_agenda(actor=delegate, session=session)
    return session, items


def mandate(
    clock: Clock,
    body: Body,
    proposer: Member,
    item: Item,
    kind: str,
    ballots: Mapping[Member, str],
) -> Decision:
    """Let an assembly decide its mandate on a council's item by its own vote."""
    return decide(
        clock,
        body,
        proposer,
        ballots,
        title=f"Our mandate on {item.motion.title}",
        kind=Motion.Kind.DECIDE_MANDATE,
        details={"mandate": kind},
        council_item=item,
    )


@dataclass
class Federation:
    """Two assemblies of three members each, a council they founded, and their delegates."""

    council: Body
    assemblies: dict[str, Body]
    members: dict[str, list[Member]]
    delegates: dict[str, Member]


def found_council(
    clock: Clock,
    slug: str,
    founders: Sequence[tuple[Body, Sequence[Member]]],
    statute: Statute | None = None,
) -> Body:
    """Let each founding assembly decide to found the council, then found it."""
    from frombelow.db.mapping import statute_json

    statute = statute or Statute()
    founding = [
        decide(
            clock,
            body,
            members[0],
            all_yes(members),
            title=f"Found {slug}",
            kind=Motion.Kind.FOUND_COUNCIL,
            details={"slug": slug, "statute": statute_json(statute)},
        )
        for body, members in founders
    ]
    return bodies.found_council(
        actor=founders[0][1][0],
        name=slug.replace("-", " ").title(),
        slug=slug,
        decisions=founding,
        statute=statute,
    )


def federation(
    clock: Clock,
    statute: Statute | None = None,
    sizes: Mapping[str, int] | None = None,
    council: str = "federation",
) -> Federation:
    """Build two (or more) assemblies, the council they found, and elect one delegate each."""
    sizes = dict(sizes or {"docks": 3, "rail": 3})
    members = {slug: people(slug.title(), n) for slug, n in sizes.items()}
    assemblies = {slug: assembly(slug, members[slug]) for slug in sizes}
    body = found_council(clock, council, [(assemblies[s], members[s]) for s in sizes], statute)
    delegates = {
        slug: elect_one(
            clock, assemblies[slug], "delegate", members[slug][0], members[slug], body
        ).holder
        for slug in sizes
    }
    return Federation(body, assemblies, members, delegates)


def council_decides(
    clock: Clock,
    fed: Federation,
    motion: Motion,
    mandates: Mapping[str, tuple[str, Mapping[Member, str]]],
    casts: Mapping[str, str] | None = None,
) -> Decision:
    """Put a council motion through a session: agenda, mandates, derived votes, free casts."""
    chair = next(iter(fed.delegates.values()))
    session, (item,) = council_session(clock, fed.council, chair, [motion])
    for slug, (kind, ballots) in mandates.items():
        mandate(clock, fed.assemblies[slug], fed.members[slug][0], item, kind, ballots)
    clock.now = session.starts_at
    sessions.open_session(actor=chair, session=session)
    vote = Vote.objects.get(item=item)
    for slug, option in (casts or {}).items():
        sessions.cast_for_delegation(actor=fed.delegates[slug], vote=vote, ranking=[[option]])
    clock.advance(days=1)
    return deciding.close_session_vote(actor=chair, vote=vote)


def council_motion(fed: Federation, title: str, **kwargs: Any) -> Motion:
    """Propose and submit a motion in the council, by its first delegate."""
    return propose(fed.council, next(iter(fed.delegates.values())), title, **kwargs)


def admit_by_decision(clock: Clock, fed: Federation, slug: str, who: Member) -> None:
    """Admit `who` to the federation's assembly `slug` by its members' unanimous decision."""
    members = fed.members[slug]
    decide(
        clock,
        fed.assemblies[slug],
        members[0],
        all_yes(members),
        kind=Motion.Kind.ADMIT_MEMBER,
        member=who,
    )
