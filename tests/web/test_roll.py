"""The roll's pages: the officer uploads, sees every bad row by line, confirms; others are refused;
the invitations are sent shortly after, and again on the officer's request; the invited member
sets their password and is signed in. In English and Spanish."""

from __future__ import annotations

import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse

from frombelow.core.statutes import Statute
from frombelow.db.models import Body, Member, Membership, RecordEntry
from frombelow.services import invites
from frombelow.services.standing import MEMBERSHIP_OFFICER
from tests.services.world import Clock, assembly, elect_one, people
from tests.web.scene import account

Capture = Callable[..., AbstractContextManager[Any]]

pytestmark = pytest.mark.django_db

FILE = b"name,email\nAna Ruiz,ana@example.org\n,x@example.org\nBenito,benito@\n"


@pytest.fixture
def docks(clock: Clock) -> tuple[Body, Client, Client]:
    """The docks, whose statute lets its officer admit; a client for the officer and a member."""
    founders = people("Docker", 3)
    body = assembly("docks", founders, Statute(officer_admits_members=True))
    elect_one(clock, body, MEMBERSHIP_OFFICER, founders[1], founders)
    clients = []
    for member, name in ((founders[1], "officer"), (founders[0], "member")):
        client = Client()
        client.force_login(account(member, name))
        clients.append(client)
    return body, clients[0], clients[1]


def upload(client: Client, body: Body, data: bytes, language: str = "en") -> str:
    response = client.post(
        reverse("web:roll-preview", args=[body.slug]),
        {"roll": SimpleUploadedFile("roll.csv", data, content_type="text/csv")},
        headers={"accept-language": language},
    )
    return str(response.content.decode())


def test_the_officer_previews_then_confirms(
    docks: tuple[Body, Client, Client], django_capture_on_commit_callbacks: Capture
) -> None:
    body, officer, _ = docks
    entries = RecordEntry.objects.count()
    page = upload(officer, body, FILE)
    assert RecordEntry.objects.count() == entries  # a preview stores nothing
    assert "1 person will be admitted" in page
    assert "2 rows cannot be admitted" in page
    assert re.search(r'<td class="num">3</td><td>the name is missing</td>', page)
    assert re.search(r'<td class="num">4</td><td>the e-mail address is not valid</td>', page)
    token = re.search(r'name="token" value="([^"]+)"', page)
    assert token is not None
    with django_capture_on_commit_callbacks(execute=True):
        response = officer.post(
            reverse("web:roll-import", args=[body.slug]), {"token": token.group(1)}, follow=True
        )
    assert "1 member admitted." in response.content.decode()
    assert "Their invitations will be sent by e-mail shortly." in response.content.decode()
    assert Membership.objects.filter(assembly=body, member__name="Ana Ruiz").exists()
    assert mail.outbox == []  # not in the officer's request
    assert invites.send_due_invitations() == 1
    assert [m.to for m in mail.outbox] == [["ana@example.org"]]


def test_the_preview_speaks_spanish(docks: tuple[Body, Client, Client]) -> None:
    body, officer, _ = docks
    page = upload(officer, body, FILE, language="es")
    assert '<html lang="es">' in page
    assert "falta el nombre" in page


def test_a_file_that_cannot_be_read_is_an_error_on_the_form(
    docks: tuple[Body, Client, Client],
) -> None:
    body, officer, _ = docks
    page = upload(officer, body, "name\nMaría\n".encode("latin-1"))
    assert 'role="alert"' in page
    assert "not UTF-8" in page
    assert not Member.objects.filter(name__startswith="Mar").exists()


def test_a_tampered_confirmation_admits_no_one(docks: tuple[Body, Client, Client]) -> None:
    body, officer, _ = docks
    members = Member.objects.count()
    response = officer.post(
        reverse("web:roll-import", args=[body.slug]), {"token": "forged"}, follow=True
    )
    assert "Refused:" in response.content.decode()
    assert Member.objects.count() == members


