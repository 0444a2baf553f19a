"""A motion's way to a decision on the pages: each form is offered only to whom may use it, acts
through its service, and a refusal is a message in the reader's language with nothing stored."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.formats import date_format

from frombelow.core.statutes import Statute
from frombelow.db.models import (
    Amendment,
    Ballot,
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
from tests.services.world import Clock, assembly, elect_one, open_at_once, people, propose
from tests.web.scene import Scene, account

pytestmark = pytest.mark.django_db


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


def secretary_ana(scene: Scene, clock: Clock) -> None:
    """Elect Ana the docks' secretary, who puts their motions to the vote."""
    elect_one(clock, scene.docks, SECRETARY, scene.ana, scene.dockers)


def test_an_amendment_is_proposed_put_to_the_vote_or_withdrawn(scene: Scene, clock: Clock) -> None:
    secretary_ana(scene, clock)
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
    # Members have the statute's notice of it first: the secretary is told from when.
    assert "you may put it to the vote from" in ana.get(page(motion)).text
    closes = (clock.now + timedelta(days=4)).strftime("%Y-%m-%dT%H:%M")
    refused(
        ana,
        reverse("web:put-amendment", args=[first.pk]),
        {"mode": "online", "closes_at": closes, "ballot_kind": "open"},
        f"amendment {first.pk} to Night shifts was proposed less than 48 hours ago",
    )
    clock.advance(hours=48)
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
    secretary_ana(scene, clock)
    motion = motions.submit_motion(actor=scene.dolores, motion=draft(scene))
    clock.advance(hours=48)
    ana = signed_in(scene.ana, language="es")
    form = ana.get(page(motion)).text
    assert "Someterla a votación" in form
    assert 'value="meeting"' in form
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
    # Only the secretary is offered the form, and anyone else who posts it is refused.
    dolores = signed_in(scene.dolores, language="es")
    assert "Someterla a votación" not in dolores.get(page(motion)).text
    refused(
        dolores,
        reverse("web:put-motion", args=[motion.pk]),
        {"mode": "meeting"},
        "Rechazado: someter una votación a una reunión:",
    )
    motion.refresh_from_db()
    assert motion.status == Motion.Status.SUBMITTED
    assert not Vote.objects.filter(motion=motion).exists()


def test_the_secretary_puts_it_to_a_meeting_and_enters_the_tally(
    scene: Scene, clock: Clock
) -> None:
    secretary_ana(scene, clock)
    motion = motions.submit_motion(actor=scene.dolores, motion=draft(scene))
    clock.advance(hours=48)
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
    vote = open_at_once(motion, closes_at=clock.now + timedelta(days=3))
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


def test_the_page_says_from_when_the_secretary_may_put_it_and_when_it_opens_by_itself(
    scene: Scene, clock: Clock
) -> None:
    secretary_ana(scene, clock)
    motion = motions.submit_motion(actor=scene.dolores, motion=draft(scene))
    text = signed_in(scene.dolores).get(page(motion)).text
    assert "The body's elected secretary may put it to the vote from" in text
    assert "it opens by itself, online, for the shortest voting period" in text
    assert "Open the vote" not in text
    ana = signed_in(scene.ana).get(page(motion)).text
    assert "Members have notice of it first: you may put it to the vote from" in ana
    assert "Open the vote" not in ana
    spanish = signed_in(scene.dolores, language="es").get(page(motion)).text
    assert "la votación se abre sola, en línea" in spanish
    # No one puts it: at its deadline the scheduler opens it, and the page shows the vote.
    clock.advance(days=14)
    deciding.open_due_motions(clock.now)
    text = signed_in(scene.dolores).get(page(motion)).text
    assert "Cast my ballot" in text
    assert "opens by itself" not in text


def test_editing_says_the_supporters_are_dropped_and_drops_them(scene: Scene) -> None:
    motion = draft(scene)
    motions.support_motion(actor=scene.ana, motion=motion)
    dolores = signed_in(scene.dolores)
    assert "Saving a changed text drops its 1 supporter" in dolores.get(page(motion)).text
    spanish = signed_in(scene.dolores, language="es").get(page(motion)).text
    assert "Guardar un texto cambiado retira su 1 apoyo" in spanish
    dolores.post(
        reverse("web:edit-motion", args=[motion.pk]),
        {"title": "Night shifts", "text": "One night in three."},
    )
    text = signed_in(scene.ana).get(page(motion)).text
    assert "Support this motion" in text  # she supported the text before: she may again
    assert "No supporters yet." in text
    assert RecordEntry.objects.get(action="motion.edited").data["supporters_dropped"] == 1


