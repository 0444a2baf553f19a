"""Elections: the candidates, casting a ranking of them, the result with its rounds."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.params.functions import Header
from ninja.responses import Status

from frombelow.api.auth import acting_member
from frombelow.api.common import ERRORS, LIMITED, reading
from frombelow.api.errors import InvalidInputError
from frombelow.api.votes import Cast, cast_keyed, checked_ballot, result_of
from frombelow.core.errors import DecisionError
from frombelow.http.ratelimit import limited, refuse_json
from frombelow.services import votes
from frombelow.services.elections import candidate_label
from frombelow.services.idempotency import Answer
from frombelow.services.queries.decisions import decision_of
from frombelow.services.queries.elections import election_with_id

if TYPE_CHECKING:
    from frombelow.services.queries.rows import Election

router = Router(tags=["elections"])


class Candidate(Schema):
    """A member standing, and the label the ballot and the count name them by."""

    member: int
    name: str
    label: str


class ElectionOut(Schema):
    """An election: the office, the candidates, and the count round by round once closed."""

    id: int
    body: str
    office: str
    council: str | None
    seats: int
    candidates: list[Candidate]
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


@router.get(
    "/elections/{election_id}", response={200: ElectionOut, **ERRORS}, summary="Read an election"
)
def read_election(request: HttpRequest, election_id: int) -> ElectionOut:
    """Return an election with its candidates and, once counted, every round of the count."""
    election = _election(request, election_id)
    decision = decision_of(election.vote) if election.vote is not None else None
    return ElectionOut(
        id=election.pk,
        body=election.body.slug,
        office=election.office,
        council=election.council.slug if election.council else None,
        seats=election.seats,
        candidates=[
            Candidate(member=c.member_id, name=c.member.name, label=candidate_label(c.member))
            for c in election.candidacies.select_related("member").order_by("pk")
        ],
        vote=election.vote_id,
        closed=decision is not None,
        elected=list(decision.winners) if decision else [],
        result=result_of(decision),
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
    standing = {c.member_id: c.member for c in election.candidacies.select_related("member")}
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
