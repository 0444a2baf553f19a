"""Every error the API answers, in one handler: a JSON body with a message and the right status.

A refusal of the rules says why (the domain error's message); anything unexpected answers 500
with no detail, and its traceback goes to the server's log only.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from frombelow.api.schema_words import field_problem
from frombelow.core.errors import (
    DecisionError,
    DomainError,
    MandateError,
    PetitionError,
    ReferendumError,
    StandingError,
    UnknownBodyError,
)
from frombelow.services.idempotency import KeyReusedError
from frombelow.services.refusals import explain

log = logging.getLogger(__name__)


class InvalidInputError(DomainError):
    """A request well-formed for its schema that names what the item does not have (an option)."""


# The first class in this order that the error is an instance of decides its status.
STATUSES: tuple[tuple[type[BaseException], int, str], ...] = (
    (AuthenticationError, 401, "unauthenticated"),
    (ValidationError, 422, "invalid"),
    # A body beyond DATA_UPLOAD_MAX_MEMORY_SIZE, which Django refuses to read.
    (RequestDataTooBig, 413, "too-large"),
    (Http404, 404, "not-found"),
    (ObjectDoesNotExist, 404, "not-found"),
    (UnknownBodyError, 404, "not-found"),
    (KeyReusedError, 409, "conflict"),
    (InvalidInputError, 422, "invalid"),
    (StandingError, 403, "forbidden"),
    # What the state of a vote, petition or mandate refuses now: a second ballot, a closed vote.
    (DecisionError, 409, "conflict"),
    (PetitionError, 409, "conflict"),
    (ReferendumError, 409, "conflict"),
    (MandateError, 409, "conflict"),
    (DomainError, 422, "refused"),
)


def answer_error(api: NinjaAPI, request: HttpRequest, exc: Exception) -> HttpResponse:
    """Answer an error as JSON: `{"error": kind, "detail": message}` with its status."""
    for kind, status, name in STATUSES:
        if isinstance(exc, kind):
            body: dict[str, object] = {"error": name, "detail": _message(exc)}
            if isinstance(exc, ValidationError):
                body["errors"] = exc.errors
            return api.create_response(request, body, status=status)
    if isinstance(exc, HttpError):
        # Ninja's own refusals: a body that is not JSON (400), a failed CSRF check (403).
        name = "invalid" if exc.status_code == 400 else "refused"
        return api.create_response(
            request, {"error": name, "detail": _ninja_message(exc)}, status=exc.status_code
        )
    log.exception("unexpected error answering %s %s", request.method, request.path)
    return api.create_response(
        request, {"error": "internal", "detail": "internal error"}, status=500
    )


def _message(exc: Exception) -> str:
    if isinstance(exc, AuthenticationError):
        return _("credentials needed: a bearer token, or a signed-in session with its CSRF token")
    if isinstance(exc, ValidationError):
        return _("the request does not match its schema: %(problems)s") % {
            "problems": "; ".join(
                f"{'.'.join(str(p) for p in e.get('loc', ()))}: {field_problem(e)}"
                for e in exc.errors
            )
        }
    if isinstance(exc, RequestDataTooBig):
        return _("the request body is larger than the %(limit)d bytes this server accepts") % {
            "limit": settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        }
    if isinstance(exc, Http404 | ObjectDoesNotExist):
        return str(exc) or _("not found")
    if isinstance(exc, DomainError):
        return explain(exc)
    return str(exc)


def _ninja_message(exc: HttpError) -> str:
    cause = exc.__cause__
    if exc.status_code == 400 and cause is not None:
        # Ninja words a body it cannot parse alike whatever the reason; the parser says where.
        problem = explain(cause) if isinstance(cause, DomainError) else str(cause)
        return _("Cannot parse request body: %(problem)s") % {"problem": problem}
    if exc.status_code == 403 and str(exc) == "CSRF check Failed":
        return _("CSRF check failed: send the CSRF token with a signed-in session's request")
    return str(exc)


def install(api: NinjaAPI) -> None:
    """Route every exception the API can meet to `answer_error`."""

    def handler(request: HttpRequest, exc: Exception | type[Exception]) -> HttpResponse:
        # Ninja's signature allows a class; it always passes the raised instance.
        return answer_error(api, request, exc if isinstance(exc, Exception) else exc())

    for kind in (Exception, HttpError, AuthenticationError, ValidationError, Http404):
        api.add_exception_handler(kind, handler)
