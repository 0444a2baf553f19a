"""Votes in an assembly: opening (electorate fixed), casting, a meeting's tally, and counting.

Counting is the counting engine's, under the statute in force when the vote opened. Closing a vote,
taking its decision and applying what it carried are the deciding service's (`deciding`), for an
assembly's votes and a council's alike; a council votes in session through its delegations (see
`sessions`).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.db import IntegrityError, transaction

from frombelow.core.ballots.profile import Ranking
from frombelow.core.counting.majority import ABSTAIN
from frombelow.core.counting.result import Result
from frombelow.core.counting.rule import CountError, Threshold
from frombelow.core.counts import VoteRules, count_assembly_vote
from frombelow.core.decisions import MOTION_OPTIONS
from frombelow.core.errors import DecisionError, DueProcessError, StandingError
from frombelow.core.record.entry import format_timestamp
from frombelow.core.record.verify import ballot_list_hash
from frombelow.core.statutes import Statute
from frombelow.core.voting import (
    MOTION,
    LabelRanking,
    ranking_of,
)
from frombelow.db.mapping import (
    fraction_text,
    read_fraction,
    read_statute,
    read_threshold,
    threshold_json,
)
from frombelow.db.models import (
    Amendment,
    Ballot,
    Body,
    Charge,
    Decision,
    Delegation,
    Elector,
    Item,
    Member,
    Motion,
    Participation,
    SecretBallot,
    Session,
    Vote,
)
from frombelow.services import clock, notices
from frombelow.services.charges import check_heard
from frombelow.services.idempotency import atomic_act
from frombelow.services.motion_kinds import SYSTEM, kind_of
from frombelow.services.motions import (
    check_target,
    debated_since,
    notice_ends,
    opens_by_itself_at,
    question_of,
)
from frombelow.services.queries.ballots import (
    PublishedBallot,
    last_secret_ballots,
    published_ballots,
    tracker_hash,
)
from frombelow.services.queries.bodies import statute_of, statute_version
from frombelow.services.record import Actor, append_entry
from frombelow.services.standing import SECRETARY, electors_at, require_officer

# The actor of a secret ballot's change: whoever holds its tracker, whom the record cannot name.
TRACKER_HOLDER = "tracker-holder"


def _json_ranking(ranking: LabelRanking) -> list[list[str]]:
    return [list(group) for group in ranking]


def create_vote(
    *,
    actor: Actor,
    body: Body,
    question: str,
    method: str,
    options: Sequence[str],
    ballot_kind: str,
    mode: str = Vote.Mode.ONLINE,
    closes_at: datetime | None,
    seats: int = 1,
    motion: Motion | None = None,
    amendment: Amendment | None = None,
    item: Item | None = None,
    session: Session | None = None,
    electors: Iterable[Member] = (),
    delegations: Iterable[Delegation] = (),
) -> Vote:
    """Open a vote with the statute in force and its electorate fixed now; write its entry."""
    now = clock.now()
    if ballot_kind not in Vote.BallotKind.values:
        raise DecisionError("a ballot is open or secret, not %(kind)r", kind=ballot_kind)
    if mode == Vote.Mode.ONLINE and (closes_at is None or closes_at <= now):
        raise DecisionError("a vote cast online states when it closes, later than now")
    if mode == Vote.Mode.MEETING and closes_at is not None:
        raise DecisionError("a meeting's vote closes when its secretary enters the tally")
    fewest = 1 if motion is None and amendment is None else 2  # one candidate may stand alone
    if len(set(options)) != len(options) or len(options) < fewest:
        raise DecisionError(
            "a vote offers %(fewest)s or more different options, not %(options)r",
            fewest=fewest,
            options=options,
        )
    version = statute_version(body)
    statute = statute_of(body)
    if mode == Vote.Mode.ONLINE and session is None:
        _check_voting_period(body, statute, now, closes_at)
    # Consent is an assembly's way; a council's delegations vote their mandates.
    by_consent = (
        session is None
        and motion is not None
        and amendment is None
        and statute.allows_consent(motion.matter)
    )
    people = list(electors)
    seated = list(delegations)
    bodies = [d.member_body for d in seated]
    # In a council, the electorate is every delegation's votes, present or not.
    electorate = sum(d.seats * d.votes_per_seat for d in seated) if session else len(people)
    vote = Vote.objects.create(
        body=body,
        question=question,
        motion=motion,
        amendment=amendment,
        item=item,
        session=session,
        method=method,
        options=list(options),
        seats=seats,
        ballot_kind=ballot_kind,
        mode=mode,
        statute=version,
        quorum=fraction_text(statute.quorum),
        threshold=threshold_json(_threshold(statute, motion)),
        by_consent=by_consent,
        electorate=electorate,
        opened_at=now,
        closes_at=closes_at,
    )
    Elector.objects.bulk_create(
        [Elector(vote=vote, member=m) for m in people]
        + [Elector(vote=vote, member_body=b) for b in bodies]
    )
    append_entry(
        actor=actor,
        action="vote.opened",
        subject=f"vote:{vote.pk}",
        body=body,
        data={
            "question": question,
            "motion": motion.pk if motion else None,
            "amendment": amendment.pk if amendment else None,
            "item": item.pk if item else None,
            "method": method,
            "options": list(options),
            "seats": seats,
            "ballot": ballot_kind,
            "mode": mode,
            "statute": version.number,
            "quorum": vote.quorum,
            "threshold": vote.threshold,
            "by_consent": by_consent,
            "electorate": electorate,
            "electors": sorted(m.pk for m in people) or sorted(b.slug for b in bodies),
            "session": session.pk if session else None,
            "closes_at": format_timestamp(closes_at) if closes_at else None,
        },
    )
    if people:
        # Its electors hear of it once it is committed (a council's delegations vote in session).
        notices.after_commit(partial(notices.vote_opened, vote.pk))
    return vote


def earliest_close(statute: Statute, now: datetime) -> datetime:
    """Return the soonest an online vote opened now may close under the statute."""
    return now + timedelta(hours=statute.min_voting_hours)


def _check_voting_period(
    body: Body, statute: Statute, now: datetime, closes_at: datetime | None
) -> None:
    """Refuse an online vote shorter than the statute's minimum voting period (no snap votes).

    A council session's votes are exempt: they close with the session, whose agenda reached
    the member bodies by the statute's mandate deadline.
    """
    earliest = earliest_close(statute, now)
    if closes_at is not None and closes_at < earliest:
        raise DecisionError(
            "the statute of %(body)r keeps a vote open at least %(hours)s hours: it may close "
            "at %(earliest)s UTC at the earliest",
            body=body.slug,
            hours=statute.min_voting_hours,
            earliest=f"{earliest:%Y-%m-%d %H:%M}",
        )


def _threshold(statute: Statute, motion: Motion | None) -> Threshold:
    """Return the threshold a vote passes by: its motion kind's own, or else the statute's."""
    own = kind_of(motion.kind).threshold if motion is not None else None
    return own or statute.threshold


def check_due_process(motion: Motion) -> None:
    """Refuse to put an expulsion, hiding or sanction before the accused's reply or its deadline
    (`charges`: silence cannot block the hearing for ever, nor a vote come before the answer)."""
    if kind_of(motion.kind).needs_due_process:
        charge = motion.charge
        if not isinstance(charge, Charge):
            raise DueProcessError("a stated charge comes first")
        check_heard(charge)


@transaction.atomic(durable=True)
def open_vote(
    *,
    actor: Actor,
    motion: Motion | None = None,
    amendment: Amendment | None = None,
    ballot_kind: str = Vote.BallotKind.OPEN,
    mode: str = Vote.Mode.ONLINE,
    closes_at: datetime | None = None,
) -> Vote:
    """Put a submitted motion, or an amendment to one, to the vote of an assembly, as its elected
    secretary, once the statute's notice has passed: online, or at a meeting."""
    motion, amendment = _locked_for_vote(motion, amendment)
    body = motion.body
    now = clock.now()
    if mode == Vote.Mode.MEETING:
        require_officer(actor, body, SECRETARY, now, "putting a vote to a meeting")
    else:
        require_officer(actor, body, SECRETARY, now, "putting a motion to the vote")
    _check_notice(statute_of(body), motion, amendment, now)
    return put_to_vote(
        actor=actor,
        motion=motion,
        amendment=amendment,
        ballot_kind=ballot_kind,
        mode=mode,
        closes_at=closes_at,
    )


