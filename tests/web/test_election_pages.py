"""Elections on the pages: calling one, standing with a statement, withdrawing, opening its vote,
and resigning a term; each form shown only to those who may use it, each refusal a message with
nothing stored."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from frombelow.db.models import Candidacy, Election, RecordEntry, TermEnd, Withdrawal
from frombelow.services import elections
from frombelow.services.queries.terms import holders
from tests.services.world import Clock
from tests.web.scene import Scene, account

pytestmark = pytest.mark.django_db


def signed_in(user: User, language: str = "en") -> Client:
    client = Client(headers={"accept-language": language})
    client.force_login(user)
    return client


def ana(scene: Scene, language: str = "en") -> Client:
    assert scene.ana.user is not None
    return signed_in(scene.ana.user, language)


def test_a_member_calls_an_election_from_the_body_page(scene: Scene) -> None:
    client = ana(scene)
    page = client.get(reverse("web:body", args=[scene.docks.slug])).text
    assert "Call an election" in page
    response = client.post(
        reverse("web:call-election", args=[scene.docks.slug]),
        {"office": "treasurer", "seats": "1"},
        follow=True,
    )
    assert "The election is called." in response.text
    election = Election.objects.get(body=scene.docks, office="treasurer")
    assert election.seats == 1
    assert "taking candidacies" in response.text


def test_a_bad_call_is_refused_saying_where_and_stores_nothing(scene: Scene) -> None:
    client = ana(scene, "es")
    entries = RecordEntry.objects.count()
    response = client.post(
        reverse("web:call-election", args=[scene.docks.slug]),
        {"office": "treasurer", "seats": "two"},
        follow=True,
    )
    assert "Rechazado: seats:" in response.text
    response = client.post(
        reverse("web:call-election", args=[scene.docks.slug]),
        {"office": "Treasurer", "seats": "1"},
        follow=True,
    )
    assert "Rechazado:" in response.text
    assert not Election.objects.filter(office__iexact="treasurer").exists()
    assert RecordEntry.objects.count() == entries


def test_a_member_stands_with_a_statement_withdraws_and_the_forms_follow(scene: Scene) -> None:
    election = elections.call_election(actor=scene.ana, body=scene.docks, office="secretary")
    client = ana(scene)
    page = reverse("web:election", args=[election.pk])
    text = client.get(page).text
    assert "Stand as a candidate" in text
    assert "Withdraw my candidacy" not in text
    response = client.post(
        reverse("web:stand", args=[election.pk]),
        {"statement": "Minutes within a week, always."},
        follow=True,
    )
    assert "You stand in this election." in response.text
    assert "Minutes within a week, always." in response.text
    assert "Withdraw my candidacy" in response.text
    assert "Stand as a candidate" not in response.text
    response = client.post(reverse("web:withdraw-candidacy", args=[election.pk]), follow=True)
    assert "Your candidacy is withdrawn." in response.text
    assert "Minutes within a week" not in response.text
    assert Withdrawal.objects.filter(candidacy__member=scene.ana).exists()


def test_standing_twice_or_withdrawing_without_standing_is_refused(scene: Scene) -> None:
    election = elections.call_election(actor=scene.ana, body=scene.docks, office="secretary")
    client = ana(scene)
    response = client.post(reverse("web:withdraw-candidacy", args=[election.pk]), follow=True)
    assert "Refused: Ana Ruiz does not stand in this election" in response.text
    client.post(reverse("web:stand", args=[election.pk]), {"statement": ""})
    entries = RecordEntry.objects.count()
    response = client.post(reverse("web:stand", args=[election.pk]), follow=True)
    assert "Refused: Ana Ruiz already stands in this election" in response.text
    assert Candidacy.objects.filter(election=election).count() == 1
    assert RecordEntry.objects.count() == entries


def test_a_member_opens_the_vote_and_nominations_close(scene: Scene, clock: Clock) -> None:
    election = elections.call_election(actor=scene.ana, body=scene.docks, office="secretary")
    client = ana(scene)
    page = reverse("web:election", args=[election.pk])
    assert "open the vote now" not in client.get(page).text  # no one stands yet
    elections.stand(actor=scene.dockers[5], election=election)
    assert "open the vote now" in client.get(page).text
    refused = client.post(
        reverse("web:open-election", args=[election.pk]), {"days": "0"}, follow=True
    )
    assert "Refused: days:" in refused.text
    election.refresh_from_db()
    assert election.vote is None
    response = client.post(
        reverse("web:open-election", args=[election.pk]), {"days": "5"}, follow=True
    )
    assert "The election&#x27;s vote is open." in response.text
    election.refresh_from_db()
    assert election.vote is not None
    assert election.vote.closes_at is not None
    assert election.vote.closes_at - clock.now == timedelta(days=5)
    assert "Stand as a candidate" not in response.text
    assert "Your ballot" in response.text


def test_a_stranger_sees_no_form_and_cannot_act(scene: Scene) -> None:
    election = elections.call_election(actor=scene.ana, body=scene.docks, office="secretary")
    outsider = scene.railways[1]
    user = account(outsider, "pablo")
    client = signed_in(user)
    assert client.get(reverse("web:election", args=[election.pk])).status_code == 403
    assert client.post(reverse("web:stand", args=[election.pk])).status_code == 403
    assert not Candidacy.objects.filter(election=election).exists()


def test_the_delegate_resigns_and_the_substitute_takes_the_seat(scene: Scene, clock: Clock) -> None:
    assert scene.dolores.user is not None
    client = signed_in(scene.dolores.user)
    body_page = reverse("web:body", args=[scene.docks.slug])
    assert "Resign this term" in client.get(body_page).text
    assert "Resign this term" not in ana(scene).get(body_page).text
    refused = ana(scene).post(reverse("web:resign", args=[scene.delegate_term.pk]), follow=True)
    assert "Refused: resigning is the holder&#x27;s own act" in refused.text
    assert not TermEnd.objects.exists()
    response = client.post(reverse("web:resign", args=[scene.delegate_term.pk]), follow=True)
    assert "You have resigned." in response.text
    (seated,) = holders(scene.docks, "delegate", clock.now, council=scene.council)
    assert seated.holder != scene.dolores
    assert seated.substitute_for_id == scene.delegate_term.pk
