"""Founding and joining on the pages: convene from a template, each founder accepts, the first
officers' elections open; refusals say why and store nothing; applying, admitting, leaving; a
council founded by its bodies' decisions; the open sign-up. In English and Spanish."""

from __future__ import annotations

import re
from datetime import timedelta
from fractions import Fraction
from typing import Any

import pytest
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse

from frombelow.core.statutes import Statute
from frombelow.db.mapping import read_statute
from frombelow.db.models import (
    Body,
    Election,
    Founder,
    Founding,
    Member,
    MembershipApplication,
    Motion,
    RecordEntry,
)
from frombelow.services import deciding, elections, founding, motions, votes
from frombelow.services.founding import Invitee
from frombelow.services.queries.bodies import is_member, statute_of
from frombelow.services.standing import MEMBERSHIP_OFFICER
from tests.services.world import (
    Clock,
    all_yes,
    assembly,
    people,
    person,
    vote_in,
)
from tests.web.scene import account

pytestmark = pytest.mark.django_db

FOUNDERS = "Berta Sol <berta@example.org>\nCarlos Mar, carlos@example.org\n"


def signed_in(member: Member, username: str) -> Client:
    client = Client()
    client.force_login(account(member, username))
    return client


def convene_form(**change: str) -> dict[str, str]:
    return {
        "template": "tenants-assembly",
        "name": "Tenants of Calle Mayor",
        "slug": "calle-mayor",
        "quorum": "1/10",
        "min_founders": "3",
        "min_voting_hours": "48",
        "max_term_days": "365",
        "rotation_limit": "",
        "officer_admits_members": "on",
        "single_seat_method": "stv-scottish",
        "founders": FOUNDERS,
        **change,
    }


