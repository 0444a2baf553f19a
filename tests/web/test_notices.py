"""The page where a member chooses their notices: labelled checkboxes, all on until they choose
but the daily digest, which is off until they choose it."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from frombelow.db.models import NoticeKind
from frombelow.services import notices
from tests.services.world import Clock, person
from tests.web.scene import account

pytestmark = pytest.mark.django_db


def test_a_member_turns_a_notice_off_and_sees_their_choice(clock: Clock) -> None:
    member = person("Ana Ruiz")
    client = Client()
    client.force_login(account(member, "ana"))
    page = client.get(reverse("web:notices")).content.decode()
    boxes = re.findall(r'<input type="checkbox" name="([a-z-]+)" checked>', page)
    # Every kind on by default, but the digest; a charge against them is told always, unasked.
    chosen = set(NoticeKind.values) - notices.ALWAYS
    assert sorted(boxes) == sorted(chosen - {NoticeKind.DIGEST})
    assert '<input type="checkbox" name="digest">' in page
    assert page.count("<legend>") == 2  # the checkboxes are labelled groups
    wanted = {kind: "on" for kind in NoticeKind.values if kind != NoticeKind.VOTE_OPENED}
    response = client.post(reverse("web:notices"), wanted, follow=True)
    assert "Your choice of notices is saved." in response.content.decode()
    assert notices.choices_of(member) == {kind: kind != NoticeKind.VOTE_OPENED for kind in chosen}
    again = client.get(reverse("web:notices"), headers={"accept-language": "es"}).content.decode()
    assert '<input type="checkbox" name="vote-opened">' in again
    assert '<input type="checkbox" name="digest" checked>' in again
    assert "Avisos por correo" in again
    assert "Resumen diario" in again


def test_a_visitor_is_sent_to_sign_in() -> None:
    response = Client().get(reverse("web:notices"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:login"))
