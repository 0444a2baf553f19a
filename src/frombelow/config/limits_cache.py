"""The rate limits' cache: Django's database cache, with each write one statement.

Django's `DatabaseCache` counts the whole table (`SELECT COUNT(*)`) before every write to decide
whether to cull, then reads the key and inserts or updates it in a transaction of its own: five
round trips and a commit for each limited POST, and a count that grows with the table. Here a
write is one `INSERT ... ON CONFLICT` (PostgreSQL and SQLite both have it; the key is the table's
primary key, so two processes adding one key at once cannot both insert it), and the table is
counted and culled only every `CULL_EVERY` writes of a process. Between two culls the table may
pass MAX_ENTRIES by that many rows per process; the cap only bounds the table's size, the counts
themselves expire by their own time. Reads (`get`, `incr`'s read) are Django's.
"""

from __future__ import annotations

import base64
import itertools
import pickle
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache
from django.db import connections, router
from django.utils.timezone import now as tz_now

# One write in this many (per process) counts the table and culls it when past MAX_ENTRIES.
CULL_EVERY = 100


class LimitsCache(DatabaseCache):
    """A database cache whose writes are single upserts and whose culls are occasional."""

    # Django's own, which its type stubs leave out.
    _table: str
    _cull: Callable[[str, Any, datetime, int], None]

    # Shared by the cache's per-thread instances: the process's writes, numbered.
    _writes = itertools.count(1)

    def _base_set(
        self, mode: str, key: str, value: Any, timeout: float | None = DEFAULT_TIMEOUT
    ) -> bool:
        expiry = self.get_backend_timeout(timeout)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        quote = connection.ops.quote_name
        table = quote(self._table)
        now = tz_now().replace(microsecond=0)
        expires = (
            datetime.max if expiry is None else datetime.fromtimestamp(expiry, tz=UTC)
        ).replace(microsecond=0)
        stored_expires = connection.ops.adapt_datetimefield_value(expires)
        with connection.cursor() as cursor:
            if next(self._writes) % CULL_EVERY == 0:
                self._cull_if_full(db, cursor, now)
            if mode == "touch":
                cursor.execute(
                    f"UPDATE {table} SET {quote('expires')} = %s WHERE {quote('cache_key')} = %s",
                    [stored_expires, key],
                )
                return bool(cursor.rowcount)
            encoded = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
            upsert = (
                f"INSERT INTO {table} ({quote('cache_key')}, {quote('value')}, {quote('expires')})"
                f" VALUES (%s, %s, %s) ON CONFLICT ({quote('cache_key')}) DO UPDATE SET"
                f" {quote('value')} = excluded.{quote('value')},"
                f" {quote('expires')} = excluded.{quote('expires')}"
            )
            parameters: list[Any] = [key, encoded, stored_expires]
            if mode == "add":
                # An add replaces only an expired value, as Django's does.
                upsert += f" WHERE {table}.{quote('expires')} < %s"
                parameters.append(connection.ops.adapt_datetimefield_value(now))
            cursor.execute(upsert, parameters)
            return bool(cursor.rowcount)

    def _cull_if_full(self, db: str, cursor: Any, now: datetime) -> None:
        cursor.execute(f"SELECT COUNT(*) FROM {connections[db].ops.quote_name(self._table)}")
        count = cursor.fetchone()[0]
        if count > self._max_entries:
            self._cull(db, cursor, now, count)