def _locked_for_vote(
    motion: Motion | None, amendment: Amendment | None
) -> tuple[Motion, Amendment | None]:
    """Lock the motion (and amendment) to put to an assembly's vote; refuse a council's."""
    if (motion is None) == (amendment is None):
        raise DecisionError("a vote is on one motion or one amendment")
    if amendment is not None:
        amendment = Amendment.objects.select_for_update().get(pk=amendment.pk)
        motion = amendment.motion
    assert motion is not None
    motion = Motion.objects.select_for_update().get(pk=motion.pk)
    if motion.body.kind != Body.Kind.ASSEMBLY:
        raise DecisionError(
            "%(body)r is a council: it decides in session, through its delegations' mandates; "
            "put the motion on a session's agenda",
            body=motion.body.slug,
        )
    return motion, amendment


def _check_notice(
    statute: Statute, motion: Motion, amendment: Amendment | None, now: datetime
) -> None:
    """Refuse to open a vote before its members have had the statute's notice (MODEL 4).

    A motion's notice runs from its submission, an amendment's from its proposal. What is no
    longer submitted (or proposed) is left to `put_to_vote`, whose refusal says why.
    """
    if motion.status != Motion.Status.SUBMITTED:
        return
    if amendment is None:
        earliest = notice_ends(statute, debated_since(motion))
        if now < earliest:
            raise DecisionError(
                "%(motion)s was submitted less than %(hours)s hours ago: members have that "
                "notice before its vote, which may open from %(earliest)s UTC",
                motion=motion.title,
                hours=statute.min_notice_hours,
                earliest=f"{earliest:%Y-%m-%d %H:%M}",
            )
    elif amendment.status == Amendment.Status.PROPOSED:
        earliest = notice_ends(statute, amendment.proposed_at)
        if now < earliest:
            raise DecisionError(
                "amendment %(number)s to %(motion)s was proposed less than %(hours)s hours ago: "
                "members have that notice before its vote, which may open from %(earliest)s UTC",
                number=amendment.pk,
                motion=motion.title,
                hours=statute.min_notice_hours,
                earliest=f"{earliest:%Y-%m-%d %H:%M}",
            )


