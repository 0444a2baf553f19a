"""The API answers and publishes its OpenAPI document."""

from django.test import Client, RequestFactory
from django.urls import resolve


def test_health_reports_status_and_version() -> None:
    response = Client().get("/api/v1/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_openapi_document_lists_the_health_endpoint() -> None:
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert "/api/v1/health" in response.json()["paths"]


def test_health_answers_head_with_no_body() -> None:
    assert Client().head("/api/v1/health").status_code == 200
    # The test client drops a HEAD answer's body itself: ask the view directly that it sends none.
    answered = resolve("/api/v1/health").func(RequestFactory().head("/api/v1/health"))
    assert answered.status_code == 200
    assert answered.content == b""