def messages_of(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def test_three_people_found_an_assembly_on_the_pages(clock: Clock) -> None:
    ana = person("Ana Ruiz")
    client = signed_in(ana, "ana")
    hub = client.get(reverse("web:assemblies"))
    assert "Convene the founding of an assembly" in hub.content.decode()
    form = client.get(reverse("web:convene"), {"template": "cooperative"}).content.decode()
    assert 'value="1/2"' in form  # the cooperative's quorum, to change or keep
    response = client.post(reverse("web:convene"), convene_form())
    called = Founding.objects.get()
    assert response["Location"] == reverse("web:founding", args=[called.pk])
    page = client.get(response["Location"]).content.decode()
    assert "It exists once 2 more founders accept." in page
    statute = read_statute(called.rules)
    assert (statute.min_voting_hours, statute.officer_admits_members) == (48, True)
    assert statute.single_seat_method == "stv-scottish"
    for email, username in (("berta@example.org", "berta"), ("carlos@example.org", "carlos")):
        founder = Member.objects.get(email=email)
        Member.objects.filter(pk=founder.pk).update(user=None)
        invited = signed_in(founder, username)
        answered = invited.post(reverse("web:accept-founding", args=[called.pk]), follow=True)
        assert "You have accepted to found it." in messages_of(answered)
    body = Body.objects.get(slug="calle-mayor")
    assert {m.name for m in Member.objects.filter(memberships__assembly=body)} == {
        "Ana Ruiz",
        "Berta Sol",
        "Carlos Mar",
    }
    page = client.get(reverse("web:body", args=[body.slug])).content.decode()
    assert "taking candidacies" in page  # the first officers' elections, open at once
    assert Election.objects.filter(body=body).count() == 2


def test_a_refused_convening_keeps_what_was_typed_and_stores_nothing(clock: Clock) -> None:
    client = signed_in(person("Ana Ruiz"), "ana")
    before = RecordEntry.objects.count()
    response = client.post(reverse("web:convene"), convene_form(founders="Berta only\n"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Refused: line 1: write the founder&#x27;s name, then their address" in page
    assert 'value="Tenants of Calle Mayor"' in page
    response = client.post(
        reverse("web:convene"), convene_form(quorum="a lot"), headers={"accept-language": "es"}
    )
    assert "Rechazado" in response.content.decode()
    assert RecordEntry.objects.count() == before
    assert not Founding.objects.exists()


def _founded(clock: Clock) -> tuple[Body, Member, Client, Member]:
    """Ana convenes, Berta and Carlos accept; Dora was invited and has not answered."""
    ana = person("Ana Ruiz")
    called = founding.convene_founding(
        actor=ana,
        name="Calle Mayor",
        slug="calle-mayor",
        statute=Statute(officer_admits_members=True),
        invitees=[
            Invitee("Berta", "berta@example.org"),
            Invitee("Carlos", "carlos@example.org"),
            Invitee("Dora", "dora@example.org"),
        ],
    )
    founders = {f.member.email: f.member for f in Founder.objects.filter(founding=called)}
    founding.accept_founding(actor=founders["berta@example.org"], founding=called)
    founding.accept_founding(actor=founders["carlos@example.org"], founding=called)
    dora = founders["dora@example.org"]
    Member.objects.filter(pk=dora.pk).update(user=None)
    return Body.objects.get(slug="calle-mayor"), ana, signed_in(ana, "ana"), dora


def elect_in_founding_election(clock: Clock, body: Body, who: Member, voters: list[Member]) -> None:
    """Elect `who` membership officer in the election the founding called."""
    election = Election.objects.get(body=body, office=MEMBERSHIP_OFFICER)
    elections.stand(actor=who, election=election)
    vote = elections.open_election(
        actor=who, election=election, closes_at=clock.now + timedelta(days=3)
    )
    for voter in voters:
        votes.cast_ballot(actor=voter, vote=vote, ranking=[[elections.candidate_label(who)]])
    clock.advance(days=3)
    deciding.close_vote(actor="system", vote=vote)


def test_a_founder_who_had_not_accepted_is_refused_in_words_after_the_founding(
    clock: Clock,
) -> None:
    body, _, _, dora = _founded(clock)
    client = signed_in(dora, "dora")
    called = Founding.objects.get()
    before = RecordEntry.objects.count()
    page = client.get(reverse("web:founding", args=[called.pk])).content.decode()
    assert "Accept to found it" not in page
    response = client.post(reverse("web:accept-founding", args=[called.pk]), follow=True)
    assert any("is founded already" in m for m in messages_of(response))
    response = client.post(
        reverse("web:accept-founding", args=[called.pk]),
        headers={"accept-language": "es"},
        follow=True,
    )
    assert any(m.startswith("Rechazado") for m in messages_of(response))
    assert RecordEntry.objects.count() == before
    assert not is_member(dora, body, clock.now)


def test_the_convenor_cannot_admit_before_the_election_and_nothing_is_stored(
    clock: Clock,
) -> None:
    body, _, client, _ = _founded(clock)
    eva = person("Eva Luna")
    eva_client = signed_in(eva, "eva")
    eva_client.post(reverse("web:apply", args=[body.slug]), {"statement": "I live at 3"})
    application = MembershipApplication.objects.get()
    page = client.get(reverse("web:body", args=[body.slug])).content.decode()
    assert "Eva Luna" in page
    assert "Admit Eva Luna" not in page  # no officer yet: the form is not offered
    before = RecordEntry.objects.count()
    response = client.post(reverse("web:admit-applicant", args=[application.pk]), follow=True)
    assert any("only the membership officer" in m for m in messages_of(response))
    assert RecordEntry.objects.count() == before
    assert not is_member(eva, body, clock.now)
    # Once the founders elect her, Berta admits.
    crew = list(Member.objects.filter(memberships__assembly=body))
    berta = Member.objects.get(email="berta@example.org")
    elect_in_founding_election(clock, body, berta, crew)
    berta_client = signed_in(berta, "berta")
    page = berta_client.get(reverse("web:body", args=[body.slug])).content.decode()
    assert "Admit Eva Luna" in page
    berta_client.post(reverse("web:admit-applicant", args=[application.pk]))
    assert is_member(eva, body, clock.now)


def test_a_person_applies_withdraws_and_a_member_proposes_the_admission(clock: Clock) -> None:
    crew = people("Docker", 3)
    assembly("docks", crew)  # the assembly admits by its own vote
    eva = person("Eva Luna")
    eva_client = signed_in(eva, "eva")
    hub = eva_client.get(reverse("web:assemblies")).content.decode()
    assert "Apply to join Docks" in hub
    eva_client.post(reverse("web:apply", args=["docks"]), {"statement": "I load ships"})
    application = MembershipApplication.objects.get()
    eva_client.post(reverse("web:withdraw-application", args=[application.pk]))
    application.refresh_from_db()
    assert application.outcome == "withdrawn"
    eva_client.post(reverse("web:apply", args=["docks"]), {"statement": "Again"})
    application = MembershipApplication.objects.get(closed_at__isnull=True)
    member = signed_in(crew[0], "docker")
    response = member.post(reverse("web:propose-admission", args=[application.pk]))
    motion = Motion.objects.get(kind=Motion.Kind.ADMIT_MEMBER)
    assert response["Location"] == reverse("web:motion", args=[motion.pk])
    assert motion.member == eva


def test_a_member_leaves_by_their_own_act_from_the_body_page(clock: Clock) -> None:
    crew = people("Docker", 3)
    body = assembly("docks", crew)
    client = signed_in(crew[2], "docker")
    page = client.get(reverse("web:body", args=["docks"])).content.decode()
    assert "Leave this assembly" in page
    response = client.post(reverse("web:leave", args=["docks"]))
    assert response["Location"] == reverse("web:home")
    assert not is_member(crew[2], body, clock.now)


def test_assemblies_found_a_council_on_the_pages(clock: Clock) -> None:
    dockers, railers = people("Docker", 3), people("Railer", 3)
    assembly("docks", dockers)
    assembly("rail", railers)
    docker, railer = signed_in(dockers[0], "docker"), signed_in(railers[0], "railer")
    form = docker.get(reverse("web:body", args=["docks"])).content.decode()
    assert 'id="council-quorum" name="quorum" required value="1/10"' in form
    response = docker.post(
        reverse("web:propose-council", args=["docks"]),
        {
            "name": "Transport federation",
            "council_slug": "transport",
            "founders": ["rail"],
            # Its first statute's rules that the form shows, each changed from the default.
            "quorum": "1/5",
            "mandate_deadline_days": "10",
            "ratification_days": "30",
            "max_term_days": "730",
            "rotation_limit": "2",
        },
    )
    first = Motion.objects.get(kind=Motion.Kind.FOUND_COUNCIL)
    assert response["Location"] == reverse("web:council-founding", args=[first.pk])
    page = railer.get(response["Location"]).content.decode()
    assert "Propose it in Rail" in page
    railer.post(reverse("web:second-council-founding", args=[first.pk]), {"body": "rail"})
    second = Motion.objects.exclude(pk=first.pk).get(kind=Motion.Kind.FOUND_COUNCIL)
    assert second.details == first.details
    for crew, motion in ((dockers, first), (railers, second)):
        motions.submit_motion(actor=crew[0], motion=motion)
        vote_in(clock, motion, all_yes(crew))
    council = Body.objects.get(slug="transport")
    statute = statute_of(council)
    assert (
        statute.quorum,
        statute.mandate_deadline_days,
        statute.ratification_days,
        statute.max_term_days,
        statute.rotation_limit,
    ) == (Fraction(1, 5), 10, 30, 730, 2)
    page = docker.get(reverse("web:council-founding", args=[first.pk])).content.decode()
    assert reverse("web:body", args=[council.slug]) in page
    outsider = signed_in(person("Otto"), "otto")
    assert outsider.get(reverse("web:council-founding", args=[first.pk])).status_code == 403


def test_sign_up_is_by_invitation_unless_the_installation_opens_it(clock: Clock) -> None:
    visitor = Client()
    assert visitor.get(reverse("web:sign-up")).status_code == 404
    assert "Make an account" not in visitor.get(reverse("web:home")).content.decode()
    with override_settings(FROMBELOW_OPEN_SIGN_UP=True):
        assert "Make an account" in visitor.get(reverse("web:home")).content.decode()
        sent = visitor.post(
            reverse("web:sign-up"), {"name": "Ana Ruiz", "email": "ana@example.org"}
        )
        assert "We sent a link" in sent.content.decode()
        match = re.search(r"(/accounts/sign-up/[^/\s]+/)", str(mail.outbox[0].body))
        assert match is not None
        link = match.group(1)
        page = visitor.get(link, headers={"accept-language": "es"}).content.decode()
        assert "Elige tu contraseña" in page
        response = visitor.post(
            link, {"password": "a long passphrase 9", "password_again": "a long passphrase 9"}
        )
        assert response["Location"] == reverse("web:assemblies")
        assert visitor.get(reverse("web:assemblies")).status_code == 200
    assert Member.objects.get(email="ana@example.org").user is not None


def test_an_existing_members_name_is_not_shown_to_the_convenor_before_they_accept(
    clock: Clock,
) -> None:
    """The convenor types an address; if it is a member's already, the founding page names
    them only once they accept, so that typing addresses tells nobody who has an account. The
    proposed statute reads in sentences."""
    known = person("Dolores Ibárruri")
    Member.objects.filter(pk=known.pk).update(email="dolores@example.org")
    client = signed_in(person("Ana Ruiz"), "ana")
    founders = FOUNDERS + "Whoever <dolores@example.org>\n"
    response = client.post(reverse("web:convene"), convene_form(founders=founders))
    page = client.get(response["Location"]).content.decode()
    assert "Dolores" not in page
    assert page.count("An invited founder") == 3
    assert "A vote counts only if at least 10% of those entitled to vote take part." in page
    called = Founding.objects.get()
    answered = signed_in(known, "dolores").post(
        reverse("web:accept-founding", args=[called.pk]), follow=True
    )
    assert "You have accepted to found it." in messages_of(answered)
    page = client.get(response["Location"]).content.decode()
    assert "Dolores Ibárruri" in page
    assert page.count("An invited founder") == 2


def test_the_convenor_invites_more_founders_and_abandons_on_the_founding_page(
    clock: Clock,
) -> None:
    client = signed_in(person("Ana Ruiz"), "ana")
    response = client.post(reverse("web:convene"), convene_form())
    called = Founding.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert "Invite more founders" in page
    assert "Abandon this founding" in page
    berta = Member.objects.get(email="berta@example.org")
    Member.objects.filter(pk=berta.pk).update(user=None)
    as_berta = signed_in(berta, "berta").get(response["Location"]).content.decode()
    assert "Invite more founders" not in as_berta  # the convenor's alone
    invited = client.post(
        reverse("web:invite-founders", args=[called.pk]),
        {"founders": "Dora Paz <dora@example.org>\n"},
        follow=True,
    )
    assert "They are invited: each answers by their own act." in messages_of(invited)
    assert Founder.objects.filter(founding=called, member__email="dora@example.org").exists()
    again = client.post(
        reverse("web:invite-founders", args=[called.pk]),
        {"founders": "Dora Paz <dora@example.org>\n"},
        follow=True,
    )
    assert messages_of(again) == ["Refused: invited already: Dora Paz"]
    ended = client.post(reverse("web:abandon-founding", args=[called.pk]), follow=True)
    assert "The founding is abandoned" in messages_of(ended)[0]
    assert "Abandon this founding" not in ended.content.decode()
    assert RecordEntry.objects.filter(action="founding.abandoned").count() == 1