def due_at(statute: Statute, motion: Motion, amendment: Amendment | None = None) -> datetime:
    """Return when a motion (or an amendment to it) no one put to the vote opens by itself.

    A motion opens at its deadline; an amendment still proposed then opens once the deadline
    and its own notice have passed, before the motion, whose vote waits for its amendments.
    """
    deadline = opens_by_itself_at(statute, motion)
    if amendment is None:
        return deadline
    return max(deadline, notice_ends(statute, amendment.proposed_at))


@transaction.atomic(durable=True)
def open_when_due(*, motion: Motion | None = None, amendment: Amendment | None = None) -> Vote:
    """Open, as the system, the vote no one opened on a motion (or amendment) past its deadline.

    Nobody sits on a motion: it opens online, open (roll-call), for the statute's minimum voting
    period, whether or not its secretary acts. `deciding.open_due_motions` calls this.
    """
    motion, amendment = _locked_for_vote(motion, amendment)
    statute, now = statute_of(motion.body), clock.now()
    due = due_at(statute, motion, amendment)
    if now < due:
        raise DecisionError(
            "%(motion)s opens by itself at %(due)s UTC, not before",
            motion=motion.title,
            due=f"{due:%Y-%m-%d %H:%M}",
        )
    return put_to_vote(
        actor=SYSTEM,
        motion=motion,
        amendment=amendment,
        ballot_kind=Vote.BallotKind.OPEN,
        mode=Vote.Mode.ONLINE,
        # A statute that allows votes shorter than a day still gives its members a day here. A
        # minute more, because opening reads the clock again to check the voting period: on a
        # real clock the bare minimum would already be a few milliseconds short.
        closes_at=max(earliest_close(statute, now), now + timedelta(days=1)) + timedelta(minutes=1),
    )


def changeable(vote: Vote) -> bool:
    """Tell whether the statute the vote opened under lets a secret ballot be changed."""
    return read_statute(vote.statute.rules).ballots_changeable_until_close


def closes_early(vote: Vote) -> bool:
    """Tell whether the statute the vote opened under lets its secretary close it early."""
    return read_statute(vote.statute.rules).secretary_closes_early


def all_have_voted(vote: Vote) -> bool:
    """Tell whether every member on an assembly vote's roll has cast a ballot."""
    on_roll = vote.electors.filter(member__isnull=False).count()
    if vote.ballot_kind == Vote.BallotKind.OPEN:
        voted = vote.ballots.count()
    else:
        voted = vote.participations.count()
    return voted >= on_roll


