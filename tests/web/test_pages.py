"""Every page renders for a member, in English and in Spanish; forms act through the services and
a refusal is shown as a message, with nothing stored."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from frombelow.db.models import (
    Ballot,
    Mandate,
    Participation,
    Petition,
    RecordEntry,
    SecretBallot,
)
from frombelow.services import elections
from tests.services.world import Clock
from tests.web.scene import Scene, account

pytestmark = pytest.mark.django_db


def signed_in(scene: Scene, who: str = "ana", language: str = "en") -> Client:
    client = Client(headers={"accept-language": language})
    member = {"ana": scene.ana, "dolores": scene.dolores, "carmen": scene.carmen}[who]
    assert member.user is not None
    client.force_login(member.user)
    return client


def pages(scene: Scene) -> list[str]:
    return [
        reverse("web:home"),
        reverse("web:body", args=[scene.docks.slug]),
        reverse("web:body", args=[scene.council.slug]),
        reverse("web:record", args=[scene.docks.slug]),
        reverse("web:motion", args=[scene.mandate_vote.motion_id]),
        reverse("web:session", args=[scene.session.pk]),
        reverse("web:election", args=[scene.election.pk]),
        reverse("web:notices"),
        reverse("web:two-factor"),
    ]


def test_a_visitor_is_sent_to_sign_in(scene: Scene) -> None:
    response = Client().get(reverse("web:body", args=[scene.docks.slug]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:login"))
    assert b"Sign in" in Client().get(reverse("web:login")).content


@pytest.mark.parametrize(("language", "phrase"), [("en", "My delegates"), ("es", "Mis delegados")])
def test_every_page_renders_in_the_members_language(
    scene: Scene, language: str, phrase: str
) -> None:
    client = signed_in(scene, language=language)
    for url in pages(scene):
        response = client.get(url)
        assert response.status_code == 200, url
        assert f'<html lang="{language}">' in response.text, url
    assert phrase in client.get(reverse("web:home")).text


def test_home_shows_the_open_vote_the_delegate_and_the_due_elections(scene: Scene) -> None:
    text = signed_in(scene).get(reverse("web:home")).text
    assert "Our mandate on the strike" in text
    assert "Dolores Ibárruri" in text  # the docks' delegate
    assert "Docks" in text
    assert "Transport" in text


def test_a_member_votes_on_the_mandate_through_the_form(scene: Scene) -> None:
    client = signed_in(scene)
    url = reverse("web:motion", args=[scene.mandate_vote.motion_id])
    response = client.post(
        reverse("web:cast", args=[scene.mandate_vote.pk]), {"choice": "yes", "next": url}
    )
    assert response.status_code == 302
    assert response["Location"] == url
    ballot = Ballot.objects.get(vote=scene.mandate_vote, voter=scene.ana)
    assert ballot.ranking == [["yes"]]
    assert "Your ballot is cast." in client.get(url).text


def test_a_refused_ballot_is_a_message_and_stores_nothing(scene: Scene) -> None:
    client = signed_in(scene, language="es")
    url = reverse("web:motion", args=[scene.mandate_vote.motion_id])
    entries = RecordEntry.objects.count()
    client.post(reverse("web:cast", args=[scene.mandate_vote.pk]), {"choice": "maybe"})
    response = client.post(
        reverse("web:cast", args=[scene.mandate_vote.pk]),
        {"choice": "maybe", "next": url},
        follow=True,
    )
    # The frame and the rule's own reason, both in Spanish.
    assert "Rechazado: &#x27;maybe&#x27; no es una opción de esta votación" in response.text
    assert not Ballot.objects.filter(vote=scene.mandate_vote).exists()
    assert RecordEntry.objects.count() == entries


def test_counting_before_the_close_is_refused(scene: Scene) -> None:
    client = signed_in(scene)
    response = client.post(reverse("web:count", args=[scene.mandate_vote.pk]), follow=True)
    assert "Refused:" in response.text
    assert not Mandate.objects.filter(member_body=scene.docks).exists()


def test_a_session_page_shows_the_mandate_table_and_the_tally_polls(
    scene: Scene, clock: Clock
) -> None:
    client = signed_in(scene, who="carmen")  # the federation's secretary opens its sessions
    clock.now = scene.session.starts_at
    response = client.post(reverse("web:open-session", args=[scene.session.pk]), follow=True)
    assert "The session is open" in response.text
    assert "proportional" in response.text.lower()
    assert 'hx-trigger="every 5s"' in response.text
    vote = scene.item.votes.get()
    fragment = client.get(reverse("web:tally", args=[vote.pk])).text
    assert "Live tally" in fragment
    assert "<html" not in fragment


def test_a_recall_petition_opens_from_the_body_page(scene: Scene) -> None:
    client = signed_in(scene)
    recall = reverse("web:recall-petition", args=[scene.delegate_term.pk])
    assert recall in client.get(reverse("web:body", args=[scene.docks.slug])).text
    assert "Why should they be recalled?" in client.get(recall).text
    response = client.post(recall, {"reason": "She broke our mandate."}, follow=True)
    petition = Petition.objects.get(term=scene.delegate_term)
    assert response.redirect_chain[-1][0] == reverse("web:petition", args=[petition.pk])
    assert "She broke our mandate." in response.text
    # Its opener's signature is one of the nine dockers' tenth: the recall vote opened.
    assert "threshold reached" in response.text


def test_the_election_shows_each_round(scene: Scene) -> None:
    text = signed_in(scene).get(reverse("web:election", args=[scene.election.pk])).text
    assert "Round 1" in text
    assert "Round 2" in text
    assert 'class="bar excluded"' in text
    assert 'class="bar elected"' in text


def test_a_member_of_another_assembly_may_not_read_the_docks(scene: Scene) -> None:
    user = account(scene.railways[1], "pablo")
    client = Client()
    client.force_login(user)
    assert client.get(reverse("web:body", args=[scene.docks.slug])).status_code == 403
    assert client.get(reverse("web:record", args=[scene.docks.slug])).status_code == 403
    motion = reverse("web:motion", args=[scene.mandate_vote.motion_id])
    assert client.get(motion).status_code == 403
    # The federation both assemblies make up is theirs to read.
    assert client.get(reverse("web:body", args=[scene.council.slug])).status_code == 200


def test_a_member_ranks_candidates_by_number(scene: Scene, clock: Clock) -> None:
    election = elections.call_election(actor=scene.ana, body=scene.docks, office="secretary")
    for candidate in scene.dockers[4:7]:
        elections.stand(actor=candidate, election=election)
    vote = elections.open_election(
        actor=scene.ana, election=election, closes_at=clock.now + timedelta(days=3)
    )
    client = signed_in(scene)
    page = reverse("web:election", args=[election.pk])
    assert 'type="number"' in client.get(page).text
    refused = client.post(
        reverse("web:cast", args=[vote.pk]), {"rank-0": "first", "next": page}, follow=True
    )
    assert "Refused:" in refused.text
    assert not Participation.objects.filter(vote=vote).exists()
    client.post(reverse("web:cast", args=[vote.pk]), {"rank-0": "2", "rank-2": "1", "next": page})
    cast = [b.ranking for b in SecretBallot.objects.filter(vote=vote)]
    cast += [b.ranking for b in Ballot.objects.filter(vote=vote)]
    assert cast == [[[vote.options[2]], [vote.options[0]]]]
