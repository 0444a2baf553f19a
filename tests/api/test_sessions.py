"""A council session through the API: its secretary schedules it, draws up its agenda and sends it
down, decides its items and elections and closes it; a member body's mandate and ratification
proposed as its motions, and the ratifications it owes listed; each refusal answered with its
reason, and nothing stored."""

from __future__ import annotations

from datetime import timedelta

import pytest

from frombelow.db.models import Election, Item, Motion, RecordEntry, Session, Term
from tests.api.conftest import World
from tests.services.world import Clock, council_motion

pytestmark = pytest.mark.django_db


def refused(world: World, role: str, method: str, path: str, body: object, status: int) -> str:
    """Send a request that must be refused; check that nothing was recorded; return why."""
    before = RecordEntry.objects.count()
    response = world.client(role).call(method, path, body)
    assert response.status_code == status, response.json()
    assert RecordEntry.objects.count() == before
    detail: str = response.json()["detail"]
    return detail


def test_the_secretary_schedules_a_session_and_sends_its_agenda_down(
    world: World, clock: Clock
) -> None:
    starts = (clock.now + timedelta(days=40)).isoformat()
    naive = refused(
        world,
        "officer",
        "POST",
        "/bodies/federation/sessions",
        {"title": "Spring", "starts_at": "2030-03-01T18:00:00"},
        422,
    )
    assert "time zone" in naive
    sessions_before = Session.objects.count()
    delegate = refused(
        world,
        "delegate",
        "POST",
        "/bodies/federation/sessions",
        {"title": "Spring", "starts_at": starts},
        403,
    )
    assert delegate.startswith(
        "scheduling a session: only the secretary that 'federation' elected may do this"
    )
    assert Session.objects.count() == sessions_before
    made = world.client("officer").call(
        "POST", "/bodies/federation/sessions", {"title": "Spring", "starts_at": starts}
    )
    assert made.status_code == 201
    spring = made.json()
    assert spring["council"] == "federation"
    assert spring["agenda_sent_at"] is None
    assert spring["secretary"] == world.officer.pk
    assert spring["agenda_deadline"] == (clock.now + timedelta(days=40 - 14)).isoformat()
    path = f"/sessions/{spring['id']}"
    empty = refused(world, "officer", "POST", f"{path}/agenda", None, 409)
    assert empty == "an agenda with no items"
    elsewhere = refused(world, "officer", "POST", f"{path}/items", {"motion": world.motion.pk}, 409)
    assert "is a motion of 'docks', not of this council" in elsewhere
    item = world.client("officer").call("POST", f"{path}/items", {"motion": world.spare.pk})
    assert item.status_code == 201
    assert item.json()["motion"] == world.spare.pk
    by_delegate = refused(world, "delegate", "POST", f"{path}/agenda", None, 403)
    assert by_delegate.startswith("sending an agenda: only the secretary")
    assert Session.objects.get(pk=spring["id"]).agenda_sent_at is None
    sent = world.client("officer").call("POST", f"{path}/agenda")
    assert sent.status_code == 200
    assert sent.json()["agenda_sent_at"] is not None
    again = refused(world, "officer", "POST", f"{path}/agenda", None, 409)
    assert again.startswith("the agenda of Spring was sent at")


def test_an_agenda_is_refused_after_the_mandate_deadline(world: World, clock: Clock) -> None:
    late = Session.objects.get(pk=world.drafting.pk)
    clock.now = late.starts_at - timedelta(days=1)
    why = refused(world, "officer", "POST", f"/sessions/{late.pk}/agenda", None, 409)
    assert "14 days before the session" in why
    deadline = late.starts_at - timedelta(days=14)
    assert str(deadline.year) in why.split(", by ")[1]  # the deadline is named
    assert Session.objects.get(pk=late.pk).agenda_sent_at is None


def test_a_member_proposes_their_bodys_mandate_and_its_ratification(world: World) -> None:
    item = world.session.items.get()
    path = f"/items/{item.pk}/mandate-motions"
    kind = refused(world, "member", "POST", path, {"body": "docks", "mandate": "maybe"}, 422)
    assert "bound" in kind
    stranger = refused(world, "member", "POST", path, {"body": "rail", "mandate": "free"}, 403)
    assert "is not a member of 'rail'" in stranger
    made = world.client("member").call(
        "POST", path, {"body": "docks", "mandate": "proportional", "text": "Split it"}
    )
    assert made.status_code == 201
    motion = Motion.objects.get(pk=made.json()["id"])
    assert (motion.kind, motion.council_item_id, motion.details) == (
        Motion.Kind.DECIDE_MANDATE,
        item.pk,
        {"mandate": "proportional"},
    )
    ratify = world.client("member").call(
        "POST", f"/decisions/{world.provisional.pk}/ratify-motions", {"body": "docks"}
    )
    assert ratify.status_code == 201
    assert ratify.json()["kind"] == "ratify"
    binding = refused(
        world,
        "member",
        "POST",
        f"/decisions/{world.decision.pk}/ratify-motions",
        {"body": "docks"},
        409,
    )
    assert "nothing to ratify" in binding


