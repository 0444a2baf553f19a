"""The roll in the API: preview names each bad row and stores nothing; import admits all or none;
the export is the CSV the document names; the officer sends an invitation again. Every JSON answer
is checked against the document."""

from __future__ import annotations

import pytest
from django.core import mail

from frombelow.core.roll import parse_roll
from frombelow.db.models import Member, Membership, RecordEntry
from frombelow.services import invites
from tests.api.conftest import World

pytestmark = pytest.mark.django_db

ROLL = "name,email,member_number\nOlga Paz,olga@example.org,40\n,x@example.org,\nPau,pau@,\n"


def test_a_preview_names_each_bad_row_by_line_and_stores_nothing(world: World) -> None:
    entries = RecordEntry.objects.count()
    answer = world.client("officer").call("POST", "/bodies/docks/roll/preview", {"csv": ROLL})
    assert answer.status_code == 200
    body = answer.json()
    assert [r["name"] for r in body["admit"]] == ["Olga Paz"]
    assert [(r["line"], r["reason"]) for r in body["refused"]] == [
        (3, "missing-name"),
        (4, "bad-email"),
    ]
    assert body["refused"][1]["detail"] == "line 4: 'pau@' is no e-mail address"
    assert RecordEntry.objects.count() == entries


def test_the_import_admits_the_preview_once(world: World) -> None:
    client = world.client("officer")
    answer = client.call("POST", "/bodies/docks/roll/import", {"token": world.roll_token})
    assert answer.status_code == 201
    (admitted,) = answer.json()["admitted"]
    assert admitted["name"] == "Nuria Vega"
    assert Membership.objects.get(member_id=admitted["id"], assembly=world.docks).member_number == (
        "31"
    )
    again = client.call("POST", "/bodies/docks/roll/import", {"token": world.roll_token})
    assert again.status_code == 422
    assert "already on the roll" in again.json()["detail"]


@pytest.mark.parametrize(
    ("body", "status", "words"),
    [
        ({"csv": "name,phone\nOlga,5\n"}, 422, "line 1: the header names a column 'phone'"),
        ({"csv": ""}, 422, "csv"),
        ({}, 422, "csv"),
    ],
)
def test_a_roll_that_cannot_be_read_is_refused_with_why(
    world: World, body: dict[str, str], status: int, words: str
) -> None:
    members = Member.objects.count()
    answer = world.client("officer").call("POST", "/bodies/docks/roll/preview", body)
    assert answer.status_code == status
    assert words in answer.json()["detail"]
    assert Member.objects.count() == members


def test_a_forged_token_admits_no_one(world: World) -> None:
    members = Member.objects.count()
    answer = world.client("officer").call(
        "POST", "/bodies/docks/roll/import", {"token": world.roll_token + "x"}
    )
    assert answer.status_code == 422
    assert "not one this installation issued" in answer.json()["detail"]
    assert Member.objects.count() == members


def test_a_preview_made_for_one_assembly_does_not_import_into_another(world: World) -> None:
    answer = world.client("officer").call(
        "POST", "/bodies/rail/roll/import", {"token": world.roll_token}
    )
    assert answer.status_code == 403  # the docks' officer keeps no other roll


def test_the_export_is_the_roll_as_csv(world: World) -> None:
    answer = world.client("officer").call("GET", "/bodies/docks/roll.csv")
    assert answer["Content-Type"] == "text/csv; charset=utf-8"
    rows = parse_roll(answer.content.decode()).rows
    assert sorted(r.name for r in rows) == sorted(m.name for m in world.fed.members["docks"])


def test_the_officer_sends_an_invitation_again_and_is_told_why_not_in_the_readers_language(
    world: World,
) -> None:
    client = world.client("officer")
    client.call("POST", "/bodies/docks/roll/import", {"token": world.roll_token})
    nuria = Member.objects.get(name="Nuria Vega")
    assert invites.send_due_invitations() == 1
    path = f"/bodies/docks/roll/members/{nuria.pk}/invitation"
    answer = client.call("POST", path)
    assert answer.status_code == 202
    assert answer.json() == {"done": "invitation.due", "id": str(nuria.pk)}
    assert invites.send_due_invitations() == 1
    assert [m.to for m in mail.outbox] == [["nuria@example.org"]] * 2
    # A member with no address: nothing to send, said in Spanish to a Spanish reader.
    plain = world.fed.members["docks"][0]
    refused = client.call(
        "POST", f"/bodies/docks/roll/members/{plain.pk}/invitation", accept_language="es"
    )
    assert refused.status_code == 422
    assert refused.json()["detail"] == (
        f"{plain.name} no tiene dirección de correo a la que enviar una invitación"
    )
