"""Schemathesis fuzzes every operation of the API, in process through its WSGI application, as each
of the world's roles and as an anonymous visitor: no answer may be a server error, and every answer
must be one the OpenAPI document describes (status, content type, headers, schema).

Path parameters come both generated and drawn from the world's real bodies, motions, votes ...,
so that the fuzzer reaches the handlers behind the 404s with members who may act there. The run is
derandomized so that CI sees the same requests every time; `FROMBELOW_FUZZ_SEED=N` explores others.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import override_settings
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st
from schemathesis import APIOperation, Case, GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from frombelow.db.models import ApiToken, Body, Vote
from tests.api.conftest import World

pytestmark = pytest.mark.django_db

# Examples per operation and mode: about 40 requests per operation, over 1,000 in all.
EXAMPLES = {GenerationMode.POSITIVE: 25, GenerationMode.NEGATIVE: 15}
MINIMUM_REQUESTS = 1000
# What every answer is checked for. Not `positive_data_acceptance`: a schema-valid ballot may
# name an option the vote does not have, which only the vote can refuse (422, and says why).
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
]
ROLES = ("member", "officer", "delegate", "other", None)
Operation = APIOperation[Any, Any, Any, Any]


@pytest.fixture
def app() -> Iterator[WSGIHandler]:
    """Serve the API in this process, inside the test's transaction.

    Django's own test client does the same: a request's end must not close the connection that
    holds the test's transaction (closing it would lose the world and commit nothing).
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def real_parameters(world: World) -> dict[str, list[Any]]:
    """Return, per path parameter's name, the world's items it may name."""
    return {
        "slug": list(Body.objects.order_by("pk").values_list("slug", flat=True)),
        "motion_id": [world.motion.pk, world.draft.pk, world.debated.pk],
        "decision_id": [world.decision.pk],
        "vote_id": list(Vote.objects.order_by("pk").values_list("pk", flat=True)),
        "session_id": [world.session.pk, world.drafting.pk, world.due.pk, world.hearing.pk],
        "item_id": [world.session.items.get().pk, world.hearing.items.get().pk],
        "election_id": [world.election.pk],
        "referendum_id": [world.referendum.pk],
        "petition_id": [world.petition.pk, world.referendum.petition_id],
        "prefix": list(ApiToken.objects.order_by("pk").values_list("prefix", flat=True)),
    }


def cases(operation: Operation, mode: GenerationMode, real: dict[str, list[Any]]) -> Any:
    """Return the operation's generated cases, and in positive mode also cases on real items."""
    strategies = [operation.as_strategy(generation_mode=mode)]
    if mode == GenerationMode.POSITIVE:
        for parameter in operation.path_parameters:
            strategies += [
                operation.as_strategy(generation_mode=mode, path_parameters={parameter.name: v})
                for v in real.get(parameter.name, [])
            ]
    return st.one_of(strategies)


def fuzz(operation: Operation, mode: GenerationMode, world: World, answers: Counter[int]) -> None:
    """Send the operation's cases in one mode, checking each answer; count the answers."""
    exploring = os.environ.get("FROMBELOW_FUZZ_SEED")

    @given(
        case=cases(operation, mode, real_parameters(world)),
        role=st.sampled_from(ROLES),
    )
    @settings(
        max_examples=EXAMPLES[mode],
        deadline=None,
        derandomize=exploring is None,
        database=None,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.filter_too_much,
            HealthCheck.data_too_large,
        ],
    )
    @seed(int(exploring or 0))
    def send(case: Case[Operation], role: str | None) -> None:
        headers = {"Authorization": f"Bearer {world.tokens[role]}"} if role else {}
        response = case.call(headers=headers)
        answers[response.status_code] += 1
        case.validate_response(response, checks=CHECKS, headers=headers)

    send()


@override_settings(FROMBELOW_RATES={})  # limits would answer 429 and hide the handlers behind
def test_no_request_the_fuzzer_makes_is_answered_with_a_server_error(
    world: World, app: WSGIHandler
) -> None:
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    answers: Counter[int] = Counter()
    reached: set[str] = set()
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), f"the served document is not valid OpenAPI: {result}"
        operation = result.ok()
        for mode in EXAMPLES:
            if mode == GenerationMode.NEGATIVE and not has_inputs(operation):
                continue  # nothing to get wrong: no parameter, no body
            before = answers.copy()
            fuzz(operation, mode, world, answers)
            if sum(answers[s] for s in range(200, 300)) > sum(before[s] for s in range(200, 300)):
                reached.add(operation.label)
    assert sum(answers.values()) >= MINIMUM_REQUESTS, answers
    assert not any(status >= 500 for status in answers), answers
    # The fuzzer got past authentication and the 404s into the handlers: most reading operations
    # and some acts succeeded for someone.
    assert len(reached) >= 15, sorted(reached)


def has_inputs(operation: Operation) -> bool:
    """Tell whether the operation takes a parameter or a body that could be malformed."""
    return bool(list(operation.iter_parameters())) or bool(operation.body)
