"""Scratch PostgreSQL databases for a server in another process: made, migrated, dropped.

A server in a child process cannot see the test's own transaction, and pytest-django's flush
after a transactional test is refused by the record's append-only triggers. So a test that runs
a real server gives it a database of its own, next to the test database, and drops it afterwards.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

import dj_database_url
import psycopg
from psycopg import sql

from tests.support.server import manage


def postgres_settings(program: str) -> dict[str, Any] | None:
    """Return the settings of the PostgreSQL database DATABASE_URL names, for a benchmark beside it.

    Say so and return None when DATABASE_URL names none: the load targets are PostgreSQL's.
    """
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        print(f"{program} runs on PostgreSQL: set DATABASE_URL=postgres://...")
        return None
    return dict(dj_database_url.parse(url))


def url_of(settings: dict[str, Any], name: str) -> str:
    """Return the DATABASE_URL of database `name` on the server that Django's `settings` use."""
    user = quote(str(settings.get("USER") or "postgres"))
    password = settings.get("PASSWORD")
    credentials = f"{user}:{quote(str(password))}" if password else user
    host = settings.get("HOST") or "127.0.0.1"
    port = settings.get("PORT") or 5432
    return f"postgres://{credentials}@{host}:{port}/{name}"


def _admin(settings: dict[str, Any]) -> psycopg.Connection[Any]:
    return psycopg.connect(
        host=settings.get("HOST") or "127.0.0.1",
        port=int(settings.get("PORT") or 5432),
        user=settings.get("USER") or "postgres",
        password=settings.get("PASSWORD") or None,
        dbname="postgres",
        autocommit=True,
    )


def drop_database(settings: dict[str, Any], name: str) -> None:
    """Drop the database if it is there, closing whatever connections remain to it."""
    with _admin(settings) as admin:
        admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def migrate(url: str, data_dir: Path) -> None:
    """Bring the database's schema up to date, in a process of its own pointed at it."""
    manage("migrate", environment(url, data_dir), timeout=600)


def environment(url: str, data_dir: Path) -> dict[str, str]:
    """Return this process's environment pointed at the database and data folder."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "frombelow.config.settings",
        "DATABASE_URL": url,
        "FROMBELOW_DATA_DIR": str(data_dir),
    }


def _is_empty(url: str) -> bool:
    with psycopg.connect(url) as connection:
        row = connection.execute("SELECT count(*) FROM frombelow_recordentry").fetchone()
    return row is not None and row[0] == 0


def _copied(settings: dict[str, Any], name: str, template: str) -> bool:
    """Copy the template into a new database `name`; False if someone is connected to it.

    Another session on the template (pytest-django's live server thread, left from the browser
    stories in the same worker) makes PostgreSQL refuse the copy; a migrated one does instead.
    """
    with _admin(settings) as admin:
        try:
            admin.execute(
                sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                    sql.Identifier(name), sql.Identifier(template)
                )
            )
        except psycopg.errors.ObjectInUse:
            return False
    return True


@contextmanager
def scratch_database(
    settings: dict[str, Any], name: str, data_dir: Path, template: str | None = None
) -> Iterator[str]:
    """Make an empty, migrated database `name`; yield its URL; drop it afterwards.

    With a `template` (an empty, migrated database nobody is connected to, such as the test
    database), the new one is copied from it, which is far quicker than migrating; should the
    template hold a record already, the copy is dropped and a fresh database migrated instead.
    """
    drop_database(settings, name)
    url = url_of(settings, name)
    try:
        if template is not None and _copied(settings, name, template):
            if _is_empty(url):
                yield url
                return
            drop_database(settings, name)
        with _admin(settings) as admin:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        migrate(url, data_dir)
        yield url
    finally:
        drop_database(settings, name)
