"""Deciding: the one path from a closed vote to a decision and what it does.

Closing an online vote, entering a meeting's tally and closing a council session's vote all end
here: the vote is counted under the rules it opened with, the decision is written with its record
entry, and what it decides follows in the same transaction: an amendment carried into its motion's
text, the effect of the motion's kind (declared by the module that owns it, `motion_kinds`), the
elected seated, the implementers named. Nothing below this module decides.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.db import transaction

from frombelow.core.errors import DecisionError, DomainError, StandingError
from frombelow.core.record.entry import format_timestamp
from frombelow.core.statutes import Statute
from frombelow.core.voting import LabelRanking, ranking_of
from frombelow.db.mapping import result_json
from frombelow.db.models import (
    Amendment,
    Attendance,
    Body,
    Decision,
    Implementation,
    Member,
    Motion,
    Referendum,
    Tally,
    Vote,
)
from frombelow.services import (
    bodies,
    clock,
    federation,
    motions,
    notices,
    petitions,
    ratification,
    recall,
    referendums,
    sanctions,
    sessions,
    statutes,
    tendencies,
)
from frombelow.services.elections import seat_elected
from frombelow.services.motion_kinds import SYSTEM, kind_of
from frombelow.services.queries.bodies import statute_of
from frombelow.services.record import Actor, actor_label, append_entry
from frombelow.services.sessions import count_council_vote, is_complete, require_secretary
from frombelow.services.standing import SECRETARY, require_officer
from frombelow.services.votes import (
    Count,
    all_have_voted,
    ballot_list,
    closes_early,
    count_assembly,
    due_at,
    locked_open_vote,
    open_when_due,
)

# The modules that declare the kinds of motion (`motion_kinds.declare`), imported here so that
# the registry is whole wherever a decision is taken; `frombelow.services.apps` imports this
# module when Django starts, before any request, command or test.
KIND_OWNERS = (
    bodies,
    federation,
    motions,
    petitions,
    ratification,
    recall,
    referendums,
    sanctions,
    sessions,
    statutes,
    tendencies,
)


def _uncounted(vote: Vote) -> Vote:
    """Lock the vote and refuse it if it has been counted."""
    vote = Vote.objects.select_for_update().get(pk=vote.pk)
    if Decision.objects.filter(vote=vote).exists():
        raise DecisionError(
            "the vote %(question)r has been counted already", question=vote.question
        )
    return vote


@transaction.atomic(durable=True)
def close_vote(*, actor: Actor, vote: Vote) -> Decision:
    """Count an online vote once its closing time has passed; anyone may ask, even the system."""
    vote = _uncounted(vote)
    if vote.closes_at is None:
        raise DecisionError("a meeting's vote closes when its secretary enters the tally")
    if clock.now() < vote.closes_at:
        raise DecisionError(
            "the vote %(question)r is open until %(closes_at)s",
            question=vote.question,
            closes_at=vote.closes_at,
        )
    return decide(vote, actor=actor)


@transaction.atomic(durable=True)
def close_vote_early(*, actor: Actor, vote: Vote) -> Decision:
    """Count an online vote before its end, as the body's elected secretary, once every member
    on its roll has voted, where the statute it opened under allows it."""
    vote = _uncounted(vote)
    if vote.closes_at is None:
        raise DecisionError("a meeting's vote closes when its secretary enters the tally")
    if vote.session_id is not None:
        raise DecisionError("a council session's vote is decided in the session")
    now = clock.now()
    require_officer(actor, vote.body, SECRETARY, now, "closing a vote early")
    if not closes_early(vote):
        raise DecisionError(
            "the statute of %(body)r does not let its secretary close a vote before its end: "
            "%(question)r closes at %(closes_at)s",
            body=vote.body.slug,
            question=vote.question,
            closes_at=vote.closes_at,
        )
    if now < vote.closes_at and not all_have_voted(vote):
        raise DecisionError(
            "the vote %(question)r is open until %(closes_at)s, and some members on its roll "
            "have not voted",
            question=vote.question,
            closes_at=vote.closes_at,
        )
    return decide(vote, actor=actor)


def open_due_motions(now: datetime) -> int:
    """Open, as the system, the vote on every assembly's motion its secretary did not put by the
    statute's deadline (`frombelow notify` runs this every minute). Return how many it opened.

    A motion with amendments waits for them: each amendment still proposed at the deadline opens
    first, once its own notice has passed, and the motion opens once none is left to decide, so
    that members vote on the text the amendments made. No amendment is taken after the deadline
    (`motions.propose_amendment`), so none can hold the motion back for ever.
    """
    waiting = Motion.objects.filter(
        status=Motion.Status.SUBMITTED, body__kind=Body.Kind.ASSEMBLY
    ).select_related("body")
    statutes_of: dict[int, Statute] = {}
    opened = 0
    for motion in waiting.order_by("pk"):
        if motion.body_id not in statutes_of:
            statutes_of[motion.body_id] = statute_of(motion.body)
        statute = statutes_of[motion.body_id]
        if due_at(statute, motion) > now:
            continue
        pending = list(
            motion.amendments.filter(
                status__in=(Amendment.Status.PROPOSED, Amendment.Status.VOTING)
            ).order_by("pk")
        )
        if not pending:
            opened += _open_due(motion, None)
        for amendment in pending:
            if amendment.status == Amendment.Status.PROPOSED and (
                due_at(statute, motion, amendment) <= now
            ):
                opened += _open_due(motion, amendment)
    return opened


def _open_due(motion: Motion, amendment: Amendment | None) -> int:
    """Open the vote on a motion (or amendment) due; return 1, or 0 if it was refused."""
    try:
        if amendment is None:
            open_when_due(motion=motion)
        else:
            open_when_due(amendment=amendment)
    except DomainError:
        # Opened meanwhile by its secretary or another run, or refused (an accused who has not
        # replied yet): the other motions still open, and this one is tried again next run.
        return 0
    return 1


def close_due_votes(now: datetime) -> int:
    """Count every assembly's online vote whose closing time has passed, as the system.

    A vote closes by itself (`frombelow notify` runs this every minute); a council session's votes
    are closed in session, and a meeting's when its tally is entered. Every referendum past its
    close is counted too. Return how many it counted.
    """
    due = Vote.objects.filter(
        decision__isnull=True,
        session__isnull=True,
        mode=Vote.Mode.ONLINE,
        closes_at__isnull=False,
        closes_at__lte=now,
    ).order_by("closes_at", "pk")
    counted = 0
    for vote in due:
        try:
            close_vote(actor=SYSTEM, vote=vote)
        except DomainError:
            # Counted meanwhile by a member who asked or by another run; or refused, which the
            # count's own page shows: either way the other votes still close.
            continue
        counted += 1
    counted += lapse_untallied(now)
    for referendum in Referendum.objects.filter(result__isnull=True, closes_at__lte=now):
        try:
            referendums.close_referendum(actor=SYSTEM, referendum=referendum)
        except DomainError:
            continue  # counted meanwhile by a member who asked on its page
        counted += 1
    return counted


def tally_due_by(vote: Vote) -> datetime:
    """Return by when a meeting's tally is entered: the statute's deadline for putting a motion
    to the vote, from the vote's opening."""
    return vote.opened_at + timedelta(days=statute_of(vote.body).motion_deadline_days)


