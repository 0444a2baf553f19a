"""Votes: read one and its live tally; cast a ballot (or a delegate's cast in a council), once,
idempotently under a key; enter a meeting's tally; close a vote early; once a secret vote is
counted, read its published ballot list and find one's ballot in it by its tracker."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import User
from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.params.functions import Header
from ninja.responses import Status

from frombelow.api.auth import acting_member
from frombelow.api.bodies import DecisionOut, decision_out
from frombelow.api.common import ERRORS, LIMITED, Done, reading
from frombelow.api.errors import InvalidInputError
from frombelow.core.counting.serialize import result_to_dict
from frombelow.core.errors import DecisionError
from frombelow.core.voting import LabelRanking, ranking_of
from frombelow.http.ratelimit import limited, refuse_json
from frombelow.services import deciding, idempotency, sessions, votes
from frombelow.services.idempotency import Answer
from frombelow.services.queries.ballots import tracker_hash
from frombelow.services.queries.decisions import counted_result, decision_of
from frombelow.services.queries.kinds import BallotKind
from frombelow.services.queries.members import members_with_ids
from frombelow.services.queries.votes import first_choices, turnout_of, vote_with_id

if TYPE_CHECKING:
    from frombelow.services.queries.rows import Decision, Vote

router = Router(tags=["votes"])


class VoteOut(Schema):
    """A vote: the question, the rules it opened under, and its decision once counted."""

    id: int
    body: str
    question: str
    motion: int | None
    session: int | None
    method: str
    options: list[str]
    seats: int
    ballot_kind: str
    mode: str
    electorate: int
    opened_at: str
    closes_at: str | None
    # Whether the statute it opened under lets the body's elected secretary close it before its
    # end, once every member on its roll has voted.
    secretary_closes_early: bool
    closed: bool
    decision: DecisionOut | None
    result: dict[str, Any] | None


class Tally(Schema):
    """What a vote shows while open: turnout; roll-call and council votes also show the totals."""

    vote: int
    turnout: int
    electorate: int
    totals: dict[str, int] | None
    delegations: list[dict[str, Any]]


class BallotIn(Schema):
    """A ranking of option groups: [["yes"]] on a motion, [["a", "c"]] to approve two,
    [["b"], ["a", "c"]] to rank."""

    ranking: list[list[str]] = Field(min_length=1, max_length=1000)


class TallyLine(Schema):
    """How many hands went up for one ranking: [["yes"]] on a motion."""

    ranking: list[list[str]] = Field(min_length=1, max_length=1000)
    count: int = Field(ge=0)


class TallyIn(Schema):
    """A meeting's count and who attended (member ids on the vote's roll): a line for each
    option that hands went up for, as [["option"]] (by approval, a member's hands count once
    for each option). There are no more hands than members present, none for any option by
    approval; those present who raised no hand on a motion count as abstaining."""

    counts: list[TallyLine] = Field(max_length=1000)
    attendance: list[int] = Field(max_length=100_000)


class Cast(Schema):
    """A ballot accepted. A secret ballot's `tracker` is given once, to the voter alone, and only
    to a request without an Idempotency-Key: a keyed request's answer is stored to be replayed,
    and a tracker is stored nowhere. With it the voter finds their ballot in the list published
    with the count, and changes it while the vote is open where the statute allows."""

    vote: int
    cast: bool
    tracker: str | None = None


class ChangeIn(Schema):
    """A secret ballot's tracker, and the ranking that replaces it: only the last counts."""

    tracker: str = Field(min_length=1, max_length=200)
    ranking: list[list[str]] = Field(min_length=1, max_length=1000)


class PublishedBallotOut(Schema):
    """One ballot of a secret vote's published list: the hex SHA-256 of the tracker its voter
    holds, and the ranking that counted (its last version)."""

    tracker_hash: str
    ranking: list[list[str]]


class CountSaid(Schema):
    """A count's outcome, who or what won (option labels) and its turnout. A recount's `outcome`
    is null where the list cannot be counted under the vote's rules, and `problem` says why."""

    outcome: str | None
    winners: list[str]
    turnout: int
    problem: str | None = None


class BallotListOut(Schema):
    """A counted secret vote's published ballots, sorted by tracker hash (never a voter), the
    count recomputed from them alone, the official count, and whether the two agree."""

    vote: int
    ballots: list[PublishedBallotOut]
    recount: CountSaid
    official: CountSaid
    agrees: bool


class FindIn(Schema):
    """The tracker given at the cast: sent in a body, so that no URL or access log holds it."""

    tracker: str = Field(min_length=1, max_length=200)


