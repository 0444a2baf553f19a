"""Accepting invitations is rate-limited per address: a script cannot make the server hash
passwords, or try links, without end; a member elsewhere is not affected."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client, override_settings

from frombelow.services.invites import invitation_link

pytestmark = pytest.mark.django_db

NEW = {"password": "a long new password", "password_again": "a long new password"}


@override_settings(FROMBELOW_RATES={"sign-up": "2/h"}, FROMBELOW_BASE_URL="http://testserver")
def test_posts_to_invitations_beyond_the_rate_are_refused_per_address() -> None:
    invited = User.objects.create_user("invited", password=None)
    link = invitation_link(invited).removeprefix("http://testserver")
    crowd = Client(REMOTE_ADDR="192.0.2.9")
    differ = {"password": "a long new password", "password_again": "another"}
    assert [crowd.post(link, differ).status_code for _ in range(2)] == [400, 400]
    refused = crowd.post(link, NEW)
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) >= 1
    invited.refresh_from_db()
    assert not invited.has_usable_password()  # the refused post set nothing
    assert crowd.get(link).status_code == 200  # reading the form is never limited

    elsewhere = Client(REMOTE_ADDR="198.51.100.4")
    assert elsewhere.post(link, NEW).status_code == 302
    invited.refresh_from_db()
    assert invited.check_password(NEW["password"])