def test_the_secretary_is_offered_an_early_close_only_where_the_statute_lets_them(
    scene: Scene, clock: Clock
) -> None:
    secretary_ana(scene, clock)
    vote = open_at_once(
        motions.submit_motion(actor=scene.dolores, motion=draft(scene)),
        closes_at=clock.now + timedelta(days=3),
    )
    for voter in scene.dockers:
        votes.cast_ballot(actor=voter, vote=vote, ranking=[["yes"]])
    assert vote.motion is not None
    # The docks' statute keeps every vote open to its end: no button, and a refusal if posted.
    assert "Close the vote now and count it" not in signed_in(scene.ana).get(page(vote.motion)).text
    refused(
        signed_in(scene.ana),
        reverse("web:close-early", args=[vote.pk]),
        {"next": page(vote.motion)},
        "does not let its secretary close a vote before its end",
    )


def test_an_early_close_by_the_secretary_once_everyone_has_voted(clock: Clock) -> None:
    m = people("Nurse", 3)
    body = assembly("ward", m, Statute(secretary_closes_early=True))
    secretary = elect_one(clock, body, SECRETARY, m[0], m).holder
    account(secretary, "secretary")
    account(m[1], "nurse")
    motion = propose(body, m[1], "Gloves")
    vote = open_at_once(motion, closes_at=clock.now + timedelta(days=3))
    for voter in m[:2]:
        votes.cast_ballot(actor=voter, vote=vote, ranking=[["yes"]])
    assert "Close the vote now" not in signed_in(secretary).get(page(motion)).text  # one to go
    votes.cast_ballot(actor=m[2], vote=vote, ranking=[["no"]])
    assert "Close the vote now" not in signed_in(m[1]).get(page(motion)).text  # no secretary
    client = signed_in(secretary)
    assert "Close the vote now and count it" in client.get(page(motion)).text
    response = client.post(
        reverse("web:close-early", args=[vote.pk]), {"next": page(motion)}, follow=True
    )
    assert "the vote is closed and counted" in response.text
    assert Decision.objects.get(vote=vote).outcome == "carried"


def test_a_meetings_tally_by_approval_takes_hands_for_each_option(
    scene: Scene, clock: Clock
) -> None:
    secretary_ana(scene, clock)
    options = ["march", "strike"]
    motion = motions.submit_motion(
        actor=scene.dolores,
        motion=draft(scene, details={"method": "approval", "options": options}),
    )
    clock.advance(hours=48)
    vote = votes.open_vote(actor=scene.ana, motion=motion, mode=Vote.Mode.MEETING)
    ana = signed_in(scene.ana)
    form = ana.get(page(motion)).text
    assert "raises a hand for every option they approve" in form
    due = vote.opened_at + timedelta(days=14)
    assert f"If no tally is entered by {date_format(due, 'DATETIME_FORMAT')}" in form
    present = [str(m.pk) for m in scene.dockers[:3]]
    refused(
        ana,
        reverse("web:enter-tally", args=[vote.pk]),
        {"present": present, "count-0": "4", "count-1": "1", "next": page(motion)},
        "4 hands approved &#x27;march&#x27;, but only 3 members attended",
    )
    ana.post(
        reverse("web:enter-tally", args=[vote.pk]),
        {"present": present, "count-0": "3", "count-1": "2", "next": page(motion)},
    )
    decision = Decision.objects.get(vote=vote)
    assert (decision.outcome, decision.winners) == ("chosen", ["march"])


