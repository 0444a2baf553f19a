"""Elections: calling one, standing and withdrawing, opening its vote, casting a ranking, the
result with its rounds; and resigning a term."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.params.functions import Header
from ninja.responses import Status
from pydantic import AwareDatetime

from frombelow.api.auth import acting_member
from frombelow.api.common import ERRORS, LIMITED, iso, reading
from frombelow.api.errors import InvalidInputError
from frombelow.api.votes import Cast, cast_keyed, checked_ballot, result_of
from frombelow.core.errors import DecisionError
from frombelow.http.ratelimit import limited, refuse_json
from frombelow.services import elections, votes
from frombelow.services.elections import candidate_label, nominations_close
from frombelow.services.idempotency import Answer
from frombelow.services.queries.bodies import body_named
from frombelow.services.queries.decisions import decision_of
from frombelow.services.queries.elections import (
    candidacies_in,
    election_with_id,
    elections_of,
    tendency_named,
)
from frombelow.services.queries.terms import term_with_id

if TYPE_CHECKING:
    from frombelow.services.queries.rows import Election

router = Router(tags=["elections"])


class Candidate(Schema):
    """A member standing, the label the ballot and the count name them by, and their statement."""

    member: int
    name: str
    label: str
    statement: str
    tendency: str | None = Field(description="the slug of the tendency they stand for, if any")


class ElectionOut(Schema):
    """An election: the office, the candidates, and the count round by round once closed."""

    id: int
    body: str
    office: str
    council: str | None
    seats: int
    candidates: list[Candidate]
    taking_candidacies: bool
    nominations_close: str | None = Field(
        description="when nominations close and the vote opens by itself, once someone stands"
    )
    vote: int | None
    closed: bool
    elected: list[str]
    result: dict[str, Any] | None


class RankingIn(Schema):
    """Candidates by member id, most preferred first; each inner list is one rank (ties allowed)."""

    ranking: list[list[int]] = Field(min_length=1, max_length=1000)


def _election(request: HttpRequest, election_id: int) -> Election:
    election = election_with_id(election_id)
    reading(request, election.body)
    return election


def election_out(election: Election) -> ElectionOut:
    """Describe an election with its candidates and, once counted, every round of the count."""
    decision = decision_of(election.vote) if election.vote is not None else None
    taking = election.vote_id is None
    return ElectionOut(
        id=election.pk,
        body=election.body.slug,
        office=election.office,
        council=election.council.slug if election.council else None,
        seats=election.seats,
        candidates=[
            Candidate(
                member=c.member_id,
                name=c.member.name,
                label=candidate_label(c.member),
                statement=c.statement,
                tendency=c.tendency.slug if c.tendency else None,
            )
            for c in candidacies_in(election)
        ],
        taking_candidacies=taking,
        nominations_close=iso(nominations_close(election)) if taking else None,
        vote=election.vote_id,
        closed=decision is not None,
        elected=list(decision.winners) if decision else [],
        result=result_of(decision),
    )


@router.get(
    "/elections/{election_id}", response={200: ElectionOut, **ERRORS}, summary="Read an election"
)
def read_election(request: HttpRequest, election_id: int) -> ElectionOut:
    """Return an election with its candidates and, once counted, every round of the count."""
    return election_out(_election(request, election_id))


@router.get(
    "/bodies/{slug}/elections",
    response={200: list[ElectionOut], **ERRORS},
    summary="List a body's elections",
)
def list_elections(request: HttpRequest, slug: str) -> list[ElectionOut]:
    """Return the body's latest elections, newest first."""
    body = body_named(slug)
    reading(request, body)
    return [election_out(e) for e in elections_of(body, 50)]


class CallIn(Schema):
    """An election to call: an office of the body, or its delegation to a council."""

    office: str = Field(
        min_length=1, max_length=50, description="in lower case: secretary, treasurer, delegate"
    )
    council: str | None = Field(
        default=None, description="for delegates: the slug of the council they sit in"
    )
    seats: int | None = Field(
        default=None,
        ge=1,
        le=1000,
        description="an office's seats (1 if left out); a delegation's come from the council",
    )


@router.post(
    "/bodies/{slug}/elections",
    response={201: ElectionOut, **ERRORS},
    summary="Call an election",
)
def call_election(request: HttpRequest, slug: str, data: CallIn) -> Status[ElectionOut]:
    """Call an election of an office of a body one takes part in, or of its delegates."""
    body = body_named(slug)
    reading(request, body)
    council = body_named(data.council) if data.council else None
    seats = data.seats if council is not None or data.seats is not None else 1
    election = elections.call_election(
        actor=acting_member(request), body=body, office=data.office, council=council, seats=seats
    )
    return Status(201, election_out(election))