def lapse_untallied(now: datetime) -> int:
    """Count, as inquorate, every meeting's vote whose tally was not entered in time.

    Nobody sits on a motion (MODEL 4): a secretary who never enters a meeting's tally would hold
    it at the vote for ever. The record says that no tally came; the motion may be proposed
    again. Return how many lapsed.
    """
    waiting = Vote.objects.filter(
        decision__isnull=True, session__isnull=True, mode=Vote.Mode.MEETING, tally__isnull=True
    ).select_related("body")
    lapsed = 0
    for vote in waiting.order_by("opened_at", "pk"):
        due = tally_due_by(vote)
        if due > now:
            continue
        with transaction.atomic():
            try:
                locked = locked_open_vote(vote)
            except DomainError:
                continue  # its tally was entered meanwhile
            append_entry(
                actor=SYSTEM,
                action="tally.missing",
                subject=f"vote:{locked.pk}",
                body=locked.body,
                data={"due": format_timestamp(due)},
            )
            decide(locked, actor=SYSTEM)
        lapsed += 1
    return lapsed


@transaction.atomic(durable=True)
def close_session_vote(*, actor: Actor, vote: Vote) -> Decision:
    """Count a session's vote: at its closing time, or sooner once every delegation has voted."""
    vote = _uncounted(vote)
    if vote.session_id is None:
        raise DecisionError("this is no council session's vote")
    # The council's secretary decides its items and elections (its delegates, while it has none).
    require_secretary(actor, vote.body, clock.now(), "closing a session's vote", meeting=True)
    assert vote.closes_at is not None
    if clock.now() < vote.closes_at and not is_complete(vote):
        raise DecisionError(
            "the vote %(question)r is open until %(closes_at)s, and some delegations "
            "have not voted",
            question=vote.question,
            closes_at=vote.closes_at,
        )
    return decide(vote, actor=actor)


