"""What a large assembly or a large request costs the API (issue 16): reading a roll takes as
many queries for thirty members as for five; a body too large is refused."""

from __future__ import annotations

from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from frombelow.services import roll
from tests.api.conftest import World


def _roll_queries(world: World, role: str) -> tuple[int, int]:
    """Return how many members the role reads on docks' roll, and in how many queries."""
    client = world.client(role)
    with CaptureQueriesContext(connection) as queries:
        entries = client.call("GET", "/bodies/docks/members").json()
    return len(entries), len(queries)


def test_reading_a_roll_takes_as_many_queries_for_thirty_members_as_for_five(
    world: World,
) -> None:
    few = {role: _roll_queries(world, role) for role in ("officer", "member")}
    people = "".join(f"Newcomer {i},newcomer{i}@example.org,{100 + i}\n" for i in range(25))
    preview = roll.preview_roll(
        actor=world.officer, assembly=world.docks, data="name,email,member_number\n" + people
    )
    roll.import_roll(actor=world.officer, assembly=world.docks, token=preview.token)
    many = {role: _roll_queries(world, role) for role in ("officer", "member")}
    for role in ("officer", "member"):
        assert many[role][0] == few[role][0] + 25
        # The officer sees every e-mail: whose they see is asked once, not once per member.
        assert many[role][1] == few[role][1], role


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_a_body_over_the_size_limit_is_refused_413_as_json(world: World) -> None:
    path = f"/votes/{world.vote.pk}/ballots"
    response = world.client("member").call("POST", path, {"ranking": [["y" * 2000]]})
    assert response.status_code == 413
    assert response.json()["error"] == "too-large"
    assert "1000 bytes" in response.json()["detail"]


def test_a_refusal_quotes_a_long_rejected_value_cut_short(world: World) -> None:
    path = f"/votes/{world.vote.pk}/ballots"
    response = world.client("member").call("POST", path, {"ranking": [["y" * 100_000]]})
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert "yyyy" in detail  # it still says which value
    assert len(response.content) < 2000
