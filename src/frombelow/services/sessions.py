"""Council sessions: the agenda sent down before the mandate deadline, delegations seated from the
roll when the session opens, their votes derived from mandates, delegates casting only where no
binding mandate speaks, and the count (the core's `mandates`).
"""

from __future__ import annotations

import secrets
from collections import Counter
from collections.abc import Sequence
from datetime import datetime, timedelta
from functools import partial

from django.db import IntegrityError, transaction
from django.db.models import Max

from frombelow.core import mandates as core
from frombelow.core.counts import count_council_election
from frombelow.core.decisions import MOTION_OPTIONS
from frombelow.core.errors import DecisionError, MandateError, StandingError, Words
from frombelow.core.record.entry import format_timestamp
from frombelow.core.representation import Representation
from frombelow.core.voting import MOTION, LabelRanking, ranking_of
from frombelow.db.mapping import read_item, read_mandate, read_statute
from frombelow.db.models import (
    Body,
    Decision,
    DelegateCast,
    Delegation,
    DelegationVote,
    Item,
    Mandate,
    Member,
    Motion,
    Session,
    Term,
    Vote,
)
from frombelow.services import clock, notices
from frombelow.services.idempotency import atomic_act
from frombelow.services.motion_kinds import Applies, MotionKind, declare
from frombelow.services.queries.bodies import member_bodies_at, statute_of
from frombelow.services.record import Actor, append_entry
from frombelow.services.refusals import choice
from frombelow.services.standing import (
    DELEGATE,
    SECRETARY,
    as_member,
    delegations_of,
    held_terms,
    holds_office,
    require_officer,
    require_participant,
    takes_part,
    terms_held,
)
from frombelow.services.votes import (
    Count,
    check_due_process,
    create_vote,
    locked_open_vote,
    vote_rules,
)
from frombelow.services.weights import representation_at, take_snapshot


def secretary_of(council: Body, at: datetime) -> Member | None:
    """Return the secretary the council elected who holds the office at `at`, if any."""
    term = held_terms(council, SECRETARY, at).select_related("holder").order_by("pk").first()
    return term.holder if term is not None else None


def may_act_as_secretary(member: Member, council: Body, at: datetime, *, meeting: bool) -> bool:
    """Tell whether the member may take a secretary's act in the council's sessions at `at`.

    `meeting`: the act only calls, opens, decides or closes a meeting, which a council's seated
    delegates may do while it has no secretary in office (see `require_secretary`).
    """
    if council.kind != Body.Kind.COUNCIL:
        return False
    if holds_office(member, council, SECRETARY, at):
        return True
    return meeting and secretary_of(council, at) is None and takes_part(member, council, at)


def require_secretary(
    actor: Actor, council: Body, at: datetime, what: str, *, meeting: bool = False
) -> Member:
    """Return the acting member if they act for the council in its sessions: its secretary.

    The council's secretary, elected by its delegations in session (`council_electorate`),
    schedules its sessions, draws up the agenda and sends it down, opens them, decides their
    items and elections, and closes them. While no secretary holds office (none elected yet, or
    the term ended or was cut short with no substitute), any seated delegate may take the
    `meeting` acts (schedule, open, put an election, decide, close) so that a council can always
    meet to elect one: nobody stops a council from meeting by leaving the office empty. The
    agenda stays the secretary's, so a council without one meets only to elect.
    """
    member = as_member(actor, what)
    if holds_office(member, council, SECRETARY, at):
        return require_officer(member, council, SECRETARY, at, what)  # and its second factor
    in_office = secretary_of(council, at)
    if meeting and in_office is None and takes_part(member, council, at):
        return require_participant(member, council, at, what)  # a delegate's second factor
    ended = (
        Term.objects.filter(body=council, office=SECRETARY, holder=member, started_at__lte=at)
        .exclude(terms_held(at))
        .select_related("cut_short")
        .order_by("-started_at")
        .first()
    )
    if ended is not None:
        cut = getattr(ended, "cut_short", None)
        raise StandingError(
            "%(what)s: %(member)s's term as secretary of %(council)r ended at %(ended)s",
            what=Words(what),
            member=member.name,
            council=council.slug,
            ended=cut.ended_at if cut is not None else ended.ends_at,
        )
    if in_office is None and not meeting:
        raise StandingError(
            "%(what)s: %(council)r has no secretary in office; its delegates may meet to elect "
            "one, but only a secretary draws up and sends down an agenda",
            what=Words(what),
            council=council.slug,
        )
    if in_office is None:
        return require_participant(member, council, at, what)  # refused: no delegate
    return require_officer(member, council, SECRETARY, at, what)  # refused: not the secretary