class CandidacyIn(Schema):
    """Standing as a candidate: what one tells the electors, and perhaps one's tendency."""

    statement: str = Field(default="", max_length=elections.STATEMENT_LENGTH)
    tendency: str | None = Field(
        default=None, description="the slug of a tendency one adheres to, which proposes one"
    )


@router.post(
    "/elections/{election_id}/candidacies",
    response={201: ElectionOut, **ERRORS},
    summary="Stand as a candidate",
)
def stand(request: HttpRequest, election_id: int, data: CandidacyIn) -> Status[ElectionOut]:
    """Stand in an election while its nominations are open."""
    election = _election(request, election_id)
    elections.stand(
        actor=acting_member(request),
        election=election,
        tendency=tendency_named(data.tendency) if data.tendency else None,
        statement=data.statement,
    )
    return Status(201, election_out(election))


@router.post(
    "/elections/{election_id}/withdrawal",
    response={201: ElectionOut, **ERRORS},
    summary="Withdraw one's candidacy",
)
def withdraw(request: HttpRequest, election_id: int) -> Status[ElectionOut]:
    """Withdraw one's own candidacy while the election's nominations are open."""
    election = _election(request, election_id)
    elections.withdraw_candidacy(actor=acting_member(request), election=election)
    return Status(201, election_out(election))


class OpenIn(Schema):
    """When the election's vote closes: a moment with its time zone."""

    closes_at: AwareDatetime


@router.post(
    "/elections/{election_id}/vote",
    response={201: ElectionOut, **ERRORS},
    summary="Open an election's vote",
)
def open_vote(request: HttpRequest, election_id: int, data: OpenIn) -> Status[ElectionOut]:
    """Close an assembly's nominations and open its election's vote until `closes_at`."""
    election = _election(request, election_id)
    elections.open_election(
        actor=acting_member(request), election=election, closes_at=data.closes_at
    )
    return Status(201, election_out(election_with_id(election.pk)))


class ResignationOut(Schema):
    """A term resigned, and who took the seat: the next substitute, or no one (a by-election)."""

    term: int
    substitute: int | None = Field(description="the member who took the seat, if any")
    substitute_term: int | None
    by_election_due: bool


@router.post(
    "/terms/{term_id}/resignation",
    response={201: ResignationOut, **ERRORS},
    summary="Resign one's term",
)
def resign(request: HttpRequest, term_id: int) -> Status[ResignationOut]:
    """Resign one's own term; the first substitute takes the seat, or a by-election is due."""
    term = term_with_id(term_id)
    reading(request, term.body)
    seated = elections.resign(actor=acting_member(request), term=term)
    return Status(
        201,
        ResignationOut(
            term=term.pk,
            substitute=seated.holder_id if seated else None,
            substitute_term=seated.pk if seated else None,
            by_election_due=seated is None,
        ),
    )


@router.post(
    "/elections/{election_id}/ballots",
    response={201: Cast, **LIMITED},
    summary="Cast a ranking",
)
@limited("cast", refuse_json)
def cast_ranking(
    request: HttpRequest,
    election_id: int,
    data: RankingIn,
    idempotency_key: str | None = Header(default=None, alias="Idempotency-Key"),
) -> Status[dict[str, Any]]:
    """Rank candidates by member id; the ballot names them by their labels."""
    election = _election(request, election_id)
    member = acting_member(request)
    if election.vote is None:
        raise DecisionError(
            "the election of %(office)s in %(body)s has not opened for voting",
            office=election.office,
            body=election.body.name,
        )
    vote = election.vote
    standing = {c.member_id: c.member for c in candidacies_in(election)}
    unknown = sorted({m for rank in data.ranking for m in rank} - standing.keys())
    if unknown:
        raise InvalidInputError(
            "members %(unknown)s do not stand in the election of %(office)s in %(body)s",
            unknown=unknown,
            office=election.office,
            body=election.body.name,
        )
    ranking = checked_ballot(
        vote, [[candidate_label(standing[m]) for m in rank] for rank in data.ranking]
    )

    def act() -> Answer:
        votes.cast_ballot(actor=member, vote=vote, ranking=ranking)
        return 201, {"vote": vote.pk, "cast": True}

    return Status(*cast_keyed(request, idempotency_key, act))