def put_to_vote(
    *,
    actor: Actor,
    motion: Motion,
    amendment: Amendment | None,
    ballot_kind: str,
    mode: str,
    closes_at: datetime | None,
) -> Vote:
    """Open an assembly's vote on a locked motion (or amendment), its roll the members now."""
    body, now = motion.body, clock.now()
    if motion.status != Motion.Status.SUBMITTED:
        raise _not_submitted(motion)
    if amendment is not None:
        if amendment.status != Amendment.Status.PROPOSED:
            raise _not_proposed(amendment)
        method, options = MOTION, list(MOTION_OPTIONS)
        question = f"Amend {motion.title!r}"
        amendment.status = Amendment.Status.VOTING
        amendment.save(update_fields=["status"])
    else:
        if motion.amendments.filter(
            status__in=(Amendment.Status.PROPOSED, Amendment.Status.VOTING)
        ).exists():
            raise DecisionError("%(motion)s has amendments to decide first", motion=motion.title)
        check_target(motion)
        check_due_process(motion)
        method, options = question_of(motion)
        question = motion.title
        motion.status = Motion.Status.VOTING
        motion.save(update_fields=["status"])
    electors = electors_at(body, now)
    return create_vote(
        actor=actor,
        body=body,
        question=question,
        method=method,
        options=options,
        ballot_kind=ballot_kind,
        mode=mode,
        closes_at=closes_at,
        motion=motion if amendment is None else None,
        amendment=amendment,
        electors=electors,
    )


# One template per status, so that the status's word is translated with the sentence.
def _not_submitted(motion: Motion) -> DecisionError:
    """Return the refusal to put a motion to the vote that is not (or no longer) submitted."""
    title = motion.title
    if motion.status == Motion.Status.DRAFT:
        return DecisionError(
            "%(motion)s is draft: only a submitted motion is put to a vote", motion=title
        )
    if motion.status == Motion.Status.VOTING:
        return DecisionError(
            "%(motion)s is voting: only a submitted motion is put to a vote", motion=title
        )
    if motion.status == Motion.Status.DECIDED:
        return DecisionError(
            "%(motion)s is decided: only a submitted motion is put to a vote", motion=title
        )
    # Withdrawn: the only status left.
    return DecisionError(
        "%(motion)s is withdrawn: only a submitted motion is put to a vote", motion=title
    )


def _not_proposed(amendment: Amendment) -> DecisionError:
    """Return the refusal to put an amendment to the vote that is no longer proposed."""
    number, title = amendment.pk, amendment.motion.title
    if amendment.status == Amendment.Status.VOTING:
        return DecisionError(
            "amendment %(number)s to %(motion)s is voting", number=number, motion=title
        )
    if amendment.status == Amendment.Status.CARRIED:
        return DecisionError(
            "amendment %(number)s to %(motion)s is carried", number=number, motion=title
        )
    if amendment.status == Amendment.Status.LOST:
        return DecisionError(
            "amendment %(number)s to %(motion)s is lost", number=number, motion=title
        )
    # Withdrawn: the only status left.
    return DecisionError(
        "amendment %(number)s to %(motion)s is withdrawn", number=number, motion=title
    )


def locked_open_vote(vote: Vote) -> Vote:
    """Lock the vote and refuse it if it has closed (counted, or past its closing time)."""
    vote = Vote.objects.select_for_update().get(pk=vote.pk)
    if Decision.objects.filter(vote=vote).exists():
        raise DecisionError(
            "the vote %(question)r has closed and been counted", question=vote.question
        )
    if vote.closes_at is not None and clock.now() >= vote.closes_at:
        raise DecisionError(
            "the vote %(question)r closed at %(closes_at)s",
            question=vote.question,
            closes_at=vote.closes_at,
        )
    return vote


