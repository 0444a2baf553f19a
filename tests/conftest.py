"""Fixtures for every test."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.utils import translation


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
