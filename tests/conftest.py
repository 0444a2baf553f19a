"""Fixtures for every test."""

from __future__ import annotations

import pytest
from django.core.cache import caches


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    """Start each test with empty caches, so that rate limits count only that test's requests."""
    # Accounts are numbered alike from test to test; without this, one test's casts would count
    # against the next test's member of the same number within the rate's window.
    for cache in caches.all():
        cache.clear()