def test_the_roll_exports_as_csv(docks: tuple[Body, Client, Client]) -> None:
    body, officer, _ = docks
    response = officer.get(reverse("web:roll-csv", args=[body.slug]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    lines = response.content.decode().splitlines()
    assert lines[0] == "name,email,member_number"
    assert len(lines) == 4


def test_a_member_who_is_not_the_officer_is_refused_every_roll_page(
    docks: tuple[Body, Client, Client],
) -> None:
    body, _, member = docks
    assert member.get(reverse("web:roll", args=[body.slug])).status_code == 403
    assert member.get(reverse("web:roll-csv", args=[body.slug])).status_code == 403
    refused = member.post(
        reverse("web:roll-preview", args=[body.slug]),
        {"roll": SimpleUploadedFile("roll.csv", FILE, content_type="text/csv")},
    )
    assert refused.status_code == 403
    assert member.post(reverse("web:roll-import", args=[body.slug])).status_code == 403
    anonymous = Client().get(reverse("web:roll", args=[body.slug]))
    assert anonymous.status_code == 302


def test_the_body_page_links_its_officer_to_the_roll(docks: tuple[Body, Client, Client]) -> None:
    body, officer, member = docks
    link = reverse("web:roll", args=[body.slug])
    assert link in officer.get(reverse("web:body", args=[body.slug])).content.decode()
    assert link not in member.get(reverse("web:body", args=[body.slug])).content.decode()


def test_an_invited_member_sets_a_password_and_is_signed_in(
    docks: tuple[Body, Client, Client], django_capture_on_commit_callbacks: Capture
) -> None:
    body, officer, _ = docks
    token = re.search(r'name="token" value="([^"]+)"', upload(officer, body, FILE))
    assert token is not None
    with django_capture_on_commit_callbacks(execute=True):
        officer.post(reverse("web:roll-import", args=[body.slug]), {"token": token.group(1)})
    invites.send_due_invitations()
    link = re.search(r"http://[^/]+(/accounts/invitation/\S+/)", str(mail.outbox[0].body))
    assert link is not None
    visitor = Client(headers={"accept-language": "es"})
    form = visitor.get(link.group(1))
    assert 'for="id_password"' in form.content.decode()
    assert "Establece tu contraseña" in form.content.decode()
    differ = visitor.post(
        link.group(1), {"password": "a long new password", "password_again": "another"}
    )
    assert differ.status_code == 400
    done = visitor.post(
        link.group(1),
        {"password": "a long new password", "password_again": "a long new password"},
        follow=True,
    )
    assert done.redirect_chain[-1][0] == reverse("web:home")
    assert done.context["user"].is_authenticated
    assert visitor.get(link.group(1)).status_code == 400  # used once


@pytest.mark.parametrize("language", ["en", "es"])
def test_every_roll_page_renders_in_the_officers_language(
    docks: tuple[Body, Client, Client], language: str
) -> None:
    body, officer, _ = docks
    page = officer.get(reverse("web:roll", args=[body.slug]), headers={"accept-language": language})
    assert page.status_code == 200
    assert f'<html lang="{language}">' in page.content.decode()
    assert 'for="roll-file"' in page.content.decode()  # the file input has its label
    assert f'<html lang="{language}">' in upload(officer, body, FILE, language)


def test_the_officer_sends_an_invitation_again_from_the_roll_page(
    docks: tuple[Body, Client, Client],
) -> None:
    body, officer, member = docks
    ana = Member.objects.get(name="Docker 3")  # no account yet
    roll_page = reverse("web:roll", args=[body.slug])
    again = reverse("web:roll-invite", args=[body.slug, ana.pk])
    # Without an address there is nothing to send.
    assert again not in officer.get(roll_page).content.decode()
    Member.objects.filter(pk=ana.pk).update(email="d3@example.org")
    page = officer.get(roll_page).content.decode()
    assert again in page
    assert "d3@example.org" in page
    done = officer.post(again, follow=True).content.decode()
    assert "The invitation to Docker 3 will be sent again shortly." in done
    assert "(invitation on its way)" in done
    assert invites.send_due_invitations() == 1
    assert [m.to for m in mail.outbox] == [["d3@example.org"]]
    # Only the officer; and a member not on the roll is refused in words.
    assert member.post(again).status_code == 403
    stranger = Member.objects.create(
        name="Olga Paz", email="o@example.org", created_at=ana.created_at
    )
    refused = officer.post(reverse("web:roll-invite", args=[body.slug, stranger.pk]), follow=True)
    assert "Refused: Olga Paz is not on the roll of &#x27;docks&#x27;" in refused.content.decode()


@override_settings(FROMBELOW_RATES={"invite": "2/h"})
def test_sending_invitations_again_is_rate_limited(docks: tuple[Body, Client, Client]) -> None:
    body, officer, _ = docks
    again = reverse("web:roll-invite", args=[body.slug, Member.objects.get(name="Docker 3").pk])
    assert [officer.post(again).status_code for _ in range(3)] == [302, 302, 429]