class FoundOut(Schema):
    """Whether the published list holds a ballot under this tracker's hash, and that ballot."""

    vote: int
    found: bool
    ballot: PublishedBallotOut | None


def result_of(decision: Decision | None) -> dict[str, Any] | None:
    """Return the count, every round and tie-break, as plain JSON; None if there was none."""
    if decision is None or not decision.count:
        return None
    return result_to_dict(counted_result(decision))


def vote_out(vote: Vote) -> VoteOut:
    """Describe a vote and, once closed, its decision and count."""
    decision = decision_of(vote)
    return VoteOut(
        id=vote.pk,
        body=vote.body.slug,
        question=vote.question,
        motion=vote.motion_id,
        session=vote.session_id,
        method=vote.method,
        options=list(vote.options),
        seats=vote.seats,
        ballot_kind=vote.ballot_kind,
        mode=vote.mode,
        electorate=vote.electorate,
        opened_at=vote.opened_at.isoformat(),
        closes_at=vote.closes_at.isoformat() if vote.closes_at else None,
        secretary_closes_early=votes.closes_early(vote),
        closed=decision is not None,
        decision=decision_out(decision) if decision else None,
        result=result_of(decision),
    )


def checked_ballot(vote: Vote, ranking: LabelRanking) -> LabelRanking:
    """Return the ranking if the vote's method takes it; a malformed ballot is bad input (422),
    unlike a second or late ballot (409), which the service refuses."""
    try:
        ranking_of(vote.method, vote.options, ranking)
    except DecisionError as error:
        raise error.recast(InvalidInputError) from None
    return ranking


def readable_vote(request: HttpRequest, vote_id: int) -> Vote:
    """Return the vote if the asking member may read its body."""
    vote = vote_with_id(vote_id)
    reading(request, vote.body)
    return vote


@router.get("/votes/{vote_id}", response={200: VoteOut, **ERRORS}, summary="Read a vote")
def read_vote(request: HttpRequest, vote_id: int) -> VoteOut:
    """Return a vote, and its decision and count once closed."""
    return vote_out(readable_vote(request, vote_id))


@router.get("/votes/{vote_id}/tally", response={200: Tally, **ERRORS}, summary="Live tally")
def live_tally(request: HttpRequest, vote_id: int) -> Tally:
    """Return the tally so far: a council's from its delegations, a roll-call's from its
    ballots; a secret vote shows only its turnout until it is counted."""
    vote = readable_vote(request, vote_id)
    if vote.session_id is not None and vote.item_id is not None:
        tally, _ = sessions.council_tally(vote)
        return Tally(
            vote=vote.pk,
            turnout=sum(tally.totals.values()),
            electorate=tally.electorate,
            totals=dict(tally.totals),
            delegations=[
                {"member_body": d.body, "votes": dict(d.votes), "derivation": d.derivation}
                for d in tally.delegation_votes
            ],
        )
    if vote.ballot_kind == BallotKind.OPEN:
        turnout, firsts = first_choices(vote)
        totals = {option: firsts.get(option, 0) for option in vote.options}
        return Tally(
            vote=vote.pk,
            turnout=turnout,
            electorate=vote.electorate,
            totals=totals,
            delegations=[],
        )
    return Tally(
        vote=vote.pk,
        turnout=turnout_of(vote),
        electorate=vote.electorate,
        totals=None,
        delegations=[],
    )


@router.post(
    "/votes/{vote_id}/tally",
    response={201: DecisionOut, **ERRORS},
    summary="Enter a meeting's tally",
)
def enter_tally(request: HttpRequest, vote_id: int, data: TallyIn) -> Status[DecisionOut]:
    """Enter a meeting's attendance and count as the body's elected secretary; the vote closes
    and its decision is taken."""
    vote = readable_vote(request, vote_id)
    member = acting_member(request)
    present = members_with_ids(data.attendance)
    missing = sorted(set(data.attendance) - {m.pk for m in present})
    if missing:
        raise InvalidInputError(
            "%(field)s: there is no member %(number)s", field="attendance", number=missing[0]
        )
    counts = [(checked_ballot(vote, line.ranking), line.count) for line in data.counts]
    decision = deciding.enter_tally(actor=member, vote=vote, counts=counts, attendance=present)
    return Status(201, decision_out(decision))


