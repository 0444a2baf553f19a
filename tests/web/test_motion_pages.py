"""A motion's way to a decision on the pages: each form is offered only to whom may use it, acts
through its service, and a refusal is a message in the reader's language with nothing stored."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from frombelow.db.models import (
    Amendment,
    Decision,
    Member,
    Motion,
    ProgressReport,
    RecordEntry,
    Support,
    Vote,
)
from frombelow.services import deciding, motions, votes
from frombelow.services.standing import SECRETARY
from tests.services.world import Clock, elect_one
from tests.web.scene import Scene, build

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(clock: Clock) -> Scene:
    return build(clock)


def signed_in(member: Member, language: str = "en") -> Client:
    client = Client(headers={"accept-language": language})
    assert member.user is not None
    client.force_login(member.user)
    return client


def draft(scene: Scene, **kwargs: Any) -> Motion:
    """Return a draft of the docks proposed by Dolores."""
    return motions.propose_motion(
        actor=scene.dolores,
        body=scene.docks,
        title=kwargs.pop("title", "Night shifts"),
        text=kwargs.pop("text", "No one works two nights running."),
        **kwargs,
    )


def page(motion: Motion) -> str:
    return reverse("web:motion", args=[motion.pk])


def refused(client: Client, url: str, data: dict[str, Any], reason: str) -> None:
    """Post a form that the service refuses; see the reason and that nothing was recorded."""
    entries = RecordEntry.objects.count()
    response = client.post(url, data, follow=True)
    assert reason in response.text, response.text
    assert RecordEntry.objects.count() == entries


def test_a_member_proposes_a_draft_from_the_body_page(scene: Scene) -> None:
    client = signed_in(scene.ana)
    body_page = client.get(reverse("web:body", args=[scene.docks.slug])).text
    assert "Propose a motion" in body_page
    response = client.post(
        reverse("web:propose", args=[scene.docks.slug]),
        {
            "title": "A canteen",
            "text": "We open a canteen.",
            "implementers": [str(scene.ana.pk)],
            "implement_by": "2027-03-01",
            "opt_out_allowed": "on",
        },
        follow=True,
    )
    made = Motion.objects.get(title="A canteen")
    assert response.redirect_chain[-1][0] == page(made)
    assert "Your motion is proposed." in response.text
    assert (made.status, made.proposer, made.opt_out_allowed) == ("draft", scene.ana, True)
    assert list(made.implementers.all()) == [scene.ana]
    assert made.implement_by == date(2027, 3, 1)
    # Ana is no delegate: the council's page offers her no proposal.
    council_page = client.get(reverse("web:body", args=[scene.council.slug])).text
    assert "Propose a motion" not in council_page


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        ({"title": " ", "text": "x"}, "a motion needs a title"),
        ({"title": "T", "text": "x", "implement_by": "soon"}, "implement_by: &#x27;soon&#x27;"),
        ({"title": "T", "text": "x", "implementers": ["999999"]}, "there is no member 999999"),
    ],
)
def test_a_bad_proposal_is_refused_saying_what_and_stores_nothing(
    scene: Scene, data: dict[str, Any], reason: str
) -> None:
    motions_before = Motion.objects.count()
    refused(signed_in(scene.ana), reverse("web:propose", args=[scene.docks.slug]), data, reason)
    assert Motion.objects.count() == motions_before


def test_the_proposer_edits_the_draft_and_no_one_else_is_offered_it(scene: Scene) -> None:
    motion = draft(scene)
    assert "Edit your draft" not in signed_in(scene.ana).get(page(motion)).text
    refused(
        signed_in(scene.ana),
        reverse("web:edit-motion", args=[motion.pk]),
        {"title": "Mine now", "text": "x"},
        "Refused: editing a motion is the proposer&#x27;s act",
    )
    client = signed_in(scene.dolores)
    assert "Edit your draft" in client.get(page(motion)).text
    response = client.post(
        reverse("web:edit-motion", args=[motion.pk]),
        {"title": "Night shifts, again", "text": "Never two nights running."},
        follow=True,
    )
    assert "Your draft is changed." in response.text
    motion.refresh_from_db()
    assert motion.title == "Night shifts, again"
    assert RecordEntry.objects.filter(action="motion.edited").count() == 1


def test_a_member_supports_and_the_proposer_submits_then_withdraws(scene: Scene) -> None:
    motion = draft(scene)
    ana = signed_in(scene.ana)
    assert "Support this motion" in ana.get(page(motion)).text
    assert "Submit for debate" not in ana.get(page(motion)).text
    response = ana.post(reverse("web:support", args=[motion.pk]), follow=True)
    assert "Your support is recorded." in response.text
    assert "Support this motion" not in response.text  # once is enough
    refused(ana, reverse("web:support", args=[motion.pk]), {}, "already supports")
    assert Support.objects.filter(motion=motion).count() == 1
    dolores = signed_in(scene.dolores)
    response = dolores.post(reverse("web:submit", args=[motion.pk]), follow=True)
    assert "The motion is submitted for debate." in response.text
    refused(ana, reverse("web:withdraw-motion", args=[motion.pk]), {}, "proposer&#x27;s act")
    response = dolores.post(reverse("web:withdraw-motion", args=[motion.pk]), follow=True)
    assert "The motion is withdrawn." in response.text
    motion.refresh_from_db()
    assert motion.status == Motion.Status.WITHDRAWN


def test_an_amendment_is_proposed_put_to_the_vote_or_withdrawn(scene: Scene, clock: Clock) -> None:
    motion = motions.submit_motion(actor=scene.dolores, motion=draft(scene))
    ana = signed_in(scene.ana)
    assert "Propose an amendment" in ana.get(page(motion)).text
    ana.post(reverse("web:amend", args=[motion.pk]), {"text": "One night in three."})
    ana.post(reverse("web:amend", args=[motion.pk]), {"text": "One night in four."})
    first, second = Amendment.objects.filter(motion=motion).order_by("pk")
    text = ana.get(page(motion)).text
    assert "Withdraw my amendment" in text
    assert "Its amendments are decided first." in text
    refused(
        signed_in(scene.dolores),
        reverse("web:withdraw-amendment", args=[second.pk]),
        {},
        "its proposer&#x27;s act",
    )
    ana.post(reverse("web:withdraw-amendment", args=[second.pk]))
    second.refresh_from_db()
    assert second.status == Amendment.Status.WITHDRAWN
    closes = (clock.now + timedelta(days=4)).strftime("%Y-%m-%dT%H:%M")
    response = ana.post(
        reverse("web:put-amendment", args=[first.pk]),
        {"mode": "online", "closes_at": closes, "ballot_kind": "open"},
        follow=True,
    )
    assert "The amendment is put to the vote." in response.text
    vote = Vote.objects.get(amendment=first)
    assert "Cast my ballot" in response.text
    ana.post(reverse("web:cast", args=[vote.pk]), {"choice": "yes"})
    assert vote.closes_at is not None
    clock.now = vote.closes_at
    ana.post(reverse("web:count", args=[vote.pk]), {"next": page(motion)})
    first.refresh_from_db()
    motion.refresh_from_db()
    assert (first.status, motion.text) == ("carried", "One night in three.")


def test_a_vote_sooner_than_the_statute_allows_is_refused_saying_the_earliest(
    scene: Scene, clock: Clock
) -> None:
    motion = motions.submit_motion(actor=scene.dolores, motion=draft(scene))
    ana = signed_in(scene.ana, language="es")
    form = ana.get(page(motion)).text
    assert "Someterla a votación" in form
    assert 'value="meeting"' not in form  # only the secretary puts a vote to a meeting
    earliest = (clock.now + timedelta(hours=72)).strftime("%Y-%m-%d %H:%M")
    soon = (clock.now + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    refused(
        ana,
        reverse("web:put-motion", args=[motion.pk]),
        {"mode": "online", "closes_at": soon},
        f"Rechazado: el estatuto de &#x27;docks&#x27; mantiene una votación abierta al menos 72 "
        f"horas: puede cerrarse a las {earliest} UTC como pronto",
    )
    refused(
        ana,
        reverse("web:put-motion", args=[motion.pk]),
        {"mode": "online", "closes_at": "tomorrow"},
        "closes_at: &#x27;tomorrow&#x27;",
    )
    refused(
        ana,
        reverse("web:put-motion", args=[motion.pk]),
        {"mode": "meeting"},
        "Rechazado:",
    )
    motion.refresh_from_db()
    assert motion.status == Motion.Status.SUBMITTED
    assert not Vote.objects.filter(motion=motion).exists()


def test_the_secretary_puts_it_to_a_meeting_and_enters_the_tally(
    scene: Scene, clock: Clock
) -> None:
    elect_one(clock, scene.docks, SECRETARY, scene.ana, scene.dockers)
    motion = motions.submit_motion(actor=scene.dolores, motion=draft(scene))
    ana = signed_in(scene.ana)
    assert 'value="meeting"' in ana.get(page(motion)).text
    ana.post(reverse("web:put-motion", args=[motion.pk]), {"mode": "meeting"})
    vote = Vote.objects.get(motion=motion)
    assert vote.mode == Vote.Mode.MEETING
    assert "Enter the tally and count" in ana.get(page(motion)).text
    assert "Enter the tally and count" not in signed_in(scene.dolores).get(page(motion)).text
    present = [str(m.pk) for m in scene.dockers[:5]]
    refused(
        signed_in(scene.dolores),
        reverse("web:enter-tally", args=[vote.pk]),
        {"present": present, "count-0": "3", "count-1": "1", "next": page(motion)},
        "Refused:",
    )
    refused(
        ana,
        reverse("web:enter-tally", args=[vote.pk]),
        {"present": present, "count-0": "5", "count-1": "1", "next": page(motion)},
        "6 ballots counted, but only 5 members attended",
    )
    assert not Decision.objects.filter(vote=vote).exists()
    response = ana.post(
        reverse("web:enter-tally", args=[vote.pk]),
        {"present": present, "count-0": "3", "count-1": "1", "next": page(motion)},
        follow=True,
    )
    assert "The meeting&#x27;s tally is entered and the vote counted." in response.text
    decision = Decision.objects.get(vote=vote)
    assert (decision.outcome, decision.turnout) == ("carried", 5)


def test_the_implementer_reports_progress_and_a_passed_date_shows_overdue(
    scene: Scene, clock: Clock
) -> None:
    motion = draft(scene, implementers=[scene.ana], implement_by=clock.now.date() + timedelta(10))
    motions.submit_motion(actor=scene.dolores, motion=motion)
    vote = votes.open_vote(
        actor=scene.dolores, motion=motion, closes_at=clock.now + timedelta(days=3)
    )
    for voter in scene.dockers[:3]:
        votes.cast_ballot(actor=voter, vote=vote, ranking=[["yes"]])
    clock.advance(days=3)
    decision = deciding.close_vote(actor="system", vote=vote)
    assert "Report on your progress" not in signed_in(scene.dolores).get(page(motion)).text
    refused(
        signed_in(scene.dolores),
        reverse("web:report-progress", args=[decision.pk]),
        {"text": "I did it"},
        "was not named to carry out this decision",
    )
    ana = signed_in(scene.ana)
    assert "Report on your progress" in ana.get(page(motion)).text
    response = ana.post(
        reverse("web:report-progress", args=[decision.pk]),
        {"text": "The rota is drafted."},
        follow=True,
    )
    assert "Your report is recorded." in response.text
    assert "The rota is drafted." in response.text
    assert ProgressReport.objects.get().author == scene.ana
    assert "overdue" not in response.text
    clock.advance(days=11)
    assert "overdue" in ana.get(page(motion)).text
    assert "atrasada" in signed_in(scene.ana, language="es").get(page(motion)).text
    ana.post(reverse("web:report-progress", args=[decision.pk]), {"text": "Done", "done": "on"})
    assert "overdue" not in ana.get(page(motion)).text