@transaction.atomic(durable=True)
def enter_tally(
    *,
    actor: Actor,
    vote: Vote,
    counts: Sequence[tuple[LabelRanking, int]],
    attendance: Iterable[Member],
) -> Decision:
    """Enter a meeting's count and attendance as its elected secretary, and close the vote."""
    vote = locked_open_vote(vote)
    if vote.mode != Vote.Mode.MEETING:
        raise DecisionError("this vote is cast online: there is no tally to enter")
    secretary = require_officer(actor, vote.body, SECRETARY, clock.now(), "entering a tally")
    present = list(dict.fromkeys(attendance))
    on_roll = set(vote.electors.values_list("member_id", flat=True))
    strangers = [m for m in present if m.pk not in on_roll]
    if strangers:
        raise StandingError(
            "%(member)s was not on the roll when the vote opened", member=strangers[0].name
        )
    lines: list[dict[str, Any]] = []
    for ranking, count in counts:
        ranking_of(vote.method, vote.options, ranking)
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise DecisionError("a count is a whole number, not %(count)r", count=count)
        lines.append({"ranking": [list(group) for group in ranking], "count": count})
    _check_against_attendance(vote, lines, len(present))
    Tally.objects.create(vote=vote, secretary=secretary, counts=lines, entered_at=clock.now())
    Attendance.objects.bulk_create(Attendance(vote=vote, member=m) for m in present)
    append_entry(
        actor=actor,
        action="tally.entered",
        subject=f"vote:{vote.pk}",
        body=vote.body,
        data={"counts": lines, "attendance": sorted(m.pk for m in present)},
    )
    return decide(vote, actor=actor)


def _check_against_attendance(vote: Vote, lines: Sequence[dict[str, Any]], present: int) -> None:
    """Refuse a tally with more hands than members attended.

    Each member present raises a hand once, for one option; by approval, once for each option
    they approve, so that no option has more hands than there were members.
    """
    if vote.method == "approval":
        for option in vote.options:
            hands = sum(n["count"] for n in lines if any(option in g for g in n["ranking"]))
            if hands > present:
                raise DecisionError(
                    "%(hands)s hands approved %(option)r, but only %(present)s members attended",
                    hands=hands,
                    option=option,
                    present=present,
                )
        return
    cast = sum(line["count"] for line in lines)
    if cast > present:
        raise DecisionError(
            "%(cast)s ballots counted, but only %(present)s members attended",
            cast=cast,
            present=present,
        )


def count_vote(vote: Vote) -> Count:
    """Count a vote under its rules as they stood when it opened: a council's or an assembly's."""
    return count_council_vote(vote) if vote.session_id is not None else count_assembly(vote)


