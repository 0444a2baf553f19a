"""The language switch: a signed-in member's choice is kept with their account, so that their pages
follow it over the browser's, and it survives signing out and in on another browser."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from frombelow.db.models import Member
from tests.services.world import Clock, person
from tests.web.scene import PASSWORD, account

pytestmark = pytest.mark.django_db


def signed_in(username: str) -> Client:
    """A fresh browser that asks for English, signed in through the sign-in form."""
    client = Client(headers={"accept-language": "en"})
    response = client.post(
        reverse("web:login"), {"username": username, "password": PASSWORD}, follow=True
    )
    assert response.context["user"].is_authenticated
    return client


def test_a_members_language_is_kept_and_followed_after_signing_in_again(clock: Clock) -> None:
    member = person("Ana Ruiz")
    account(member, "ana")
    client = signed_in("ana")
    assert '<html lang="en">' in client.get(reverse("web:home")).content.decode()
    switched = client.post(
        reverse("web:language"), {"language": "es", "next": reverse("web:notices")}
    )
    assert switched.status_code == 302
    assert switched["Location"] == reverse("web:notices")
    assert switched.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    member.refresh_from_db()
    assert member.language == "es"
    client.post(reverse("web:logout"))
    # Another browser, which asks for English and has no cookie: the member's choice wins.
    again = signed_in("ana")
    page = again.get(reverse("web:home"))
    assert '<html lang="es">' in page.content.decode()
    assert again.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"  # the cookie follows
    # Choosing back stores it too.
    again.post(reverse("web:language"), {"language": "en", "next": "/"})
    assert '<html lang="en">' in again.get(reverse("web:home")).content.decode()
    member.refresh_from_db()
    assert member.language == "en"


def test_a_visitor_switches_by_the_cookie_alone_and_a_bad_language_is_ignored(
    clock: Clock,
) -> None:
    visitor = Client()
    switched = visitor.post(reverse("web:language"), {"language": "es", "next": "/"})
    assert switched.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    assert '<html lang="es">' in visitor.get(reverse("web:login")).content.decode()
    member = person("Ana Ruiz")
    account(member, "ana")
    client = signed_in("ana")
    client.post(reverse("web:language"), {"language": "xx", "next": "/"})
    member.refresh_from_db()
    assert member.language == ""
    assert not Member.objects.exclude(language="").exists()


def test_the_switch_on_every_page_posts_to_the_remembering_view(clock: Clock) -> None:
    page = Client().get(reverse("web:login")).content.decode()
    assert f'<form action="{reverse("web:language")}" method="post">' in page