@transaction.atomic(durable=True)
def schedule_session(*, actor: Actor, council: Body, title: str, starts_at: datetime) -> Session:
    """Schedule a session of a council, far enough ahead for its agenda to reach member bodies."""
    if council.kind != Body.Kind.COUNCIL:
        raise DecisionError("%(body)r is an assembly: its members vote directly", body=council.slug)
    require_secretary(actor, council, clock.now(), "scheduling a session", meeting=True)
    session = Session.objects.create(body=council, title=title, starts_at=starts_at)
    append_entry(
        actor=actor,
        action="session.scheduled",
        subject=f"session:{session.pk}",
        body=council,
        data={"title": title, "starts_at": format_timestamp(starts_at)},
    )
    return session


def _locked(session: Session) -> Session:
    return Session.objects.select_for_update().get(pk=session.pk)


@transaction.atomic(durable=True)
def add_item(*, actor: Actor, session: Session, motion: Motion) -> Item:
    """Put a submitted motion of the council on the session's agenda, before it is sent down;
    once the session has opened, a motion raised there is a new matter (provisional)."""
    session = _locked(session)
    require_secretary(actor, session.body, clock.now(), "adding an item")
    if motion.body_id != session.body_id:
        raise DecisionError(
            "%(motion)s is a motion of %(body)r, not of this council",
            motion=motion.title,
            body=motion.body.slug,
        )
    if motion.status != Motion.Status.SUBMITTED:
        raise DecisionError(
            "%(motion)s is %(status)s: only a submitted motion goes on an agenda",
            motion=motion.title,
            status=choice(Motion.Status, motion.status),
        )
    if session.closed_at is not None:
        raise DecisionError("%(session)s has closed", session=session.title)
    new_matter = session.opened_at is not None
    if session.agenda_sent_at is not None and not new_matter:
        raise DecisionError(
            "the agenda of %(session)s has been sent down; what comes now is raised at the session",
            session=session.title,
        )
    if new_matter and motion.kind != Motion.Kind.GENERAL:
        raise DecisionError(
            "a %(kind)s motion needs its member bodies' mandates: put it on a later agenda",
            kind=choice(Motion.Kind, motion.kind),
        )
    if motion.details.get("method", MOTION) != MOTION:
        raise DecisionError("a council decides a motion by yes / no: a choice needs an election")
    number = session.items.count() + 1
    item = Item.objects.create(session=session, number=number, motion=motion, new_matter=new_matter)
    append_entry(
        actor=actor,
        action="item.added",
        subject=f"item:{item.pk}",
        body=session.body,
        data={"session": session.pk, "number": number, "motion": motion.pk, "new": new_matter},
    )
    if new_matter:
        _open_item_vote(actor, session, item, vote_closes(session))
    return item


@transaction.atomic(durable=True)
def send_agenda(*, actor: Actor, session: Session) -> Session:
    """Send the agenda down to the member bodies, no later than the statute's mandate deadline."""
    session = _locked(session)
    require_secretary(actor, session.body, clock.now(), "sending an agenda")
    if session.agenda_sent_at is not None:
        raise DecisionError(
            "the agenda of %(session)s was sent at %(sent_at)s",
            session=session.title,
            sent_at=session.agenda_sent_at,
        )
    days = statute_of(session.body).mandate_deadline_days
    deadline = session.starts_at - timedelta(days=days)
    if clock.now() > deadline:
        raise DecisionError(
            "the agenda had to reach member bodies %(days)s days before the session, by "
            "%(deadline)s; move the session or call another",
            days=days,
            deadline=deadline,
        )
    if not session.items.exists():
        raise DecisionError("an agenda with no items")
    session.agenda_sent_at = clock.now()
    session.save(update_fields=["agenda_sent_at"])
    append_entry(
        actor=actor,
        action="agenda.sent",
        subject=f"session:{session.pk}",
        body=session.body,
        data={"items": list(session.items.values_list("pk", flat=True))},
    )
    notices.after_commit(partial(notices.agenda_sent, session.pk))
    return session


