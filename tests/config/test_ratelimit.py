"""Casting, signing and opening petitions are refused with 429 beyond their rate, per requester."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory, override_settings

from frombelow.http.ratelimit import limited, refuse_json, requester

pytestmark = pytest.mark.django_db


@limited("cast")
def cast_view(request: HttpRequest, pk: int) -> HttpResponse:
    return HttpResponse(f"cast {pk}", status=201)


def post(user: Any, address: str = "192.0.2.1", method: str = "POST") -> HttpResponse:
    request = RequestFactory().generic(method, "/votes/1/cast")
    request.META["REMOTE_ADDR"] = address
    request.user = user
    response = cast_view(request, pk=1)
    assert isinstance(response, HttpResponse)
    return response


@override_settings(FROMBELOW_RATES={"cast": "3/m"})
def test_posts_beyond_the_rate_are_refused_with_a_time_to_wait() -> None:
    ana = User.objects.create_user("ana")
    assert [post(ana).status_code for _ in range(3)] == [201, 201, 201]
    refused = post(ana)
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert "Too many requests" in refused.content.decode()


@override_settings(FROMBELOW_RATES={"cast": "3/m"})
def test_each_member_has_their_own_count_even_from_one_address() -> None:
    ana, bea = User.objects.create_user("ana"), User.objects.create_user("bea")
    for _ in range(4):
        post(ana)
    assert post(ana).status_code == 429
    assert post(bea).status_code == 201


@override_settings(FROMBELOW_RATES={"cast": "3/m"})
def test_anonymous_requests_count_per_address_and_reading_is_not_counted() -> None:
    for _ in range(5):
        assert post(AnonymousUser(), method="GET").status_code == 201
    for _ in range(3):
        post(AnonymousUser(), "192.0.2.1")
    assert post(AnonymousUser(), "192.0.2.1").status_code == 429
    assert post(AnonymousUser(), "198.51.100.7").status_code == 201


@override_settings(FROMBELOW_RATES={})
def test_a_group_without_a_rate_is_not_limited() -> None:
    ana = User.objects.create_user("ana")
    assert {post(ana).status_code for _ in range(20)} == {201}


def test_the_requester_is_the_account_when_signed_in() -> None:
    ana = User.objects.create_user("ana")
    request = RequestFactory().post("/")
    request.user = ana
    assert requester("cast", request) == f"user:{ana.pk}"
    request.user = AnonymousUser()
    assert requester("cast", request) == "address:127.0.0.1"


def test_the_api_refusal_is_json_in_the_api_error_shape() -> None:
    refused = refuse_json(RequestFactory().post("/"), 12)
    assert refused.status_code == 429
    assert json.loads(refused.content) == {
        "error": "rate_limited",
        "detail": "too many requests: retry after 12 seconds",
    }


def test_the_openapi_document_still_describes_the_limited_endpoints() -> None:
    document = Client().get("/api/v1/openapi.json").json()
    cast = document["paths"]["/api/v1/votes/{vote_id}/ballots"]["post"]
    assert {p["name"] for p in cast["parameters"]} >= {"vote_id", "Idempotency-Key"}
    assert "requestBody" in cast
