"""The JSON API, version 1: typed schemas and a generated OpenAPI document.

Every endpoint but the health check needs credentials: an API token (`Authorization: Bearer`)
or the pages' signed-in session with its CSRF token. Handlers are thin: they parse, ask
`services.access` whether the member may read the body, call one service or query, and return a
schema; every error is answered by `errors.answer_error`.
"""

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema

import frombelow
from frombelow.api import (
    bodies,
    charges,
    decisions,
    elections,
    errors,
    foundings,
    members,
    motions,
    petitions,
    referendums,
    roll,
    sessions,
    sign_up,
    tendencies,
    tokens,
    votes,
    work,
)
from frombelow.api.auth import AUTH
from frombelow.api.inputs import IJsonParser

api = NinjaAPI(
    title="frombelow", version="1", urls_namespace="api-v1", auth=AUTH, parser=IJsonParser()
)
errors.install(api)
for area in (
    members,
    bodies,
    motions,
    decisions,
    votes,
    sessions,
    elections,
    referendums,
    petitions,
    roll,
    tokens,
    work,
    foundings,
    sign_up,
    tendencies,
    charges,
):
    api.add_router("", area.router)


class Health(Schema):
    """What a monitor needs to know that the installation answers."""

    status: str
    version: str


@api.get("/health", response=Health, auth=None, summary="Tell that the installation answers")
def health(request: HttpRequest) -> Health:
    """Return the installation's status and version."""
    return Health(status="ok", version=frombelow.__version__)


# A monitor or load balancer may ask with HEAD; Ninja answers only the methods named (405 else).
# Not in the OpenAPI document: its answer is GET's without a body.
@api.api_operation(["HEAD"], "/health", auth=None, include_in_schema=False)
def health_head(request: HttpRequest) -> HttpResponse:
    """Answer that the installation answers, with no body."""
    return HttpResponse(status=200, content_type="application/json")