def vote_closes(session: Session) -> datetime:
    """Return when a vote opened at the session closes: with its other votes, or in a day."""
    # Unless every delegation has voted sooner (see close_session_vote).
    latest = session.votes.aggregate(latest=Max("closes_at"))["latest"]
    now = clock.now()
    return (
        latest
        if latest is not None and latest > now
        else max(now, session.starts_at) + timedelta(days=1)
    )


def _delegations(session: Session, representation: Representation) -> list[Delegation]:
    ids = dict(
        Body.objects.filter(slug__in=[d.body for d in representation.delegations]).values_list(
            "slug", "pk"
        )
    )
    return Delegation.objects.bulk_create(
        Delegation(
            session=session,
            member_body_id=ids[d.body],
            weight=d.weight,
            seats=d.seats,
            votes_per_seat=d.votes_per_seat,
        )
        for d in representation.delegations
    )


@transaction.atomic(durable=True)
def open_session(*, actor: Actor, session: Session, closes_at: datetime | None = None) -> Session:
    """Open the session: seat the delegations from the roll now, and open a vote on each item,
    with the bound and proportional delegations' votes derived from their mandates at once."""
    session = _locked(session)
    now = clock.now()
    require_secretary(actor, session.body, now, "opening a session", meeting=True)
    if session.opened_at is not None:
        raise DecisionError("%(session)s is already open", session=session.title)
    if now < session.starts_at:
        raise DecisionError(
            "%(session)s starts at %(starts_at)s",
            session=session.title,
            starts_at=session.starts_at,
        )
    if session.items.exists() and session.agenda_sent_at is None:
        raise DecisionError("the agenda never went down to the member bodies")
    snapshot, _ = take_snapshot(session.body, now)
    seed = secrets.randbits(62)
    representation = representation_at(session.body, now, seed)
    session.opened_at, session.weights, session.seed = now, snapshot, seed
    session.save(update_fields=["opened_at", "weights", "seed"])
    seated = _delegations(session, representation)
    append_entry(
        actor=actor,
        action="session.opened",
        subject=f"session:{session.pk}",
        body=session.body,
        data={
            "weights": snapshot.pk,
            "seed": str(seed),
            "delegations": {
                d.body: {"weight": d.weight, "seats": d.seats, "votes_per_seat": d.votes_per_seat}
                for d in representation.delegations
            },
        },
    )
    ends = closes_at or vote_closes(session)
    for item in session.items.select_related("motion"):
        _open_item_vote(actor, session, item, ends, seated, representation)
    return session


def _open_item_vote(
    actor: Actor,
    session: Session,
    item: Item,
    closes_at: datetime,
    seated: Sequence[Delegation] | None = None,
    representation: Representation | None = None,
) -> Vote:
    motion = Motion.objects.select_for_update().get(pk=item.motion_id)
    check_due_process(motion)
    seated = list(session.delegations.select_related("member_body")) if seated is None else seated
    if representation is None:
        representation = _representation(session)
    vote = create_vote(
        actor=actor,
        body=session.body,
        question=motion.title,
        method=MOTION,
        options=list(MOTION_OPTIONS),
        ballot_kind=Vote.BallotKind.OPEN,
        closes_at=closes_at,
        motion=motion,
        item=item,
        session=session,
        delegations=seated,
    )
    motion.status = Motion.Status.VOTING
    motion.save(update_fields=["status"])
    mandates = {m.member_body_id: m for m in item.mandates.select_related("member_body")}
    by_slug = {d.body: d for d in representation.delegations}
    for delegation in seated:
        mandate = mandates.get(delegation.member_body_id)
        if mandate is None or mandate.kind == Mandate.Kind.FREE:
            continue  # absent, or left to the delegates
        derived = core.derive_delegation_vote(
            read_item(item), by_slug[delegation.member_body.slug], read_mandate(mandate)
        )
        assert derived is not None  # bound and proportional mandates always vote
        DelegationVote.objects.create(
            vote=vote,
            member_body=delegation.member_body,
            votes=dict(derived.votes),
            derivation=derived.derivation,
            mandate=mandate,
        )
    return vote


