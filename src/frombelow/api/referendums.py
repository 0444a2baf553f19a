"""Referendums: read one and its rolled-up result; cast one's ballot, once; count it once closed."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.params.functions import Header
from ninja.responses import Status

from frombelow.api.auth import acting_member
from frombelow.api.common import ERRORS, LIMITED, reading
from frombelow.api.errors import InvalidInputError
from frombelow.api.votes import Cast, cast_keyed
from frombelow.http.ratelimit import limited, refuse_json
from frombelow.services import referendums
from frombelow.services.idempotency import Answer
from frombelow.services.queries.referendums import referendum_with_id, result_of

if TYPE_CHECKING:
    from frombelow.services.queries.rows import Referendum

router = Router(tags=["referendums"])


class RollUp(Schema):
    """The counted result: turnout, outcome, and each body's subtree's votes by option."""

    counted_at: str
    turnout: int
    outcome: str
    by_body: dict[str, dict[str, int]]


class ReferendumOut(Schema):
    """A referendum: the question put to every member under a council, and its result."""

    id: int
    council: str
    question: str
    options: list[str]
    double_majority: bool
    electorate: int
    opened_at: str
    closes_at: str
    from_below: bool
    result: RollUp | None


class OptionIn(Schema):
    """The option chosen."""

    option: str = Field(min_length=1, max_length=200)


def _referendum(request: HttpRequest, referendum_id: int) -> Referendum:
    referendum = referendum_with_id(referendum_id)
    reading(request, referendum.council)
    return referendum


def referendum_out(referendum: Referendum) -> ReferendumOut:
    """Describe a referendum and, once counted, its result rolled up the federation."""
    counted = result_of(referendum)
    return ReferendumOut(
        id=referendum.pk,
        council=referendum.council.slug,
        question=referendum.question,
        options=list(referendum.options),
        double_majority=referendum.double_majority,
        electorate=referendum.electorate,
        opened_at=referendum.opened_at.isoformat(),
        closes_at=referendum.closes_at.isoformat(),
        from_below=referendum.petition_id is not None,
        result=RollUp(
            counted_at=counted.counted_at.isoformat(),
            turnout=counted.turnout,
            outcome=counted.outcome,
            by_body=counted.by_body,
        )
        if counted
        else None,
    )


@router.get(
    "/referendums/{referendum_id}",
    response={200: ReferendumOut, **ERRORS},
    summary="Read a referendum",
)
def read_referendum(request: HttpRequest, referendum_id: int) -> ReferendumOut:
    """Return a referendum and, once counted, its result rolled up the federation."""
    return referendum_out(_referendum(request, referendum_id))


@router.post(
    "/referendums/{referendum_id}/count",
    response={201: ReferendumOut, **ERRORS},
    summary="Count a referendum",
)
def count(request: HttpRequest, referendum_id: int) -> Status[ReferendumOut]:
    """Count a referendum once it has closed, as its page lets any member who reads the council:
    every body's result rolled up, and the outcome. Before its close, or a second time, 409."""
    referendum = _referendum(request, referendum_id)
    referendums.close_referendum(actor=acting_member(request), referendum=referendum)
    return Status(201, referendum_out(referendum_with_id(referendum.pk)))


@router.post(
    "/referendums/{referendum_id}/ballots",
    response={201: Cast, **LIMITED},
    summary="Vote in a referendum",
)
@limited("cast", refuse_json)
def cast(
    request: HttpRequest,
    referendum_id: int,
    data: OptionIn,
    idempotency_key: str | None = Header(default=None, alias="Idempotency-Key"),
) -> Status[dict[str, Any]]:
    """Cast one's ballot in the referendum, once however many assemblies one belongs to."""
    referendum = _referendum(request, referendum_id)
    member = acting_member(request)
    if data.option not in referendum.options:
        raise InvalidInputError(
            "%(option)r is not an option; choose one of %(options)s",
            option=data.option,
            options=referendum.options,
        )

    def act() -> Answer:
        referendums.cast_referendum_ballot(actor=member, referendum=referendum, option=data.option)
        return 201, {"vote": referendum.pk, "cast": True}

    return Status(*cast_keyed(request, idempotency_key, act))
