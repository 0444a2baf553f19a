"""An assembly's membership roll, for the membership officer it elected: preview, import, export,
and sending a member's invitation again.

The preview stores nothing and answers a signed token holding the rows it would admit; importing
that token admits them all in one act, or none. The export is CSV, in the columns an import reads.
Invitations are sent by `frombelow notify` shortly after: the answers say they are due.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema
from ninja.responses import Status

from frombelow.api.auth import acting_member
from frombelow.api.common import ERRORS, LIMITED, Done
from frombelow.core.roll import ROW_LIMIT
from frombelow.http.ratelimit import limited, refuse_json
from frombelow.services import invites, roll
from frombelow.services.queries.bodies import body_named
from frombelow.services.queries.members import member_with_id
from frombelow.services.refusals import explain

router = Router(tags=["roll"])

# A roll of the core's row limit at generous widths: name, address and number.
CSV_LIMIT = ROW_LIMIT * 400


class RollIn(Schema):
    """A roll as CSV text: a row per person (name, e-mail, member number), a header allowed."""

    csv: str = Field(min_length=1, max_length=CSV_LIMIT)


class RollRowOut(Schema):
    """A row the import would admit, with its line in the file."""

    line: int
    name: str
    email: str
    member_number: str


class RefusedRowOut(Schema):
    """A row the import cannot admit: its line, why as a stable code, and why in words."""

    line: int
    reason: str
    detail: str


class RollPreviewOut(Schema):
    """What importing the roll would do; `token` admits the rows of `admit`, within an hour."""

    admit: list[RollRowOut]
    refused: list[RefusedRowOut]
    token: str


class ImportIn(Schema):
    """The token of a preview, to admit its rows."""

    token: str = Field(min_length=1)


class AdmittedOut(Schema):
    """A member the import admitted."""

    id: int
    name: str
    member_number: str


class ImportOut(Schema):
    """The members admitted, in the file's order."""

    admitted: list[AdmittedOut]


@router.post(
    "/bodies/{slug}/roll/preview",
    response={200: RollPreviewOut, **ERRORS},
    summary="Preview a roll import",
)
def preview(request: HttpRequest, slug: str, data: RollIn) -> RollPreviewOut:
    """Read a roll and say which rows it would admit and which not, by line; store nothing."""
    seen = roll.preview_roll(actor=acting_member(request), assembly=body_named(slug), data=data.csv)
    return RollPreviewOut(
        admit=[
            RollRowOut(line=r.line, name=r.name, email=r.email, member_number=r.member_number)
            for r in seen.rows
        ],
        refused=[
            RefusedRowOut(line=b.line, reason=b.reason, detail=explain(b.refusal)) for b in seen.bad
        ],
        token=seen.token,
    )


@router.post(
    "/bodies/{slug}/roll/import",
    response={201: ImportOut, **ERRORS},
    summary="Import a previewed roll",
)
def import_roll(request: HttpRequest, slug: str, data: ImportIn) -> Status[ImportOut]:
    """Admit every row of a preview in one act, one record entry each; or none."""
    admitted = roll.import_roll(
        actor=acting_member(request), assembly=body_named(slug), token=data.token
    )
    return Status(
        201,
        ImportOut(
            admitted=[
                AdmittedOut(id=m.member_id, name=m.member.name, member_number=m.member_number)
                for m in admitted
            ]
        ),
    )


@router.get(
    "/bodies/{slug}/roll.csv",
    response=ERRORS,
    summary="Export the roll as CSV",
    openapi_extra={
        "responses": {
            200: {
                "description": "The roll: name, email, member_number, with a header",
                "content": {"text/csv": {"schema": {"type": "string"}}},
            }
        }
    },
)
def export(request: HttpRequest, slug: str) -> HttpResponse:
    """Answer the assembly's current roll as CSV, to its membership officer only."""
    body = body_named(slug)
    text = roll.export_roll(actor=acting_member(request), assembly=body)
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{body.slug}-roll.csv"'
    return response


@router.post(
    "/bodies/{slug}/roll/members/{member_id}/invitation",
    response={202: Done, **LIMITED},
    summary="Send a member's invitation again",
)
@limited("invite", refuse_json)
def invite_again(request: HttpRequest, slug: str, member_id: int) -> Status[Done]:
    """Make the invitation of a member on the roll who set no password due again; it is sent
    shortly (202), with a new link."""
    member = invites.invite_again(
        actor=acting_member(request), assembly=body_named(slug), member=member_with_id(member_id)
    )
    return Status(202, Done(done="invitation.due", id=str(member.pk)))
