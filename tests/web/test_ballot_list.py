"""A counted secret vote's page lists its ballots by their trackers' hashes with the count
recomputed from them, and a voter finds theirs by the tracker, which the server keeps nowhere."""

from __future__ import annotations

import logging
import re
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.views.debug import SafeExceptionReporterFilter

from frombelow.db.models import Election, SecretBallot, Vote
from frombelow.services import deciding, motions
from frombelow.services.queries.ballots import tracker_hash
from tests.services.world import Clock, open_at_once
from tests.web.scene import Scene, account
from tests.web.test_motion_pages import draft, page, signed_in

pytestmark = pytest.mark.django_db


def test_a_voter_finds_their_ballot_in_the_list_published_at_the_count(
    scene: Scene, clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    motion = motions.submit_motion(actor=scene.dolores, motion=draft(scene))
    vote = open_at_once(
        motion, closes_at=clock.now + timedelta(days=3), ballot_kind=Vote.BallotKind.SECRET
    )
    ana = signed_in(scene.ana)
    cast = ana.post(
        reverse("web:cast", args=[vote.pk]), {"choice": "no", "next": page(motion)}, follow=True
    )
    shown = re.search(r"tracker is ([0-9a-f]{64})", cast.text)
    assert shown is not None
    tracker = shown.group(1)
    signed_in(scene.dolores).post(reverse("web:cast", args=[vote.pk]), {"choice": "yes"})
    find = reverse("web:find-ballot", args=[vote.pk])
    # Before the count there is no list to show or to search.
    assert "The published ballots" not in ana.get(page(motion)).text
    early = ana.post(find, {"tracker": tracker, "next": page(motion)}, follow=True)
    assert "Refused: the ballots of &#x27;Night shifts&#x27; are published once it" in early.text
    assert vote.closes_at is not None
    clock.now = vote.closes_at
    deciding.close_vote(actor="system", vote=vote)
    text = ana.get(page(motion)).text
    assert "The published ballots" in text
    hashes = sorted(SecretBallot.objects.filter(vote=vote).values_list("tracker_hash", flat=True))
    listed = re.findall(r"<code>([0-9a-f]{64})</code>", text)
    assert listed == hashes
    assert tracker not in text
    # One yes, one no: lost on the list's recount as in the official count, which agree.
    recount = re.search(r"Outcome</th><td>(\w+)</td><td>(\w+)</td>", text)
    assert recount is not None
    assert recount.groups() == ("Lost", "Lost")
    assert "Ballots</th><td>2</td><td>turnout 2</td>" in text
    assert "they agree" in text
    assert "First choices in the list: yes 1 · no 1 · abstain 0" in text
    found = ana.post(find, {"tracker": f" {tracker} ", "next": page(motion)})
    assert found.status_code == 200
    assert "Your ballot is in the list: it says no." in found.text
    assert tracker_hash(tracker) in found.text
    assert f'href="{page(motion)}"' in found.text
    missing = ana.post(find, {"tracker": "0" * 64, "next": page(motion)})
    assert "No ballot in the list has this tracker." in missing.text
    # An error report of this request would show the tracker masked.
    hidden = SafeExceptionReporterFilter().get_post_parameters(missing.wsgi_request)
    assert hidden["tracker"] != "0" * 64
    # Nothing keeps the tracker: no session (where messages wait), no log line.
    assert not [s for s in Session.objects.all() if tracker in str(s.get_decoded())]
    assert tracker not in caplog.text
    # In Spanish, the answer too.
    es = signed_in(scene.ana, "es").post(find, {"tracker": tracker, "next": page(motion)})
    assert "Tu papeleta está en la lista: dice no." in es.text


def test_the_election_page_lists_its_ballots_by_name_to_its_readers_only(scene: Scene) -> None:
    election_page = reverse("web:election", args=[scene.election.pk])
    text = signed_in(scene.ana).get(election_page).text
    # Nine ballots, ranked: each said by the candidates' names, rank by rank.
    assert "The list: 9 ballots" in text
    assert len(re.findall(r"<code>[0-9a-f]{64}</code>", text)) == 9
    assert "1. Carmen Vidal; 2. Dolores Ibárruri" in text
    assert re.search(
        r"Who or what won</th><td>Dolores Ibárruri</td><td>Dolores Ibárruri</td>", text
    )
    assert "they agree" in text
    assert "Find my ballot" in text
    outsider = account(scene.railways[1], "pablo")
    client = signed_in(scene.railways[1])
    assert outsider is not None
    assert client.get(election_page).status_code == 403
    vote = Election.objects.get(pk=scene.election.pk).vote
    assert vote is not None
    find = reverse("web:find-ballot", args=[vote.pk])
    assert client.post(find, {"tracker": "0" * 64}).status_code == 403
