"""Petitions: read one's count against its threshold; sign it, once."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest
from ninja import Router
from ninja.responses import Status

from frombelow.api.auth import acting_member
from frombelow.api.bodies import PetitionOut, petition_out
from frombelow.api.common import ERRORS, LIMITED, reading
from frombelow.http.ratelimit import limited, refuse_json
from frombelow.services import petitions
from frombelow.services.queries.petitions import petition_with_id

if TYPE_CHECKING:
    from frombelow.services.queries.rows import Petition

router = Router(tags=["petitions"])


def _petition(request: HttpRequest, petition_id: int) -> Petition:
    petition = petition_with_id(petition_id)
    reading(request, petition.body)
    return petition


@router.get(
    "/petitions/{petition_id}", response={200: PetitionOut, **ERRORS}, summary="Read a petition"
)
def read_petition(request: HttpRequest, petition_id: int) -> PetitionOut:
    """Return a petition and its count against the threshold fixed when it opened."""
    return petition_out(_petition(request, petition_id))


@router.post(
    "/petitions/{petition_id}/signatures",
    response={201: PetitionOut, **LIMITED},
    summary="Sign a petition",
)
@limited("sign", refuse_json)
def sign(request: HttpRequest, petition_id: int) -> Status[PetitionOut]:
    """Sign the petition; the signature that reaches the threshold opens what it asks for."""
    petition = _petition(request, petition_id)
    petitions.sign_petition(actor=acting_member(request), petition=petition)
    petition.refresh_from_db()
    return Status(201, petition_out(petition))