@atomic_act
def cast_ballot(*, actor: Actor, vote: Vote, ranking: LabelRanking) -> str | None:
    """Cast one's ballot in an online vote: once, while it is open, if on its electorate.

    Return the ballot's tracker for a secret ballot (None for an open one): only the voter ever
    holds it; the database keeps its hash alone.
    """
    vote = locked_open_vote(vote)
    if not isinstance(actor, Member):
        raise StandingError("only a member casts a ballot, not %(actor)r", actor=actor)
    if vote.mode != Vote.Mode.ONLINE:
        raise DecisionError("this vote is taken in a meeting: its secretary enters the tally")
    if vote.session_id is not None:
        raise DecisionError("in a council, delegates cast for their delegations, not members")
    if not vote.electors.filter(member=actor).exists():
        raise StandingError(
            "%(member)s was not on the roll of %(body)r when the vote opened",
            member=actor.name,
            body=vote.body.slug,
        )
    ranking_of(vote.method, vote.options, ranking)  # refuses a ballot the method does not take
    tracker = None
    try:
        with transaction.atomic():
            if vote.ballot_kind == Vote.BallotKind.OPEN:
                Ballot.objects.create(
                    vote=vote, voter=actor, ranking=_json_ranking(ranking), cast_at=clock.now()
                )
            else:
                Participation.objects.create(vote=vote, member=actor)
                # 256 random bits: no one can guess another voter's tracker.
                tracker = secrets.token_hex(32)
                SecretBallot.objects.create(
                    vote=vote, ranking=_json_ranking(ranking), tracker_hash=tracker_hash(tracker)
                )
    except IntegrityError:
        raise DecisionError(
            "%(member)s has already voted on %(question)r",
            member=actor.name,
            question=vote.question,
        ) from None
    data: dict[str, Any] = {"vote": vote.pk}
    if vote.ballot_kind == Vote.BallotKind.OPEN:
        data["ranking"] = _json_ranking(ranking)  # a roll-call vote: everyone sees who voted how
    append_entry(
        actor=actor, action="vote.cast", subject=f"vote:{vote.pk}", body=vote.body, data=data
    )
    return tracker


@transaction.atomic(durable=True)
def change_ballot(*, vote: Vote, tracker: str, ranking: LabelRanking) -> None:
    """Change a secret ballot while the vote is open, if its statute allows: only the last counts.

    The tracker alone shows the right to change the ballot, so that the change names no member:
    the new ballot is a new row under the same tracker hash with the next version.
    """
    vote = locked_open_vote(vote)
    if vote.ballot_kind != Vote.BallotKind.SECRET:
        raise DecisionError("only a secret ballot is changed with its tracker")
    if not changeable(vote):
        raise DecisionError(
            "the statute of %(body)r does not let ballots be changed", body=vote.body.slug
        )
    ranking_of(vote.method, vote.options, ranking)
    hashed = tracker_hash(tracker)
    last = vote.secret_ballots.filter(tracker_hash=hashed).order_by("-version").first()
    if last is None:
        raise DecisionError("no ballot in %(question)r has this tracker", question=vote.question)
    SecretBallot.objects.create(
        vote=vote, ranking=_json_ranking(ranking), tracker_hash=hashed, version=last.version + 1
    )
    # The record says that a ballot changed, not whose nor which: the tracker hash would tell
    # anyone watching the record when each ballot changed.
    append_entry(
        actor=TRACKER_HOLDER,
        action="ballot.changed",
        subject=f"vote:{vote.pk}",
        body=vote.body,
        data={"vote": vote.pk},
    )


def ballot_list(vote: Vote) -> dict[str, str]:
    """Return, for a secret vote, the hash of its published ballot list to fix in the record."""
    if vote.ballot_kind != Vote.BallotKind.SECRET or vote.mode != Vote.Mode.ONLINE:
        return {}
    # The ballots are not in the record (they name no one); their list's hash is, so that no
    # ballot can change after the close without the verifier seeing it.
    last = last_secret_ballots(vote)
    return {"ballots": ballot_list_hash([(b.tracker_hash, b.ranking) for b in last])}


def publishes_ballots(vote: Vote) -> bool:
    """Whether the vote has a ballot list to publish: a secret vote of members online, not a
    council's (its delegations cast for their bodies, openly)."""
    return (
        vote.ballot_kind == Vote.BallotKind.SECRET
        and vote.mode == Vote.Mode.ONLINE
        and vote.session_id is None
    )


