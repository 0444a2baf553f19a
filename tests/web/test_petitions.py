"""Petitions on the pages: a recall asks its reason and counts its opener as its first signer; a
second petition for what an open one asks is not offered, and refused with the open one named;
referendum and reopening petitions open from the body's petitions page."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from frombelow.db.models import Member, Petition, RecordEntry, Signature, Term
from tests.services.world import Clock, Federation, all_yes, decide, federation
from tests.web.scene import account

pytestmark = pytest.mark.django_db


@pytest.fixture
def fed(clock: Clock) -> Federation:
    # Thirty dockers: a recall needs three signatures, so its opener's alone does not open it.
    return federation(clock, sizes={"docks": 30, "rail": 10})


def signed_in(member: Member, username: str, language: str = "en") -> Client:
    client = Client(headers={"accept-language": language})
    client.force_login(account(member, username))
    return client


def _stored() -> tuple[int, int, int]:
    return (RecordEntry.objects.count(), Petition.objects.count(), Signature.objects.count())


def test_a_recall_petition_asks_its_reason_and_its_opener_signs_it(fed: Federation) -> None:
    client = signed_in(fed.members["docks"][5], "ana")
    term = Term.objects.get(holder=fed.delegates["docks"], office="delegate")
    recall = reverse("web:recall-petition", args=[term.pk])
    page = client.get(recall).text
    assert 'name="reason"' in page
    assert "once 3 members have signed" in page
    before = _stored()
    refused = client.post(recall, {"reason": "  "}, follow=True)
    assert "Refused: a recall petition states its reason" in refused.text
    assert _stored() == before
    response = client.post(recall, {"reason": "She voted against our mandate."}, follow=True)
    petition = Petition.objects.get(term=term)
    assert response.redirect_chain[-1][0] == reverse("web:petition", args=[petition.pk])
    assert "She voted against our mandate." in response.text
    assert "You have signed." in response.text
    assert "1 of 3 signatures needed" in response.text
    opened = RecordEntry.objects.get(action="petition.opened")
    assert opened.data["reason"] == "She voted against our mandate."


def test_a_second_recall_petition_is_not_offered_and_is_refused(fed: Federation) -> None:
    term = Term.objects.get(holder=fed.delegates["docks"], office="delegate")
    recall = reverse("web:recall-petition", args=[term.pk])
    first = signed_in(fed.members["docks"][5], "ana")
    first.post(recall, {"reason": "She voted against our mandate."})
    petition = Petition.objects.get(term=term)
    other = signed_in(fed.members["docks"][6], "benito")
    page = other.get(recall).text
    assert reverse("web:petition", args=[petition.pk]) in page
    assert 'name="reason"' not in page  # the page links to it instead
    before = _stored()
    for client in (first, other):  # a second click, or a second member
        response = client.post(recall, {"reason": "Again"}, follow=True)
        assert f"Refused: petition {petition.pk}, opened on" in response.text
        assert "sign it rather than opening another" in response.text
    assert _stored() == before


def test_the_recall_page_speaks_spanish(fed: Federation) -> None:
    term = Term.objects.get(holder=fed.delegates["docks"], office="delegate")
    client = signed_in(fed.members["docks"][5], "ana", "es")
    page = client.get(reverse("web:recall-petition", args=[term.pk])).text
    assert "¿Por qué habría que revocarle?" in page
    client.post(reverse("web:recall-petition", args=[term.pk]), {"reason": "x"})
    assert (
        "Ya hay abierta una petición"
        in client.get(reverse("web:recall-petition", args=[term.pk])).text
    )


def test_a_referendum_petition_opens_from_the_councils_petitions_page(fed: Federation) -> None:
    client = signed_in(fed.members["rail"][2], "rosa")
    page = client.get(reverse("web:body-petitions", args=[fed.council.slug])).text
    assert "Petition for a referendum" in page
    opening = reverse("web:open-petition", args=[fed.council.slug])
    form = {"kind": "referendum", "question": "A general strike?", "reason": "Rents."}
    response = client.post(opening, form, follow=True)
    petition = Petition.objects.get(kind="referendum")
    assert response.redirect_chain[-1][0] == reverse("web:petition", args=[petition.pk])
    assert petition.signatures.get().member == fed.members["rail"][2]
    before = _stored()
    again = signed_in(fed.members["docks"][3], "dora").post(
        opening, {**form, "question": "a general STRIKE?"}, follow=True
    )
    assert f"Refused: petition {petition.pk}" in again.text
    assert _stored() == before


def test_a_reopening_petition_names_a_decision_of_the_body(fed: Federation, clock: Clock) -> None:
    docks = fed.assemblies["docks"]
    decision = decide(clock, docks, fed.members["docks"][1], all_yes(fed.members["docks"][:20]))
    client = signed_in(fed.members["docks"][5], "ana")
    page = client.get(reverse("web:body-petitions", args=[docks.slug])).text
    assert "No decision can be reopened yet" in page
    clock.advance(days=90)  # the assembly's statute: three months before reopening
    page = client.get(reverse("web:body-petitions", args=[docks.slug])).text
    assert f'<option value="{decision.pk}">' in page
    assert "Petition for a referendum" not in page  # an assembly holds no referendum
    response = client.post(
        reverse("web:open-petition", args=[docks.slug]),
        {"kind": "reopening", "decision": str(decision.pk)},
        follow=True,
    )
    petition = Petition.objects.get(kind="reopening")
    assert (petition.decision, petition.question) == (decision, "Reopen: A motion")
    assert response.redirect_chain[-1][0] == reverse("web:petition", args=[petition.pk])


def test_a_member_of_another_body_reads_no_petition_page_of_it(fed: Federation) -> None:
    term = Term.objects.get(holder=fed.delegates["docks"], office="delegate")
    outsider = signed_in(fed.members["rail"][1], "pablo")
    assert outsider.get(reverse("web:recall-petition", args=[term.pk])).status_code == 403
    assert (
        outsider.post(reverse("web:recall-petition", args=[term.pk]), {"reason": "x"}).status_code
        == 403
    )
    assert not Petition.objects.exists()
    assert outsider.get(reverse("web:body-petitions", args=["docks"])).status_code == 403
