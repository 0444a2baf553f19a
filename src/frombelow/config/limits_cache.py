"""The rate limits' cache: Django's database cache, with each write one statement.

Django's `DatabaseCache` counts the whole table (`SELECT COUNT(*)`) before every write to decide
whether to cull, then reads the key and inserts or updates it in a transaction of its own: five
round trips and a commit for each limited POST, and a count that grows with the table. Here a
write (`set`, `add`, `touch`) is one statement; `set` and `add` are one `INSERT ... ON CONFLICT`
(PostgreSQL and SQLite both have it; the key is the table's primary key, so two processes adding
one key at once cannot both insert it). `incr` reads the count and writes the next one only if
the stored count is still the one it read, trying again if another process counted in between:
no count is lost, however many workers count one requester at once, and the key keeps its expiry
(the end of its rate window) as memcached's and Redis's counters do. The table is counted and
culled only every `CULL_EVERY` writes of a process. Between two culls the table may pass
MAX_ENTRIES by that many rows per process; the cap only bounds the table's size, the counts
themselves expire by their own time. Reads (`get`, `has_key`) and deletes are Django's.

Only Django's public cache interface is overridden (its methods `add`, `set`, `touch`, `incr`),
with SQL through the connection's cursor; the table's name and the cap are read from the
settings given to the constructor.
"""

from __future__ import annotations

import base64
import itertools
import pickle
from datetime import UTC, datetime
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache
from django.db import connections, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.utils import CursorWrapper
from django.utils.timezone import now as tz_now

# One write in this many (per process) counts the table and culls it when past MAX_ENTRIES.
CULL_EVERY = 100

# How many times `incr` reads and writes again when other processes keep counting the same key
# between its read and its write. Each lost try is another process's count written, so this is
# only reached under a flood of one requester's posts, which is then refused (the limit fails
# closed).
INCR_TRIES = 50


class LimitsCache(DatabaseCache):
    """A database cache whose writes are single statements and whose culls are occasional."""

    # Shared by the cache's per-thread instances: the process's writes, numbered.
    _writes = itertools.count(1)

    def __init__(self, table: str, params: dict[str, Any]) -> None:
        super().__init__(table, params)
        self.table = table
        # As Django reads them (the cache's OPTIONS, lower case accepted at the top level).
        options = params.get("OPTIONS", {})
        self.max_entries = int(params.get("max_entries", options.get("MAX_ENTRIES", 300)))
        self.cull_frequency = int(params.get("cull_frequency", options.get("CULL_FREQUENCY", 3)))

    def set(
        self,
        key: Any,
        value: Any,
        timeout: float | None = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> None:
        self._write("set", self.make_and_validate_key(key, version=version), value, timeout)

    def add(
        self,
        key: Any,
        value: Any,
        timeout: float | None = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> bool:
        return self._write("add", self.make_and_validate_key(key, version=version), value, timeout)

    def touch(
        self, key: Any, timeout: float | None = DEFAULT_TIMEOUT, version: int | None = None
    ) -> bool:
        return self._write("touch", self.make_and_validate_key(key, version=version), None, timeout)

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        """Add `delta` to the stored number and return the sum, counting every concurrent call."""
        key = self.make_and_validate_key(key, version=version)
        connection = self._connection()
        quote = connection.ops.quote_name
        table = quote(self.table)
        read = (
            f"SELECT {quote('value')} FROM {table}"
            f" WHERE {quote('cache_key')} = %s AND {quote('expires')} >= %s"
        )
        # Compare and set: the write takes effect only over the value that was read.
        write = (
            f"UPDATE {table} SET {quote('value')} = %s"
            f" WHERE {quote('cache_key')} = %s AND {quote('value')} = %s"
        )
        with connection.cursor() as cursor:
            for _ in range(INCR_TRIES):
                cursor.execute(read, [key, connection.ops.adapt_datetimefield_value(tz_now())])
                row = cursor.fetchone()
                if row is None:  # missing or expired, as Django's `incr` says
                    raise ValueError(f"Key '{key}' not found")
                stored = connection.ops.process_clob(row[0])
                total = pickle.loads(base64.b64decode(stored.encode())) + delta
                cursor.execute(write, [self._encode(total), key, stored])
                if cursor.rowcount:
                    return int(total)
        raise ValueError(f"Key '{key}' kept changing: not counted after {INCR_TRIES} tries")

    def _connection(self) -> BaseDatabaseWrapper:
        return connections[router.db_for_write(self.cache_model_class)]

    def _encode(self, value: Any) -> str:
        # As Django stores values: pickled, then base64 as text. Refs Django #19274.
        return base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")

    def _write(self, mode: str, key: str, value: Any, timeout: float | None) -> bool:
        expiry = self.get_backend_timeout(timeout)
        connection = self._connection()
        quote = connection.ops.quote_name
        table = quote(self.table)
        now = tz_now().replace(microsecond=0)
        expires = (
            datetime.max if expiry is None else datetime.fromtimestamp(expiry, tz=UTC)
        ).replace(microsecond=0)
        stored_expires = connection.ops.adapt_datetimefield_value(expires)
        with connection.cursor() as cursor:
            if next(self._writes) % CULL_EVERY == 0:
                self._cull_if_full(connection, cursor, now)
            if mode == "touch":
                cursor.execute(
                    f"UPDATE {table} SET {quote('expires')} = %s WHERE {quote('cache_key')} = %s",
                    [stored_expires, key],
                )
                return bool(cursor.rowcount)
            upsert = (
                f"INSERT INTO {table} ({quote('cache_key')}, {quote('value')}, {quote('expires')})"
                f" VALUES (%s, %s, %s) ON CONFLICT ({quote('cache_key')}) DO UPDATE SET"
                f" {quote('value')} = excluded.{quote('value')},"
                f" {quote('expires')} = excluded.{quote('expires')}"
            )
            parameters: list[Any] = [key, self._encode(value), stored_expires]
            if mode == "add":
                # An add replaces only an expired value, as Django's does.
                upsert += f" WHERE {table}.{quote('expires')} < %s"
                parameters.append(connection.ops.adapt_datetimefield_value(now))
            cursor.execute(upsert, parameters)
            return bool(cursor.rowcount)

    def _cull_if_full(
        self, connection: BaseDatabaseWrapper, cursor: CursorWrapper, now: datetime
    ) -> None:
        """Past the cap, delete the expired rows, then 1/CULL_FREQUENCY of the rest, as Django."""
        quote = connection.ops.quote_name
        table = quote(self.table)
        cursor.execute(f"SELECT COUNT(*) FROM {table}")
        (count,) = cursor.fetchone() or (0,)
        if count <= self.max_entries:
            return
        if self.cull_frequency == 0:
            cursor.execute(f"DELETE FROM {table}")
            return
        cursor.execute(
            f"DELETE FROM {table} WHERE {quote('expires')} < %s",
            [connection.ops.adapt_datetimefield_value(now)],
        )
        remaining = count - cursor.rowcount
        if remaining <= self.max_entries:
            return
        # The key at the culled fraction's end, in key order; the keys before it go.
        cursor.execute(
            connection.ops.cache_key_culling_sql() % table, [remaining // self.cull_frequency]
        )
        last = cursor.fetchone()
        if last is not None:
            cursor.execute(f"DELETE FROM {table} WHERE {quote('cache_key')} < %s", [last[0]])