def council_electorate(actor: Actor, council: Body, session: Session | None) -> list[Delegation]:
    """Return the delegations of an open session of the council, which elect in it."""
    if session is None or session.body_id != council.pk:
        raise DecisionError(
            "%(council)r is a council: it elects in one of its sessions", council=council.slug
        )
    session = Session.objects.get(pk=session.pk)  # the caller's copy may be stale
    if session.opened_at is None or session.closed_at is not None:
        raise DecisionError("%(session)s is not open", session=session.title)
    require_secretary(actor, council, clock.now(), "opening an election in session", meeting=True)
    return list(session.delegations.select_related("member_body"))


def _delegation_of(actor: Actor, vote: Vote) -> tuple[Member, Body, Delegation]:
    member = require_participant(actor, vote.body, clock.now(), "casting for a delegation")
    bodies = list(delegations_of(member, vote.body, clock.now()))
    if len(bodies) != 1:
        raise StandingError(
            "%(member)s sits for %(count)d delegations; a delegate sits for one",
            member=member.name,
            count=len(bodies),
        )
    body = bodies[0]
    seated = Delegation.objects.filter(session=vote.session, member_body=body).first()
    if seated is None:
        raise StandingError("%(body)r had no delegation when the session opened", body=body.slug)
    return member, body, seated


@atomic_act
def cast_for_delegation(*, actor: Actor, vote: Vote, ranking: LabelRanking) -> DelegateCast:
    """Cast a delegate's vote for their delegation where no binding mandate speaks."""
    vote = locked_open_vote(vote)
    if vote.session_id is None:
        raise DecisionError("members cast their own ballots in an assembly")
    ranking_of(vote.method, vote.options, ranking)
    delegate, body, seated = _delegation_of(actor, vote)
    if vote.item is not None:
        item = vote.item
        mandate = item.mandates.filter(member_body=body).first()
        delegation = _representation(vote.session).delegation(body.slug)
        core.check_cast(
            read_item(item),
            delegation.with_delegates({delegate.pk}),
            read_mandate(mandate) if mandate else None,
            core.Cast(delegate.pk, body.slug, str(item.pk), ranking[0][0]),
        )
    if DelegateCast.objects.filter(vote=vote, member_body=body).count() >= seated.seats:
        raise MandateError(
            "every seat of %(body)r's delegation has cast on this vote", body=body.slug
        )
    try:
        with transaction.atomic():
            cast = DelegateCast.objects.create(
                vote=vote,
                member_body=body,
                delegate=delegate,
                ranking=[list(g) for g in ranking],
                cast_at=clock.now(),
            )
    except IntegrityError:
        raise DecisionError(
            "%(delegate)s has already cast on %(question)r",
            delegate=delegate.name,
            question=vote.question,
        ) from None
    append_entry(
        actor=actor,
        action="delegation.cast",
        subject=f"vote:{vote.pk}",
        body=vote.body,
        data={"member_body": body.slug, "ranking": cast.ranking},
    )
    return cast


def _representation(session: Session | None) -> Representation:
    """Return the delegations as seated when the session opened, recomputed from the roll then."""
    assert session is not None
    assert session.opened_at is not None
    return representation_at(session.body, session.opened_at, session.seed)


def _casts_by_body(vote: Vote) -> dict[int, list[DelegateCast]]:
    casts: dict[int, list[DelegateCast]] = {}
    for cast in vote.casts.select_related("member_body").order_by("pk"):
        casts.setdefault(cast.member_body_id, []).append(cast)
    return casts


def council_tally(vote: Vote) -> tuple[core.ItemTally, core.SessionDecision]:
    """Tally a council's item from every delegation's derived vote and its delegates' casts."""
    item = vote.item
    assert item is not None
    statute = read_statute(vote.statute.rules)
    motion = item.motion
    if motion.kind != Motion.Kind.GENERAL:
        # A council's own affairs (its statute, its member bodies) need no delegated competence.
        statute = statute.amended(competences=statute.competences | {motion.matter or motion.kind})
    matter_item = core.Item(
        str(item.pk), motion.matter or motion.kind, MOTION_OPTIONS, not item.new_matter
    )
    representation = _representation(vote.session)
    casts = _casts_by_body(vote)
    by_slug = {b.pk: b.slug for b in Body.objects.filter(pk__in=casts)}
    delegations = [
        d.with_delegates({c.delegate_id for c in casts.get(_pk(d.body), [])})
        if casts.get(_pk(d.body))
        else d
        for d in representation.delegations
    ]
    core_casts = [
        core.Cast(c.delegate_id, by_slug[body], str(item.pk), c.ranking[0][0])
        for body, rows in casts.items()
        for c in rows
    ]
    mandates = {
        m.member_body.slug: read_mandate(m) for m in item.mandates.select_related("member_body")
    }
    tally = core.tally_item(vote.body.slug, matter_item, statute, delegations, mandates, core_casts)
    return tally, core.decide_item(tally, statute, clock.now())


