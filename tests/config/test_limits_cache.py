"""The rate limits' cache: one statement per write, Django's cache semantics, occasional culls."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from frombelow.config import limits_cache
from frombelow.config.limits_cache import LimitsCache

pytestmark = pytest.mark.django_db


def _expires(key: str) -> object:
    with connection.cursor() as cursor:
        cursor.execute("SELECT expires FROM frombelow_limits WHERE cache_key LIKE %s", [f"%:{key}"])
        (row,) = cursor.fetchall()
    return row[0]


@pytest.fixture
def cache() -> LimitsCache:
    limits = caches["limits"]
    assert isinstance(limits, LimitsCache)
    return limits


def test_add_inserts_once_and_replaces_only_an_expired_value(cache: LimitsCache) -> None:
    assert cache.add("k", 1, 60) is True
    assert cache.add("k", 2, 60) is False
    assert cache.get("k") == 1
    cache.set("gone", 1, 0)  # a timeout of 0 stores it already expired
    assert cache.get("gone") is None
    assert cache.add("gone", 3, 60) is True
    assert cache.get("gone") == 3


def test_set_overwrites_and_incr_counts(cache: LimitsCache) -> None:
    cache.set("k", 1, 60)
    cache.set("k", 5, 60)
    assert cache.get("k") == 5
    assert cache.incr("k") == 6
    assert cache.get("k") == 6


def test_incr_keeps_the_expiry_and_needs_a_live_key(cache: LimitsCache) -> None:
    cache.add("k", 1, 3600)  # a rate window of an hour
    before = _expires("k")
    assert cache.incr("k", 2) == 3
    assert cache.decr("k") == 2
    # Django's own `incr` stores the sum with the default timeout (five minutes).
    assert _expires("k") == before
    with pytest.raises(ValueError, match="not found"):
        cache.incr("missing")
    cache.set("gone", 1, 0)
    with pytest.raises(ValueError, match="not found"):
        cache.incr("gone")


def test_an_incr_raced_by_another_count_counts_on_top_of_it(cache: LimitsCache) -> None:
    cache.add("k", 1, 60)
    raced = False

    def count_in_between(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        nonlocal raced
        if sql.startswith("UPDATE") and not raced:
            raced = True  # another worker counts between this one's read and its write
            cache.set("k", 5, 60)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count_in_between):
        assert cache.incr("k") == 6
    assert raced
    assert cache.get("k") == 6


def test_touch_needs_the_key(cache: LimitsCache) -> None:
    assert cache.touch("missing", 60) is False
    cache.set("k", 1, 60)
    assert cache.touch("k", 120) is True
    assert cache.get("k") == 1


def test_a_write_is_one_statement_without_counting_the_table(cache: LimitsCache) -> None:
    cache.add("first", 1, 60)  # the cursor's first use may set the connection up
    with CaptureQueriesContext(connection) as queries:
        for number in range(limits_cache.CULL_EVERY - 1):
            cache.add(f"key-{number}", 1, 60)
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    # At most one write in CULL_EVERY counts the table; the others are a single upsert each.
    assert len(counts) <= 1
    upserts = [q for q in queries.captured_queries if "ON CONFLICT" in q["sql"]]
    assert len(upserts) == limits_cache.CULL_EVERY - 1


def test_the_table_is_culled_past_its_cap(
    cache: LimitsCache, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(limits_cache, "CULL_EVERY", 5)
    monkeypatch.setattr(cache, "max_entries", 10)
    monkeypatch.setattr(cache, "cull_frequency", 2)
    for number in range(60):
        cache.set(f"key-{number}", number, 60)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM frombelow_limits")
        row = cursor.fetchone()
    # Without culls the table would hold all 60; each cull halves it once past 10 entries.
    assert row is not None
    assert row[0] <= 10 + 5
    assert cache.get("key-59") == 59