def test_a_secret_ballots_tracker_is_shown_once_and_changes_the_ballot(
    scene: Scene, clock: Clock
) -> None:
    motion = motions.submit_motion(actor=scene.dolores, motion=draft(scene))
    vote = open_at_once(
        motion, closes_at=clock.now + timedelta(days=3), ballot_kind=Vote.BallotKind.SECRET
    )
    ana = signed_in(scene.ana)
    response = ana.post(
        reverse("web:cast", args=[vote.pk]), {"choice": "yes", "next": page(motion)}, follow=True
    )
    shown = re.search(r"tracker is ([0-9a-f]{64})", response.text)
    assert shown is not None
    assert shown.group(1) not in ana.get(page(motion)).text  # once only
    assert "Change a secret ballot with its tracker" in response.text
    refused(
        ana,
        reverse("web:change-ballot", args=[vote.pk]),
        {"tracker": "f" * 64, "choice": "no", "next": page(motion)},
        "no ballot in &#x27;Night shifts&#x27; has this tracker",
    )
    response = ana.post(
        reverse("web:change-ballot", args=[vote.pk]),
        {"tracker": shown.group(1), "choice": "no", "next": page(motion)},
        follow=True,
    )
    assert "only its last version counts" in response.text
    assert vote.closes_at is not None
    clock.now = vote.closes_at
    decision = deciding.close_vote(actor="system", vote=vote)
    assert decision.count["rounds"][0]["votes"]["no"] == "1"


def test_a_choice_is_proposed_on_the_page_and_each_voter_approves_several_options(
    scene: Scene, clock: Clock
) -> None:
    """A motion proposed as a choice by approval: each member ticks every option they approve."""
    ana = signed_in(scene.ana)
    ana.post(
        reverse("web:propose", args=[scene.docks.slug]),
        {
            "title": "Where we march",
            "text": "The route of the May march.",
            "method": "approval",
            "options": "By the harbour\n\nBy the town hall\n",
        },
    )
    made = Motion.objects.get(title="Where we march")
    assert made.details == {"method": "approval", "options": ["By the harbour", "By the town hall"]}
    motion = motions.submit_motion(actor=scene.ana, motion=made)
    vote = open_at_once(motion, closes_at=clock.now + timedelta(days=3))
    form = ana.get(page(motion)).text
    assert 'type="checkbox" name="approve" value="By the harbour"' in form
    assert "Tick every option you approve." in form
    ana.post(
        reverse("web:cast", args=[vote.pk]),
        {"approve": ["By the harbour", "By the town hall"], "next": page(motion)},
    )
    signed_in(scene.dolores).post(
        reverse("web:cast", args=[vote.pk]), {"approve": ["By the town hall"], "next": page(motion)}
    )
    assert vote.closes_at is not None
    clock.now = vote.closes_at
    decision = deciding.close_vote(actor="system", vote=vote)
    assert (decision.outcome, decision.winners) == ("chosen", ["By the town hall"])


def test_a_choice_by_ranking_takes_numbers_and_counts_by_schulze(
    scene: Scene, clock: Clock
) -> None:
    motion = motions.submit_motion(
        actor=scene.dolores,
        motion=draft(scene, details={"method": "schulze", "options": ["red", "green", "blue"]}),
    )
    vote = open_at_once(motion, closes_at=clock.now + timedelta(days=3))
    ana = signed_in(scene.ana)
    form = ana.get(page(motion)).text
    assert f'id="cast-{vote.pk}-rank-2" name="rank-2"' in form
    ana.post(
        reverse("web:cast", args=[vote.pk]),
        {"rank-0": "2", "rank-1": "", "rank-2": "1", "next": page(motion)},
    )
    ballot = Ballot.objects.get(vote=vote)
    assert ballot.ranking == [["blue"], ["red"]]
    refused(
        signed_in(scene.dolores),
        reverse("web:cast", args=[vote.pk]),
        {"rank-0": "first", "next": page(motion)},
        "a rank is a whole number from 1: first",
    )


@pytest.mark.parametrize(
    ("options", "reason"),
    [
        ("Only one", "a choice is among 2 to 50 options, not 1"),
        ("Twice\nTwice", "each option of a choice is listed once"),
    ],
)
def test_a_choice_with_too_few_or_repeated_options_is_refused_when_proposed(
    scene: Scene, options: str, reason: str
) -> None:
    before = Motion.objects.count()
    refused(
        signed_in(scene.ana),
        reverse("web:propose", args=[scene.docks.slug]),
        {"title": "T", "text": "x", "method": "approval", "options": options},
        reason,
    )
    assert Motion.objects.count() == before