def decide(vote: Vote, *, actor: Actor) -> Decision:
    """Count a closed vote, record the decision, and apply what it decided."""
    counted = count_vote(vote)
    outcome, result, turnout = counted.outcome, counted.result, counted.turnout
    winners = list(counted.winners)
    now = clock.now()
    motion = vote.motion
    provisional_because = (
        "; ".join(counted.provisional) if outcome == Decision.Outcome.CARRIED else ""
    )
    ratify_by = None
    if provisional_because:
        ratify_by = now + timedelta(days=statute_of(vote.body).ratification_days)
    decision = Decision.objects.create(
        vote=vote,
        body=vote.body,
        motion=motion,
        outcome=outcome,
        winners=winners,
        turnout=turnout,
        count=result_json(result) if result else {},
        decided_at=now,
        provisional=bool(provisional_because),
        provisional_because=provisional_because,
        ratify_by=ratify_by,
    )
    append_entry(
        actor=actor,
        action="decision.taken",
        subject=f"decision:{decision.pk}",
        body=vote.body,
        data={
            "vote": vote.pk,
            "motion": motion.pk if motion else None,
            "outcome": outcome,
            "winners": winners,
            "turnout": turnout,
            "electorate": vote.electorate,
            "provisional": provisional_because or None,
            "ratify_by": format_timestamp(ratify_by) if ratify_by else None,
            "by": actor_label(actor),
            **ballot_list(vote),
        },
    )
    if decision.provisional:
        notices.after_commit(partial(notices.ratification_pending, decision.pk))
    if vote.amendment_id is not None:
        settle_amendment(decision)
    elif motion is not None:
        motion.status = Motion.Status.DECIDED
        motion.save(update_fields=["status"])
        apply(decision)
    elif hasattr(vote, "election"):
        seat_elected(decision)
    return decision


def apply(decision: Decision, *, ratified: bool = False) -> None:
    """Apply a decision's effect, unless it is provisional and not yet ratified."""
    motion = decision.motion
    assert motion is not None
    if decision.provisional and not ratified:
        return
    effect = kind_of(motion.kind).effect_of(decision)
    if effect is not None:
        try:
            with transaction.atomic():
                now_binding = effect(decision)
        except DomainError as error:
            # The world moved while the vote was open (the member was admitted another way,
            # the graph changed): the decision stands as taken, and the record says why its
            # effect could not follow. A refusal here must never keep a vote from closing.
            append_entry(
                actor=SYSTEM,
                action="decision.not_applied",
                subject=f"decision:{decision.pk}",
                body=decision.body,
                data={"kind": motion.kind, "because": str(error)},
            )
        else:
            if now_binding is not None:
                # A council's provisional decision, ratified by this one: it takes effect now.
                apply(now_binding, ratified=True)
    if decision.outcome in (Decision.Outcome.CARRIED, Decision.Outcome.CHOSEN):
        implement(decision)


def settle_amendment(decision: Decision) -> None:
    """Carry an amendment into its motion's text, or mark it lost."""
    amendment = Amendment.objects.select_for_update().get(vote__decision=decision)
    motion = amendment.motion
    if decision.outcome == Decision.Outcome.CARRIED:
        before = motion.text
        amendment.status = Amendment.Status.CARRIED
        motion.text = amendment.text
        motion.save(update_fields=["text"])
        append_entry(
            actor=SYSTEM,
            action="motion.amended",
            subject=f"motion:{motion.pk}",
            body=motion.body,
            data={"amendment": amendment.pk, "before": before, "after": motion.text},
        )
    else:
        amendment.status = Amendment.Status.LOST
    amendment.save(update_fields=["status"])


def implement(decision: Decision) -> Implementation | None:
    """Name who carries out a carried decision, as its motion said."""
    motion = decision.motion
    if motion is None or not motion.implementers.exists():
        return None
    implementation = Implementation.objects.create(decision=decision, due_on=motion.implement_by)
    implementation.implementers.set(motion.implementers.all())
    return implementation