def test_an_item_is_decided_once_every_delegation_that_can_vote_has(
    world: World, clock: Clock
) -> None:
    hearing = world.hearing.items.get()
    by_delegate = refused(world, "delegate", "POST", f"/items/{hearing.pk}/decision", None, 403)
    assert by_delegate.startswith("closing a session's vote: only the secretary")
    decided = world.client("officer").call("POST", f"/items/{hearing.pk}/decision")
    assert decided.status_code == 201
    assert decided.json()["outcome"] == "carried"
    assert decided.json()["provisional"] is True
    # A new matter nobody has cast on yet waits for both delegations.
    new = world.client("officer").call(
        "POST",
        f"/sessions/{world.hearing.pk}/items",
        {"motion": council_motion(world.fed, "A second matter").pk},
    )
    assert new.status_code == 201
    waiting = Item.objects.get(pk=new.json()["id"])
    why = refused(world, "officer", "POST", f"/items/{waiting.pk}/decision", None, 409)
    assert "some delegations have not voted" in why
    unopened = refused(
        world, "officer", "POST", f"/items/{world.session.items.get().pk}/decision", None, 409
    )
    assert "has no vote until the session opens" in unopened
    still = refused(world, "officer", "POST", f"/sessions/{world.hearing.pk}/close", None, 409)
    assert "still has votes to count" in still
    closed = world.client("officer").call("POST", f"/sessions/{world.meeting.pk}/close")
    assert closed.status_code == 200
    assert closed.json()["closed_at"] is not None


def test_the_council_elects_in_session(world: World) -> None:
    hearing = f"/sessions/{world.hearing.pk}"
    read = world.client("member").call("GET", hearing).json()
    (auditor,) = read["elections"]
    assert (auditor["election"], auditor["office"], auditor["decided"]) == (
        world.auditor.pk,
        "auditor",
        False,
    )
    assert auditor["cast_by"] == ["docks", "rail"]
    treasurer = Election.objects.create(
        body=world.fed.council, office="treasurer", seats=1, called_at=world.auditor.called_at
    )
    put = f"{hearing}/elections"
    nobody = refused(world, "officer", "POST", put, {"election": treasurer.pk}, 409)
    assert "no one stands" in nobody
    by_delegate = refused(
        world, "delegate", "POST", f"{hearing}/elections/{world.auditor.pk}/decision", None, 403
    )
    assert by_delegate.startswith("closing a session's vote: only the secretary")
    meeting = f"/sessions/{world.meeting.pk}"
    elsewhere = refused(
        world, "officer", "POST", f"{meeting}/elections/{world.auditor.pk}/decision", None, 409
    )
    assert "is not voted on in Meeting" in elsewhere
    decided = world.client("officer").call(
        "POST", f"{hearing}/elections/{world.auditor.pk}/decision"
    )
    assert decided.status_code == 201
    assert decided.json()["winners"] == [f"{world.member.name} #{world.member.pk}"]
    assert Term.objects.get(body=world.fed.council, office="auditor").holder == world.member


def test_a_member_body_lists_the_ratifications_it_owes(world: World) -> None:
    owed = world.client("member").call("GET", "/bodies/docks/ratifications")
    assert owed.status_code == 200
    (pending,) = owed.json()
    assert pending["decision"] == world.provisional.pk
    assert pending["council"] == "federation"
    assert pending["standing"] == "pending"
    assert world.provisional.ratify_by is not None
    assert pending["ratify_by"] == world.provisional.ratify_by.isoformat()
    assert pending["motion"] is None
    made = world.client("member").call(
        "POST", f"/decisions/{world.provisional.pk}/ratify-motions", {"body": "docks"}
    )
    (pending,) = world.client("member").call("GET", "/bodies/docks/ratifications").json()
    assert (pending["motion"], pending["motion_status"]) == (made.json()["id"], "draft")