@dataclass(frozen=True)
class BallotList:
    """A counted secret vote's published ballots, and its count recomputed from them alone."""

    ballots: list[PublishedBallot]  # sorted by tracker hash
    outcome: str | None  # the recount's; None where the list cannot be counted
    winners: tuple[str, ...]  # the recount's
    firsts: dict[str, int]  # each option's first choices in the list, in the vote's order
    official: Decision  # the count taken at the close, to show beside the recount
    problem: str | None = None  # why the list cannot be counted (the engine's words)

    @property
    def outcome_label(self) -> str | None:
        """The recount's outcome in the reader's language, as a decision's is said."""
        return None if self.outcome is None else str(Decision.Outcome(self.outcome).label)

    @property
    def agrees(self) -> bool:
        """Whether the recount finds what the official count found."""
        return self.outcome is not None and (
            self.outcome,
            list(self.winners),
            len(self.ballots),
        ) == (
            self.official.outcome,
            list(self.official.winners),
            self.official.turnout,
        )


def published_list(vote: Vote) -> BallotList:
    """Return a counted secret vote's ballot list, and the count recomputed from that list.

    Before the count the list is not published: the running totals would tell who leads while
    members still vote, and a voter could be pressed to show their ballot before the close.
    """
    if not publishes_ballots(vote):
        raise DecisionError(
            "%(question)r publishes no ballot list: only a secret vote of members online has one",
            question=vote.question,
        )
    decision = Decision.objects.filter(vote=vote).first()
    if decision is None:
        raise DecisionError(
            "the ballots of %(question)r are published once it is counted",
            question=vote.question,
        )
    listed = published_ballots(vote)
    seed = (decision.count or {}).get("seed")
    firsts = dict.fromkeys(vote.options, 0)
    for ballot in listed:
        for option in ballot.ranking[0] if ballot.ranking else ():
            firsts[option] = firsts.get(option, 0) + 1
    try:
        # The list's length is the turnout: each voter's one tracker, whatever its versions.
        counted = count_assembly_vote(
            vote_rules(vote),
            [(ranking_of(vote.method, vote.options, b.ranking), 1) for b in listed],
            len(listed),
            None if seed is None else int(seed),
        )
    except (CountError, DecisionError) as error:
        # A list altered after the close may not even be countable: that is what to show.
        return BallotList(listed, None, (), firsts, decision, str(error))
    return BallotList(listed, counted.outcome, tuple(counted.winners), firsts, decision)


def _ballots(vote: Vote) -> tuple[list[tuple[Ranking, int]], int]:
    """Return the vote's (ranking, weight) pairs and its turnout."""

    def ranked(labels: LabelRanking) -> Ranking:
        return ranking_of(vote.method, vote.options, labels)

    if vote.mode == Vote.Mode.MEETING:
        if not hasattr(vote, "tally"):
            return [], 0  # its tally never came (`deciding.lapse_untallied`): no one took part
        tally = vote.tally
        pairs = [(ranked(line["ranking"]), int(line["count"])) for line in tally.counts]
        present = vote.attendance.count()
        silent = present - sum(w for _, w in pairs)
        if silent and vote.method == MOTION:
            # Present and not voting is taking part without choosing: an abstention.
            pairs.append((ranked([[ABSTAIN]]), silent))
        return pairs, present
    if vote.ballot_kind == Vote.BallotKind.OPEN:
        rows = list(vote.ballots.values_list("ranking", flat=True))
        return [(ranked(r), 1) for r in rows], len(rows)
    secret = [ballot.ranking for ballot in last_secret_ballots(vote)]
    return [(ranked(r), 1) for r in secret], vote.participations.count()


@dataclass(frozen=True)
class Count:
    """A closed vote's count: the outcome, who or what won, the engine's Result, the turnout."""

    outcome: str
    winners: tuple[str, ...]
    result: Result | None  # None when no ballot was cast in an election
    turnout: int  # voters, or in a council the delegations' votes cast
    provisional: tuple[str, ...] = ()  # why a council's decision awaits ratification


def vote_rules(vote: Vote) -> VoteRules:
    """Return what the vote was opened under, as the core's count takes it."""
    return VoteRules(
        method=vote.method,
        options=tuple(vote.options),
        seats=vote.seats,
        electorate=vote.electorate,
        quorum=read_fraction(vote.quorum, "quorum"),
        threshold=read_threshold(vote.threshold),
        by_consent=vote.by_consent,
        chooses=vote.motion_id is not None,
    )


def count_assembly(vote: Vote) -> Count:
    """Count an assembly's vote under its rules as they stood when it opened."""
    pairs, turnout = _ballots(vote)
    counted = count_assembly_vote(vote_rules(vote), pairs, turnout)
    return Count(counted.outcome, counted.winners, counted.result, counted.turnout)
