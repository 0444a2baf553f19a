"""A council session through the API: scheduled, its agenda drawn up and sent down, a member
body's mandate and ratification proposed as its motions, an item decided, the session closed;
each refusal answered with its reason, and nothing stored."""

from __future__ import annotations

from datetime import timedelta

import pytest

from frombelow.db.models import Item, Motion, RecordEntry, Session
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


def test_a_delegate_schedules_a_session_and_sends_its_agenda_down(
    world: World, clock: Clock
) -> None:
    starts = (clock.now + timedelta(days=40)).isoformat()
    naive = refused(
        world,
        "delegate",
        "POST",
        "/bodies/federation/sessions",
        {"title": "Spring", "starts_at": "2030-03-01T18:00:00"},
        422,
    )
    assert "time zone" in naive
    made = world.client("delegate").call(
        "POST", "/bodies/federation/sessions", {"title": "Spring", "starts_at": starts}
    )
    assert made.status_code == 201
    spring = made.json()
    assert spring["council"] == "federation"
    assert spring["agenda_sent_at"] is None
    path = f"/sessions/{spring['id']}"
    empty = refused(world, "delegate", "POST", f"{path}/agenda", None, 409)
    assert empty == "an agenda with no items"
    elsewhere = refused(
        world, "delegate", "POST", f"{path}/items", {"motion": world.motion.pk}, 409
    )
    assert "is a motion of 'docks', not of this council" in elsewhere
    item = world.client("delegate").call("POST", f"{path}/items", {"motion": world.spare.pk})
    assert item.status_code == 201
    assert item.json()["motion"] == world.spare.pk
    sent = world.client("delegate").call("POST", f"{path}/agenda")
    assert sent.status_code == 200
    assert sent.json()["agenda_sent_at"] is not None
    again = refused(world, "delegate", "POST", f"{path}/agenda", None, 409)
    assert again.startswith("the agenda of Spring was sent at")


def test_an_agenda_is_refused_after_the_mandate_deadline(world: World, clock: Clock) -> None:
    late = Session.objects.get(pk=world.drafting.pk)
    clock.now = late.starts_at - timedelta(days=1)
    why = refused(world, "delegate", "POST", f"/sessions/{late.pk}/agenda", None, 409)
    assert "14 days before the session" in why
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
    decided = world.client("delegate").call("POST", f"/items/{hearing.pk}/decision")
    assert decided.status_code == 201
    assert decided.json()["outcome"] == "carried"
    assert decided.json()["provisional"] is True
    # A new matter nobody has cast on yet waits for both delegations.
    new = world.client("delegate").call(
        "POST",
        f"/sessions/{world.hearing.pk}/items",
        {"motion": council_motion(world.fed, "A second matter").pk},
    )
    assert new.status_code == 201
    waiting = Item.objects.get(pk=new.json()["id"])
    why = refused(world, "delegate", "POST", f"/items/{waiting.pk}/decision", None, 409)
    assert "some delegations have not voted" in why
    unopened = refused(
        world, "delegate", "POST", f"/items/{world.session.items.get().pk}/decision", None, 409
    )
    assert "has no vote until the session opens" in unopened
    still = refused(world, "delegate", "POST", f"/sessions/{world.hearing.pk}/close", None, 409)
    assert "still has votes to count" in still
    closed = world.client("delegate").call("POST", f"/sessions/{world.meeting.pk}/close")
    assert closed.status_code == 200
    assert closed.json()["closed_at"] is not None
