"""The front page renders."""

from django.test import Client


def test_home_renders_the_name_of_the_project() -> None:
    response = Client().get("/")
    assert response.status_code == 200
    assert b"frombelow" in response.content
