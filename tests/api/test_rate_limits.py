"""The API answers 429 to casts and signatures beyond their rate, and stores nothing for them."""

from __future__ import annotations

import json

from django.test import Client, override_settings

from frombelow.db.models import Ballot, Signature
from tests.api.conftest import World, signable_petition


@override_settings(FROMBELOW_RATES={"cast": "2/m", "sign": "1/m"})
def test_the_api_refuses_casts_and_signatures_beyond_the_rate_and_stores_nothing(
    world: World,
) -> None:
    headers = {"Authorization": f"Bearer {world.tokens['member']}"}
    client = Client()
    path = f"/api/v1/votes/{world.vote.pk}/ballots"
    body = json.dumps({"ranking": [["yes"]]})
    answers = [
        client.post(path, body, content_type="application/json", headers=headers) for _ in range(3)
    ]
    assert [a.status_code for a in answers] == [201, 409, 429]
    assert Ballot.objects.filter(vote=world.vote).count() == 1
    assert answers[2].json()["error"] == "rate_limited"

    signing = f"/api/v1/petitions/{signable_petition(world)}/signatures"
    signatures = Signature.objects.count()
    assert client.post(signing, headers=headers).status_code == 201
    refused = client.post(signing, headers=headers)
    assert refused.status_code == 429
    assert Signature.objects.count() == signatures + 1


@override_settings(FROMBELOW_RATES={"cast": "1/m", "sign": "1/m"})
def test_the_refusals_beyond_the_rate_are_answers_the_document_describes(world: World) -> None:
    # `call` checks every answer's status and body against the served OpenAPI document.
    member = world.client("member")
    casting = f"/votes/{world.vote.pk}/ballots"
    assert member.call("POST", casting, {"ranking": [["yes"]]}).status_code == 201
    assert member.call("POST", casting, {"ranking": [["no"]]}).status_code == 429
    signing = f"/petitions/{signable_petition(world)}/signatures"
    assert member.call("POST", signing).status_code == 201
    assert member.call("POST", signing).status_code == 429
