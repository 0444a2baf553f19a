"""A council session on the pages: its elected secretary schedules it, draws up and sends down its
agenda, opens it, decides its items and elections and closes it; its delegates cast; a member
body's members propose its mandate on an item and, from their body's page, its ratification of a
provisional decision. Each act is offered only to whom it may succeed for; a refusal is a message
and stores nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from frombelow.db.models import Decision, Election, Item, Motion, RecordEntry, Session, Term
from frombelow.services import deciding, elections, sessions, votes
from tests.services.world import Clock, propose
from tests.web.scene import Scene

pytestmark = pytest.mark.django_db


def signed_in(scene: Scene, who: str = "ana", language: str = "en") -> Client:
    client = Client(headers={"accept-language": language})
    member = {"ana": scene.ana, "dolores": scene.dolores, "carmen": scene.carmen}[who]
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


def test_the_secretary_schedules_a_session_and_sends_its_agenda_down(
    scene: Scene, clock: Clock
) -> None:
    carmen, dolores = signed_in(scene, "carmen"), signed_in(scene, "dolores")
    council = reverse("web:body", args=[scene.council.slug])
    assert "Schedule a session" in carmen.get(council).text
    assert "Schedule a session" not in dolores.get(council).text  # a delegate, no secretary
    assert "Schedule a session" not in signed_in(scene).get(council).text
    url = reverse("web:schedule-session", args=[scene.council.slug])
    entries = RecordEntry.objects.count()
    starts = (clock.now + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M")
    refused = dolores.post(url, {"title": "June", "starts_at": starts}, follow=True)
    assert (
        "Refused: scheduling a session: only the secretary that &#x27;transport&#x27; elected "
        "may do this, and Dolores Ibárruri holds no such term"
    ) in refused.text
    refused = carmen.post(url, {"title": "June", "starts_at": "soon"}, follow=True)
    assert "Refused: the start &#x27;soon&#x27; is not a date and time" in refused.text
    assert RecordEntry.objects.count() == entries
    assert not Session.objects.filter(title="June").exists()
    response = carmen.post(url, {"title": "June", "starts_at": starts}, follow=True)
    june = Session.objects.get(title="June")
    assert response.redirect_chain[-1][0] == reverse("web:session", args=[june.pk])
    assert "The session is scheduled." in response.text
    assert "Add an item" in response.text
    motion = propose(scene.council, scene.rosa, "A strike fund")
    assert "A strike fund" in carmen.get(reverse("web:session", args=[june.pk])).text
    # Dolores is a delegate, no secretary: she may read the session, not draw up its agenda.
    add = reverse("web:add-item", args=[june.pk])
    entries = RecordEntry.objects.count()
    refused = dolores.post(add, {"motion": motion.pk}, follow=True)
    assert "Refused: adding an item: only the secretary" in refused.text
    assert "Add an item" not in refused.text
    refused = carmen.post(add, {"motion": "the strike"}, follow=True)
    assert "Refused: choose a motion to put on the agenda, not &#x27;the strike&#x27;" in (
        refused.text
    )
    assert RecordEntry.objects.count() == entries
    assert not Item.objects.filter(session=june).exists()
    added = carmen.post(add, {"motion": motion.pk}, follow=True)
    assert "The motion is on the agenda." in added.text
    assert Item.objects.get(session=june).motion == motion
    assert "Send the agenda down" not in dolores.get(reverse("web:session", args=[june.pk])).text
    refused = dolores.post(reverse("web:send-agenda", args=[june.pk]), follow=True)
    assert "Refused: sending an agenda: only the secretary" in refused.text
    assert Session.objects.get(pk=june.pk).agenda_sent_at is None
    sent = carmen.post(reverse("web:send-agenda", args=[june.pk]), follow=True)
    assert "The agenda is sent down" in sent.text
    again = carmen.post(reverse("web:send-agenda", args=[june.pk]), follow=True)
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
    carmen, dolores = signed_in(scene, "carmen"), signed_in(scene, "dolores")
    assert "Open the session" not in session_page(scene, dolores)
    opened = carmen.post(reverse("web:open-session", args=[scene.session.pk]), follow=True)
    assert "The session is open" in opened.text
    # Docks' vote is derived from its bound mandate: every cast would be refused.
    page = session_page(scene, dolores)
    assert "Cast for my delegation" not in page
    assert "not yet voted" not in page
    assert "Decide the item" not in page  # the secretary's
    vote = scene.item.votes.get()
    early = carmen.post(reverse("web:close-session", args=[scene.session.pk]), follow=True)
    assert f"Refused: {scene.session.title} still has votes to count" in early.text
    refused = dolores.post(reverse("web:close-item", args=[vote.pk]), follow=True)
    assert "Refused: closing a session&#x27;s vote: only the secretary" in refused.text
    assert not Decision.objects.filter(vote=vote).exists()
    decided = carmen.post(reverse("web:close-item", args=[vote.pk]), follow=True)
    assert "The item is decided." in decided.text
    assert Decision.objects.filter(vote=vote).exists()
    closed = carmen.post(reverse("web:close-session", args=[scene.session.pk]), follow=True)
    assert "The session is closed." in closed.text


def test_a_delegation_with_no_mandate_is_absent_and_does_not_hold_the_item_open(
    scene: Scene, clock: Clock
) -> None:
    # Issue 11: listed as "not yet voted", it could never cast, and the item could not close.
    clock.now = scene.session.starts_at
    sessions.open_session(actor=scene.carmen, session=scene.session)
    page = session_page(scene, signed_in(scene, "dolores"))
    assert "absent: no mandate to cast on" in page
    assert "not yet voted" not in page
    assert "Cast for my delegation" not in page
    vote = scene.item.votes.get()
    carmen = signed_in(scene, "carmen")
    decided = carmen.post(reverse("web:close-item", args=[vote.pk]), follow=True)
    assert "The item is decided." in decided.text


def test_a_free_delegate_casts_once_and_a_provisional_decision_is_put_to_ratification(
    scene: Scene, clock: Clock
) -> None:
    clock.now = scene.session.starts_at
    sessions.open_session(actor=scene.carmen, session=scene.session)
    carmen, dolores = signed_in(scene, "carmen"), signed_in(scene, "dolores")
    new = propose(scene.council, scene.rosa, "A solidarity fund")
    added = carmen.post(
        reverse("web:add-item", args=[scene.session.pk]), {"motion": new.pk}, follow=True
    )
    assert "The motion is on the agenda." in added.text
    assert "Cast for my delegation" not in added.text  # the secretary sits for no delegation
    item = Item.objects.get(motion=new)
    vote = item.votes.get()
    # Raised at the session: the delegates cast.
    assert "Cast for my delegation" in session_page(scene, dolores)
    dolores.post(reverse("web:delegation-cast", args=[vote.pk]), {"choice": "yes"})
    sessions.cast_for_delegation(actor=scene.rosa, vote=vote, ranking=[["yes"]])
    decided = carmen.post(reverse("web:close-item", args=[vote.pk]), follow=True)
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


def test_the_member_bodys_page_shows_the_ratification_it_owes_with_its_deadline(
    scene: Scene, clock: Clock
) -> None:
    clock.now = scene.session.starts_at
    sessions.open_session(actor=scene.carmen, session=scene.session)
    new = propose(scene.council, scene.rosa, "A solidarity fund")
    vote = sessions.add_item(actor=scene.carmen, session=scene.session, motion=new).votes.get()
    for delegate in (scene.dolores, scene.rosa):
        sessions.cast_for_delegation(actor=delegate, vote=vote, ranking=[["yes"]])
    decision = deciding.close_session_vote(actor=scene.carmen, vote=vote)
    assert decision.provisional
    assert decision.ratify_by is not None
    ana = signed_in(scene)
    docks = reverse("web:body", args=[scene.docks.slug])
    page = ana.get(docks).text
    assert "Ratifications asked of us" in page
    assert "A solidarity fund" in page
    assert "ratify by" in page
    assert "Propose that we ratify it" in page
    response = ana.post(
        reverse("web:propose-ratify", args=[decision.pk]),
        {"body": "docks", "next": docks},
        follow=True,
    )
    made = Motion.objects.get(kind=Motion.Kind.RATIFY)
    assert response.redirect_chain[-1][0] == reverse("web:motion", args=[made.pk])
    page = ana.get(docks).text
    assert "Our motion: Ratify A solidarity fund" in page
    assert "Propose that we ratify it" not in page  # one motion at a time
    spanish = signed_in(scene, language="es").get(docks).text
    assert "Ratificaciones que se nos piden" in spanish
    # The council's own page asks nothing of the council itself.
    assert (
        "Ratifications asked of us"
        not in ana.get(reverse("web:body", args=[scene.council.slug])).text
    )


def test_the_council_elects_in_session_from_the_sessions_page(scene: Scene, clock: Clock) -> None:
    clock.now = scene.session.starts_at
    sessions.open_session(actor=scene.carmen, session=scene.session)
    election = elections.call_election(actor=scene.dolores, body=scene.council, office="treasurer")
    elections.stand(actor=scene.ana, election=election)
    carmen, dolores = signed_in(scene, "carmen"), signed_in(scene, "dolores")
    assert "Put an election to the session" not in session_page(scene, dolores)
    page = session_page(scene, carmen)
    assert "Put an election to the session" in page
    url = reverse("web:put-election", args=[scene.session.pk])
    entries = RecordEntry.objects.count()
    refused = dolores.post(url, {"election": election.pk}, follow=True)
    assert "Refused: opening an election in session: only the secretary" in refused.text
    refused = carmen.post(url, {"election": "treasurer"}, follow=True)
    assert "Refused: choose an election to put to the session" in refused.text
    assert RecordEntry.objects.count() == entries
    put = carmen.post(url, {"election": election.pk}, follow=True)
    assert "The election is put to the session" in put.text
    vote = Election.objects.get(pk=election.pk).vote
    assert vote is not None
    assert vote.session_id == scene.session.pk
    page = session_page(scene, dolores)
    assert "Elections in this session" in page
    assert "Cast for my delegation" in page
    dolores.post(reverse("web:delegation-cast", args=[vote.pk]), {"choice": vote.options[0]})
    sessions.cast_for_delegation(actor=scene.rosa, vote=vote, ranking=[[vote.options[0]]])
    decided = carmen.post(reverse("web:close-item", args=[vote.pk]), follow=True)
    assert "The election is decided." in decided.text
    assert "Elected" in decided.text
    assert Term.objects.get(body=scene.council, office="treasurer").holder == scene.ana


def test_a_council_without_a_secretary_is_offered_only_a_meeting_to_elect_one(
    scene: Scene, clock: Clock
) -> None:
    term = Term.objects.get(body=scene.council, office="secretary")
    clock.advance(days=3)
    # Carmen resigns; no substitute stood, so the office is empty until the council elects.
    assert elections.resign(actor=scene.carmen, term=term) is None
    dolores, carmen = signed_in(scene, "dolores"), signed_in(scene, "carmen")
    council = reverse("web:body", args=[scene.council.slug])
    assert "Schedule a session" in dolores.get(council).text
    assert "Schedule a session" not in carmen.get(council).text
    url = reverse("web:schedule-session", args=[scene.council.slug])
    entries = RecordEntry.objects.count()
    refused = carmen.post(
        url, {"title": "Late", "starts_at": clock.now.strftime("%Y-%m-%dT%H:%M")}, follow=True
    )
    assert "term as secretary of &#x27;transport&#x27; ended at" in refused.text
    assert RecordEntry.objects.count() == entries
    starts = clock.now.strftime("%Y-%m-%dT%H:%M")
    made = dolores.post(url, {"title": "To elect", "starts_at": starts}, follow=True)
    assert "The session is scheduled." in made.text
    assert "The council has no secretary in office" in made.text
    assert "Add an item" not in made.text  # the agenda is a secretary's
    assert "Open the session" in made.text
