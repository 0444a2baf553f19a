"""The PostgreSQL run selects `-m uses_db`: tests/conftest.py marks so every test that reaches the
database, whether by the django_db mark or through a fixture, however far down."""

from __future__ import annotations

import pytest


def uses_db(request: pytest.FixtureRequest) -> bool:
    return request.node.get_closest_marker("uses_db") is not None


@pytest.fixture
def reaches_the_database(db: None) -> None:
    """A fixture that needs the database, as many of the suite's worlds do."""


@pytest.mark.django_db
def test_a_test_with_the_django_db_mark_is_marked(request: pytest.FixtureRequest) -> None:
    assert uses_db(request)


def test_a_test_with_the_db_fixture_is_marked(request: pytest.FixtureRequest, db: None) -> None:
    assert uses_db(request)


def test_a_test_whose_fixture_needs_the_database_is_marked(
    request: pytest.FixtureRequest, reaches_the_database: None
) -> None:
    assert uses_db(request)


def test_a_test_without_the_database_is_not_marked(request: pytest.FixtureRequest) -> None:
    assert not uses_db(request)