def _pk(slug: str) -> int:
    return Body.objects.values_list("pk", flat=True).get(slug=slug)


def count_council_vote(vote: Vote) -> Count:
    """Count a council's vote: an item from its delegations' votes, an election from the casts."""
    if vote.item_id is None:
        return _count_council_election(vote)
    tally, decision = council_tally(vote)
    recorded = set(vote.delegation_votes.values_list("member_body__slug", flat=True))
    ids = dict(
        Body.objects.filter(slug__in=[v.body for v in tally.delegation_votes]).values_list(
            "slug", "pk"
        )
    )
    DelegationVote.objects.bulk_create(
        DelegationVote(
            vote=vote, member_body_id=ids[v.body], votes=dict(v.votes), derivation=v.derivation
        )
        for v in tally.delegation_votes
        if v.body not in recorded
    )
    outcome = decision.outcome
    return Count(
        outcome,
        ("yes",) if outcome == Decision.Outcome.CARRIED else (),
        decision.result,
        sum(tally.totals.values()),
        decision.provisional,
    )


def _count_council_election(vote: Vote) -> Count:
    seated = {d.member_body_id: d for d in Delegation.objects.filter(session=vote.session)}
    pairs = [
        (ranking_of(vote.method, vote.options, cast.ranking), seated[body].votes_per_seat)
        for body, rows in _casts_by_body(vote).items()
        for cast in rows
    ]
    counted = count_council_election(vote_rules(vote), pairs)
    return Count(counted.outcome, counted.winners, counted.result, counted.turnout)


def casts_awaited(vote: Vote) -> dict[int, int]:
    """Return, by member body, how many casts its delegates may still make on the vote.

    A delegation whose vote is derived (bound, proportional), or that is absent (no mandate on an
    item sent down), can never cast, so nothing is awaited of it; one whose delegates cast (a free
    mandate, what arose at the session, an election) is awaited for each seat a delegate holds.
    """
    now = clock.now()
    seated = list(Delegation.objects.filter(session=vote.session))
    derived = set(vote.delegation_votes.values_list("member_body_id", flat=True))
    mandates: dict[int, Mandate] = {}
    target: core.Item | None = None
    if vote.item is not None:
        target = read_item(vote.item)
        mandates = {m.member_body_id: m for m in vote.item.mandates.select_related("member_body")}
    holders = Counter(
        Term.objects.filter(
            terms_held(now),
            office=DELEGATE,
            council=vote.body,
            body_id__in=[d.member_body_id for d in seated],
        ).values_list("body_id", flat=True)
    )
    cast = Counter(vote.casts.values_list("member_body_id", flat=True))
    awaited: dict[int, int] = {}
    for d in seated:
        body = d.member_body_id
        if body in derived:
            continue
        if target is not None:
            mandate = mandates.get(body)
            if not core.may_cast(target, read_mandate(mandate) if mandate else None):
                continue
        # A seat no delegate holds now casts nothing: only those who hold one are awaited.
        left = min(d.seats, holders[body]) - cast[body]
        if left > 0:
            awaited[body] = left
    return awaited


def is_complete(vote: Vote) -> bool:
    """Tell whether every delegation that can still vote has: derived, absent, or cast."""
    return not casts_awaited(vote)


@transaction.atomic(durable=True)
def close_session(*, actor: Actor, session: Session) -> Session:
    """Close a session once each of its votes has been counted."""
    session = _locked(session)
    require_secretary(actor, session.body, clock.now(), "closing a session", meeting=True)
    if session.opened_at is None or session.closed_at is not None:
        raise DecisionError("%(session)s is not open", session=session.title)
    if session.votes.filter(decision__isnull=True).exists():
        raise DecisionError("%(session)s still has votes to count", session=session.title)
    session.closed_at = clock.now()
    session.save(update_fields=["closed_at"])
    append_entry(
        actor=actor,
        action="session.closed",
        subject=f"session:{session.pk}",
        body=session.body,
        data={},
    )
    return session


