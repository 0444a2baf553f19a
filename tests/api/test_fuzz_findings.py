"""What the fuzzer found answered 500, now refused with a 4xx that says where, storing nothing.

Each body here reached a store that refused it halfway: a fractional number or a too-large integer
in a motion's details (the record writes neither), a NUL character (PostgreSQL keeps none), half of
a surrogate pair (no store keeps it).
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from frombelow.db.models import ApiToken, Motion, RecordEntry
from tests.api.conftest import World

pytestmark = pytest.mark.django_db


def propose(world: World, body: str) -> Any:
    client = world.client("member")
    return client.client.post(
        "/api/v1/bodies/docks/motions",
        body,
        content_type="application/json",
        headers=client.headers,
    )


@pytest.mark.parametrize(
    ("body", "where"),
    [
        ('{"title": "t", "text": "x", "details": {"share": 1.5}}', "body.details.share: 1.5 is"),
        ('{"title": "t", "text": "x", "details": {"n": 1e300}}', "body.details.n: 1e+300 is"),
        (
            '{"title": "t", "text": "x", "details": {"n": [1, 9007199254740993]}}',
            "body.details.n[1]: 9007199254740993 is beyond",
        ),
        ('{"title": "t\\u0000", "text": "x"}', "body.title: text holds a NUL"),
        ('{"title": "t", "text": "\\ud800"}', "body.text: text holds half of a surrogate pair"),
        ('{"title": "t", "text": "x", "details": {"\\udfff": 1}}', "key '\\udfff'"),
        (
            '{"title": "t", "text": "x", "details": ' + "[" * 40 + "]" * 40 + "}",
            "nested deeper than 32 levels",
        ),
        ("[" * 100_000 + "]" * 100_000, "nested deeper than 32 levels"),
        # I-JSON names each member once; json.loads would keep the last one silently.
        ('{"title": "t", "text": "x", "title": "u"}', "body: the key 'title' appears twice"),
        (
            '{"title": "t", "text": "x", "details": {"a": [{"n": 1, "n": 2}]}}',
            "body.details.a[0]: the key 'n' appears twice",
        ),
    ],
)
def test_a_body_that_no_store_can_keep_is_refused_naming_where(
    world: World, body: str, where: str
) -> None:
    motions, entries = Motion.objects.count(), RecordEntry.objects.count()
    response = propose(world, body)
    assert response.status_code == 400, response.content
    answer = response.json()
    assert answer["error"] == "invalid"
    assert answer["detail"].startswith("Cannot parse request body: ")
    assert where in answer["detail"]
    assert (Motion.objects.count(), RecordEntry.objects.count()) == (motions, entries)


def test_whole_numbers_within_the_safe_range_are_still_taken(world: World) -> None:
    response = propose(
        world, json.dumps({"title": "t", "text": "x", "details": {"n": 2**53 - 1, "d": "1.5"}})
    )
    assert response.status_code == 201, response.content
    assert response.json()["details"] == {"n": 2**53 - 1, "d": "1.5"}


def test_a_slug_or_token_prefix_holding_a_nul_names_nothing(world: World) -> None:
    client = world.client("member")
    assert client.call("GET", "/bodies/do%00cks").status_code == 404
    tokens = ApiToken.objects.filter(revoked_at__isnull=True).count()
    assert client.call("DELETE", "/tokens/ab%00cd").status_code == 404
    assert ApiToken.objects.filter(revoked_at__isnull=True).count() == tokens
