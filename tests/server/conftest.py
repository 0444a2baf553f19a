"""A real server for these tests: gunicorn on the production settings, on PostgreSQL.

Each test gets a scratch database of its own beside the test database (copied from it, so empty
and migrated), which the server in its child process reads and writes; it is dropped afterwards.
The tests run on PostgreSQL only: concurrent writers are PostgreSQL's story in production, while
SQLite, which `make test` runs first, takes one writer at a time by design.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection

from tests.support.scratch import scratch_database

# Each test module's mark: transactional, so that nothing wraps the test in a transaction that
# would hold the test database open; only contenttypes is flushed afterwards, since the record's
# append-only triggers refuse the flush of its tables (and the test writes nothing to them).
ON_POSTGRESQL = [
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="the real-server tests run on PostgreSQL (set DATABASE_URL); SQLite takes one "
        "writer at a time by design",
    ),
    pytest.mark.django_db(transaction=True, available_apps=["django.contrib.contenttypes"]),
]


@dataclass(frozen=True)
class ServerDatabase:
    """The scratch database's URL, the server's data folder, and Django's connection settings."""

    url: str
    data_dir: Path
    settings: dict[str, Any]


@pytest.fixture
def server_database(tmp_path: Path) -> Iterator[ServerDatabase]:
    """Yield an empty, migrated database for a server in another process; drop it afterwards."""
    database = dict(connection.settings_dict)
    template = str(database["NAME"])
    # Copying a database needs every connection to it closed, this process's included.
    connection.close()
    data_dir = tmp_path / "server"
    data_dir.mkdir()
    with scratch_database(database, f"{template}_server", data_dir, template=template) as url:
        yield ServerDatabase(url=url, data_dir=data_dir, settings=database)
