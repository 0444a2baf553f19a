"""The API answers a refusal in the language the request asks for (Accept-Language).

Every kind of error a client meets is checked in Spanish and in English: a refusal of the rules,
a body that does not match its schema, a body that is not JSON, and no credentials.
"""

from __future__ import annotations

import pytest

from frombelow.db.models import Ballot, RecordEntry
from tests.api.conftest import World

pytestmark = pytest.mark.django_db

SPANISH = {"Accept-Language": "es"}


def test_a_second_ballot_is_refused_in_the_language_asked_for(world: World) -> None:
    client = world.client("member")
    path = f"/votes/{world.vote.pk}/ballots"
    assert client.call("POST", path, {"ranking": [["yes"]]}).status_code == 201
    entries = RecordEntry.objects.count()
    spanish = client.call("POST", path, {"ranking": [["no"]]}, **SPANISH)
    english = client.call("POST", path, {"ranking": [["no"]]}, **{"Accept-Language": "en"})
    assert spanish.status_code == english.status_code == 409
    assert spanish.json()["error"] == english.json()["error"] == "conflict"
    assert "already voted" in english.json()["detail"]
    assert "already voted" not in spanish.json()["detail"]
    assert "ya" in spanish.json()["detail"]
    assert Ballot.objects.get(vote=world.vote).ranking == [["yes"]]
    assert RecordEntry.objects.count() == entries


def test_a_body_missing_a_field_is_refused_in_spanish_naming_the_field(world: World) -> None:
    response = world.client("member").call("POST", f"/votes/{world.vote.pk}/ballots", {}, **SPANISH)
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert detail.startswith("la petición no se ajusta a su esquema: ")
    assert (
        "body.data.ranking: este campo es obligatorio" in detail or "ranking: este campo" in detail
    )


def test_a_body_that_is_not_json_is_refused_in_spanish(world: World) -> None:
    client = world.client("member")
    response = client.client.post(
        f"/api/v1/votes/{world.vote.pk}/ballots",
        data='{"ranking": [["yes"]], "n": 1.5}',
        content_type="application/json",
        headers={**client.headers, **SPANISH},
    )
    assert response.status_code == 400
    assert response.json()["detail"] == (
        "No se puede leer el cuerpo de la petición: body.n: 1.5 no es un número entero; "
        "escribe los decimales exactos como texto"
    )
    assert not Ballot.objects.filter(vote=world.vote).exists()


def test_a_request_without_credentials_is_told_so_in_spanish(world: World) -> None:
    response = world.client("anonymous").call("GET", "/me", **SPANISH)
    assert response.status_code == 401
    assert response.json()["detail"].startswith("faltan credenciales")