def record_mandate(decision: Decision) -> Mandate | None:
    """Make a member body's mandate on a council's item from its own decision on it.

    An assembly's mandate comes from its vote (the core's `mandate_from_vote`); a council's from
    its own session (`mandate_from_session`): the recursion down the federation graph.
    """
    motion = decision.motion
    assert motion is not None
    item = motion.council_item
    assert item is not None
    kind = motion.details["mandate"]
    body = decision.body
    target = read_item(item)
    if item.session.opened_at is not None:
        append_entry(
            actor="system",
            action="mandate.late",
            subject=f"item:{item.pk}",
            body=body,
            data={"decision": decision.pk, "note": "the session had opened: no mandate, absent"},
        )
        return None
    vote = decision.vote
    if kind == Mandate.Kind.FREE:
        # Leaving it free is itself a decision: only a carried one frees the delegates.
        if decision.outcome != Decision.Outcome.CARRIED:
            return None
        made = core.Mandate(body.slug, target.id, "free")
    elif vote.session_id is not None:
        tally, session_decision = council_tally(vote)
        made = core.mandate_from_session(body.slug, target, kind, tally, session_decision)
        made = core.Mandate(body.slug, target.id, made.kind, made.option, made.votes)
    else:
        votes = {k: int(v) for k, v in decision.count["rounds"][0]["votes"].items()}
        made = core.mandate_from_vote(
            body.slug,
            target,
            kind,
            votes,
            statute=read_statute(vote.statute.rules),
            electorate=vote.electorate,
        )
    if made.kind == "none":
        return None
    mandate = Mandate.objects.create(
        item=item,
        member_body=body,
        kind=made.kind,
        option=made.option or "",
        shares=dict(made.votes),
        decision=decision,
    )
    append_entry(
        actor="system",
        action="mandate.decided",
        subject=f"item:{item.pk}",
        body=body,
        data={
            "kind": made.kind,
            "option": made.option,
            "votes": dict(made.votes),
            "decision": decision.pk,
        },
    )
    return mandate


def _mandate_decided(decision: Decision) -> None:
    mandate = record_mandate(decision)
    if mandate is not None:
        # The body's members hear of their mandate once it is committed.
        notices.after_commit(partial(notices.mandate_decided, mandate.pk))


def _check_mandate_motion(motion: Motion) -> None:
    assert motion.council_item_id is not None
    # Read afresh: the caller's copy of the item and its session may be stale.
    item = Item.objects.select_related("session__body").get(pk=motion.council_item_id)
    session = item.session
    if not member_bodies_at(session.body, clock.now()).filter(pk=motion.body_id).exists():
        raise StandingError(
            "%(body)r is not a member body of %(council)r: it has no mandate to decide there",
            body=motion.body.slug,
            council=session.body.slug,
        )
    if session.opened_at is not None:
        raise DecisionError(
            "%(session)s has opened: mandates are decided before the session",
            session=session.title,
        )
    if session.agenda_sent_at is None:
        raise DecisionError(
            "the agenda of %(session)s has not been sent down yet", session=session.title
        )
    if Mandate.objects.filter(item=item, member_body=motion.body).exists():
        raise DecisionError(
            "%(body)r has already decided its mandate on %(session)s, item %(number)s",
            body=motion.body.slug,
            session=session.title,
            number=item.number,
        )
    if item.new_matter:
        raise DecisionError("an item raised at the session has no mandate: delegates decide it")
    if motion.details.get("mandate") not in Mandate.Kind.values:
        raise DecisionError(
            "a mandate is bound, proportional or free, not %(mandate)r",
            mandate=motion.details.get("mandate"),
        )


declare(
    MotionKind(
        Motion.Kind.DECIDE_MANDATE,
        targets=frozenset({"council_item"}),
        check=_check_mandate_motion,
        # A mandate is the body's vote itself, whichever way it went; inquorate leaves none.
        effect=_mandate_decided,
        applies=Applies.WHATEVER_THE_OUTCOME,
    )
)
