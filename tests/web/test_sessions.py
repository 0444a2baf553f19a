"""A council session on the pages: its delegates schedule it, draw up and send down its agenda,
open, decide its items and close it; a member body's members propose its mandate on an item and
its ratification of a provisional decision. Each act is offered only to whom it may succeed for;
a refusal is a message and stores nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from frombelow.db.models import Decision, Item, Motion, RecordEntry, Session
from frombelow.services import deciding, sessions, votes
from tests.services.world import Clock, propose
from tests.web.scene import Scene, build

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(clock: Clock) -> Scene:
    return build(clock)


def signed_in(scene: Scene, who: str = "ana", language: str = "en") -> Client:
    client = Client(headers={"accept-language": language})
    member = {"ana": scene.ana, "dolores": scene.dolores}[who]
    assert member.user is not None
    client.force_login(member.user)
    return client


def session_page(scene: Scene, client: Client) -> str:
    return str(client.get(reverse("web:session", args=[scene.session.pk])).text)


def decide_docks_mandate(scene: Scene, clock: Clock) -> None:
    """Let the docks vote their bound mandate yes, and count it."""
    for docker in scene.dockers[:5]:
        votes.cast_ballot(actor=docker, vote=scene.mandate_vote, ranking=[["yes"]])
    clock.advance(days=7)
    deciding.close_vote(actor=scene.ana, vote=scene.mandate_vote)


def test_a_delegate_schedules_a_session_and_sends_its_agenda_down(
    scene: Scene, clock: Clock
) -> None:
    dolores = signed_in(scene, "dolores")
    council = reverse("web:body", args=[scene.council.slug])
    assert "Schedule a session" in dolores.get(council).text
    assert "Schedule a session" not in signed_in(scene).get(council).text  # no delegate
    url = reverse("web:schedule-session", args=[scene.council.slug])
    entries = RecordEntry.objects.count()
    refused = dolores.post(url, {"title": "June", "starts_at": "soon"}, follow=True)
    assert "Refused: the start &#x27;soon&#x27; is not a date and time" in refused.text
    assert RecordEntry.objects.count() == entries
    starts = (clock.now + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M")
    response = dolores.post(url, {"title": "June", "starts_at": starts}, follow=True)
    june = Session.objects.get(title="June")
    assert response.redirect_chain[-1][0] == reverse("web:session", args=[june.pk])
    assert "The session is scheduled." in response.text
    assert "Add an item" in response.text
    motion = propose(scene.council, scene.rosa, "A strike fund")
    assert "A strike fund" in dolores.get(reverse("web:session", args=[june.pk])).text
    # Ana is no delegate: she may read the session, not draw up its agenda.
    add = reverse("web:add-item", args=[june.pk])
    entries = RecordEntry.objects.count()
    refused = signed_in(scene).post(add, {"motion": motion.pk}, follow=True)
    assert "Refused: adding an item: Ana Ruiz is no delegate" in refused.text
    assert "Add an item" not in refused.text
    refused = dolores.post(add, {"motion": "the strike"}, follow=True)
    assert "Refused: choose a motion to put on the agenda, not &#x27;the strike&#x27;" in (
        refused.text
    )
    assert RecordEntry.objects.count() == entries
    assert not Item.objects.filter(session=june).exists()
    added = dolores.post(add, {"motion": motion.pk}, follow=True)
    assert "The motion is on the agenda." in added.text
    assert Item.objects.get(session=june).motion == motion
    sent = dolores.post(reverse("web:send-agenda", args=[june.pk]), follow=True)
    assert "The agenda is sent down" in sent.text
    again = dolores.post(reverse("web:send-agenda", args=[june.pk]), follow=True)
    assert "Refused: the agenda of June was sent at" in again.text
    assert RecordEntry.objects.filter(action="agenda.sent", subject=f"session:{june.pk}").count()


def test_a_member_proposes_their_bodys_mandate_from_the_items_page(scene: Scene) -> None:
    client = signed_in(scene)
    page = session_page(scene, client)
    assert "Propose your body's mandate on this item" in page
    url = reverse("web:propose-mandate", args=[scene.item.pk])
    entries = RecordEntry.objects.count()
    refused = client.post(url, {"body": "docks", "mandate": "maybe"}, follow=True)
    assert "Refused: a mandate is bound, proportional or free, not &#x27;maybe&#x27;" in (
        refused.text
    )
    refused = client.post(url, {"body": "rail-depot", "mandate": "bound"}, follow=True)
    assert "Refused: proposing a motion: Ana Ruiz is not a member of &#x27;rail-depot&#x27;" in (
        refused.text
    )
    assert RecordEntry.objects.count() == entries
    response = client.post(url, {"body": "docks", "mandate": "proportional"}, follow=True)
    made = Motion.objects.filter(kind=Motion.Kind.DECIDE_MANDATE).latest("pk")
    assert response.redirect_chain[-1][0] == reverse("web:motion", args=[made.pk])
    assert made.council_item_id == scene.item.pk
    assert made.details == {"mandate": "proportional"}
    assert made.title == "Our mandate on Strike on the first of May"
    assert made.status == Motion.Status.DRAFT


def test_a_bound_delegation_is_offered_no_cast_and_the_item_is_decided_at_once(
    scene: Scene, clock: Clock
) -> None:
    decide_docks_mandate(scene, clock)
    clock.now = scene.session.starts_at
    dolores = signed_in(scene, "dolores")
    opened = dolores.post(reverse("web:open-session", args=[scene.session.pk]), follow=True)
    assert "The session is open" in opened.text
    # Docks' vote is derived from its bound mandate: every cast would be refused.
    assert "Cast for my delegation" not in opened.text
    assert "not yet voted" not in opened.text
    vote = scene.item.votes.get()
    early = dolores.post(reverse("web:close-session", args=[scene.session.pk]), follow=True)
    assert f"Refused: {scene.session.title} still has votes to count" in early.text
    decided = dolores.post(reverse("web:close-item", args=[vote.pk]), follow=True)
    assert "The item is decided." in decided.text
    assert Decision.objects.filter(vote=vote).exists()
    closed = dolores.post(reverse("web:close-session", args=[scene.session.pk]), follow=True)
    assert "The session is closed." in closed.text


def test_a_delegation_with_no_mandate_is_absent_and_does_not_hold_the_item_open(
    scene: Scene, clock: Clock
) -> None:
    # Issue 11: listed as "not yet voted", it could never cast, and the item could not close.
    clock.now = scene.session.starts_at
    sessions.open_session(actor=scene.dolores, session=scene.session)
    dolores = signed_in(scene, "dolores")
    page = session_page(scene, dolores)
    assert "absent: no mandate to cast on" in page
    assert "not yet voted" not in page
    assert "Cast for my delegation" not in page
    vote = scene.item.votes.get()
    decided = dolores.post(reverse("web:close-item", args=[vote.pk]), follow=True)
    assert "The item is decided." in decided.text


def test_a_free_delegate_casts_once_and_a_provisional_decision_is_put_to_ratification(
    scene: Scene, clock: Clock
) -> None:
    clock.now = scene.session.starts_at
    sessions.open_session(actor=scene.dolores, session=scene.session)
    dolores = signed_in(scene, "dolores")
    new = propose(scene.council, scene.rosa, "A solidarity fund")
    added = dolores.post(
        reverse("web:add-item", args=[scene.session.pk]), {"motion": new.pk}, follow=True
    )
    assert "The motion is on the agenda." in added.text
    item = Item.objects.get(motion=new)
    vote = item.votes.get()
    assert "Cast for my delegation" in added.text  # raised at the session: delegates cast
    dolores.post(reverse("web:delegation-cast", args=[vote.pk]), {"choice": "yes"})
    sessions.cast_for_delegation(actor=scene.rosa, vote=vote, ranking=[["yes"]])
    decided = dolores.post(reverse("web:close-item", args=[vote.pk]), follow=True)
    assert "The item is decided." in decided.text
    decision = Decision.objects.get(vote=vote)
    assert decision.provisional
    client = signed_in(scene)
    assert "Propose that your body ratify it" in session_page(scene, client)
    url = reverse("web:propose-ratify", args=[decision.pk])
    entries = RecordEntry.objects.count()
    refused = client.post(url, {"body": ""}, follow=True)
    assert "Refused: choose the member body whose motion this is" in refused.text
    assert RecordEntry.objects.count() == entries
    response = client.post(url, {"body": "docks"}, follow=True)
    made = Motion.objects.get(kind=Motion.Kind.RATIFY)
    assert response.redirect_chain[-1][0] == reverse("web:motion", args=[made.pk])
    assert made.decision_id == decision.pk
    assert made.body == scene.docks
