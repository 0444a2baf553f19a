"""Fixtures for every test, and the `uses_db` mark on every test that reaches the database."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.test import TransactionTestCase
from django.utils import translation

# pytest-django's fixtures that give a test the database; a test that requests any of them, even
# through another fixture, reaches it. (`django_db_blocker` is not one: every test has it, through
# `_fresh_rate_limits` below, which reaches the database only for a test that has one of these.)
DATABASE_FIXTURES = frozenset(
    {
        "db",
        "transactional_db",
        "django_db_reset_sequences",
        "django_db_serialized_rollback",
        "django_db_setup",
        "live_server",
    }
)


def pytest_configure() -> None:
    """Hash the tests' passwords quickly.

    The installation's hasher (Django's PBKDF2, a million rounds) takes a quarter of a second a
    password here by design; the stories sign in dozens of times and the scenes make accounts
    for each test. What the tests check of passwords (refused when wrong, locked after too many)
    does not depend on the hasher, so they use Django's fastest, as Django's own documentation
    advises for test settings. Servers the tests start in their own process keep the real one.
    """
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects by the marks
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark `uses_db` every test that reaches the database: by its mark, by its fixtures, or as a
    method of a Django test case.

    The PostgreSQL run selects `-m uses_db`: selecting by the `django_db` mark alone would leave
    out the tests that get the database through a fixture, and they would run on SQLite only.
    """
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        case = getattr(item, "cls", None)
        if (
            item.get_closest_marker("django_db") is not None
            or fixtures & DATABASE_FIXTURES
            or (isinstance(case, type) and issubclass(case, TransactionTestCase))
        ):
            item.add_marker(pytest.mark.uses_db)


@pytest.fixture(autouse=True)
def _fresh_rate_limits(request: pytest.FixtureRequest, django_db_blocker: Any) -> Iterator[None]:
    """Start each test with empty caches, so that rate limits count only that test's requests."""
    # Accounts are numbered alike from test to test; without this, one test's casts would count
    # against the next test's member of the same number within the rate's window.
    in_database = [cache for cache in caches.all() if isinstance(cache, DatabaseCache)]
    for cache in caches.all():
        if cache not in in_database:
            cache.clear()
    yield
    # The rate limits count in a table of the test database. A test in a transaction leaves no
    # count behind; a transactional test commits its counts, and the flush after it empties only
    # the models' tables, so those are cleared here.
    if "transactional_db" in request.fixturenames or "live_server" in request.fixturenames:
        with django_db_blocker.unblock():
            for cache in in_database:
                cache.clear()


@pytest.fixture(autouse=True)
def _installation_language() -> Iterator[None]:
    """Leave the installation's language active after each test.

    LocaleMiddleware activates a request's language for the thread and nothing deactivates it,
    so one test's Spanish request would make the next test's English assertions read Spanish.
    """
    yield
    translation.deactivate()