@router.post(
    "/votes/{vote_id}/close",
    response={201: DecisionOut, **ERRORS},
    summary="Close a vote early",
)
def close_early(request: HttpRequest, vote_id: int) -> Status[DecisionOut]:
    """Close an assembly's online vote before its end and count it, as the body's elected
    secretary, once every member on its roll has voted, where the statute it opened under lets
    the secretary (`secretary_closes_early`). A vote closes by itself at its end otherwise."""
    vote = readable_vote(request, vote_id)
    decision = deciding.close_vote_early(actor=acting_member(request), vote=vote)
    return Status(201, decision_out(decision))


def cast_keyed(request: HttpRequest, key: str | None, act: Any) -> Answer:
    """Act once: under an idempotency key, a retry gets the first answer and changes nothing."""
    if key is None:
        result: Answer = act()
        return result
    digest = idempotency.request_digest(request.method or "", request.path, request.body)
    user = request.user
    assert isinstance(user, User), "the API authenticates every caster"
    return idempotency.answer_once(user=user, key=key, digest=digest, act=act)


@router.post("/votes/{vote_id}/ballots", response={201: Cast, **LIMITED}, summary="Cast a ballot")
@limited("cast", refuse_json)
def cast(
    request: HttpRequest,
    vote_id: int,
    data: BallotIn,
    idempotency_key: str | None = Header(default=None, alias="Idempotency-Key"),
) -> Status[dict[str, Any]]:
    """Cast one's ballot, or a delegate's cast for their delegation in a council session."""
    vote = readable_vote(request, vote_id)
    member = acting_member(request)
    ranking = checked_ballot(vote, data.ranking)

    def act() -> Answer:
        tracker = None
        if vote.session_id is not None:
            sessions.cast_for_delegation(actor=member, vote=vote, ranking=ranking)
        else:
            tracker = votes.cast_ballot(actor=member, vote=vote, ranking=ranking)
        if idempotency_key is not None:
            tracker = None  # the answer is stored to be replayed: the tracker must not be
        return 201, {"vote": vote.pk, "cast": True, "tracker": tracker}

    return Status(*cast_keyed(request, idempotency_key, act))


@router.post(
    "/votes/{vote_id}/ballots/change",
    response={200: Done, **LIMITED},
    summary="Change a secret ballot",
)
@limited("cast", refuse_json)
def change(request: HttpRequest, vote_id: int, data: ChangeIn) -> Done:
    """Change a secret ballot by its tracker while the vote is open, where the statute it opened
    under allows: only its last version counts, and the record names no one."""
    vote = readable_vote(request, vote_id)
    votes.change_ballot(vote=vote, tracker=data.tracker, ranking=checked_ballot(vote, data.ranking))
    return Done(done="ballot.changed", id=str(vote.pk))


@router.get(
    "/votes/{vote_id}/ballots",
    response={200: BallotListOut, **ERRORS},
    summary="Read a secret vote's published ballots",
)
def ballot_list(request: HttpRequest, vote_id: int) -> BallotListOut:
    """Return a counted secret vote's ballots by their trackers' hashes, with the count
    recomputed from them beside the official one. Before the count, or for a vote that is not
    a secret vote of members online, 409: its ballots are not published."""
    vote = readable_vote(request, vote_id)
    listed = votes.published_list(vote)
    official = listed.official
    return BallotListOut(
        vote=vote.pk,
        ballots=[
            PublishedBallotOut(tracker_hash=b.tracker_hash, ranking=b.ranking)
            for b in listed.ballots
        ],
        recount=CountSaid(
            outcome=listed.outcome,
            winners=list(listed.winners),
            turnout=len(listed.ballots),
            problem=listed.problem,
        ),
        official=CountSaid(
            outcome=official.outcome, winners=list(official.winners), turnout=official.turnout
        ),
        agrees=listed.agrees,
    )


@router.post(
    "/votes/{vote_id}/ballots/find",
    response={200: FoundOut, **ERRORS},
    summary="Find one's ballot by its tracker",
)
def find_ballot(request: HttpRequest, vote_id: int, data: FindIn) -> FoundOut:
    """Find a ballot in a counted secret vote's published list by the tracker its voter holds:
    only its hash is compared, and the tracker is kept nowhere. 409 before the count."""
    vote = readable_vote(request, vote_id)
    wanted = tracker_hash(data.tracker)
    found = next((b for b in votes.published_list(vote).ballots if b.tracker_hash == wanted), None)
    return FoundOut(
        vote=vote.pk,
        found=found is not None,
        ballot=PublishedBallotOut(tracker_hash=found.tracker_hash, ranking=found.ranking)
        if found
        else None,
    )
