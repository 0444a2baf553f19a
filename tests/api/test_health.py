"""The API answers and publishes its OpenAPI document."""

from django.test import Client


def test_health_reports_status_and_version() -> None:
    response = Client().get("/api/v1/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_openapi_document_lists_the_health_endpoint() -> None:
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert "/api/v1/health" in response.json()["paths"]
