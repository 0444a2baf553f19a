"""Backup and restore of the whole database: SQLite's online backup API, PostgreSQL's own tools.

A backup is one file: on SQLite a database file copied page by page in one read transaction (so
it is consistent while the server writes), on PostgreSQL a `pg_dump` custom-format archive (one
snapshot). Restoring replaces the whole database with the backup's, in one transaction where the
database allows it. Neither writes a record entry: a restored record must be exactly the one that
was backed up, root for root, and the backup itself changes nothing.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections

from frombelow.db.models import RecordEntry

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"


class BackupError(Exception):
    """A backup or restore that cannot be done, with what to do about it."""


def backup_database(path: Path, *, using: str = DEFAULT_DB_ALIAS) -> None:
    """Write a consistent copy of the whole database to `path`, replacing nothing until done."""
    settings = connections[using].settings_dict
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    vendor = connections[using].vendor
    if vendor == "sqlite":
        _sqlite_backup(Path(settings["NAME"]), partial)
    elif vendor == "postgresql":
        _run([_tool("pg_dump"), "--format=custom", f"--file={partial}"], settings)
    else:
        raise BackupError(f"cannot back up a {vendor} database: only SQLite and PostgreSQL")
    # Only a complete backup takes the name, so that a failed run never leaves a truncated file
    # where an operator expects a good one.
    os.replace(partial, path)


def restore_database(path: Path, *, replace: bool = False, using: str = DEFAULT_DB_ALIAS) -> None:
    """Replace the whole database with the backup at `path`; refuse to drop a record unless told."""
    if not path.is_file():
        raise BackupError(f"no backup at {path}")
    connection = connections[using]
    vendor = connection.vendor
    kind = _backup_kind(path)
    if kind != vendor:
        raise BackupError(
            f"{path} is a {kind or 'not a frombelow'} backup, "
            f"but the database configured is {vendor}"
        )
    if not replace and holds_record(using=using):
        raise BackupError(
            "the database already holds a record; restoring would replace it. "
            "Back it up first, then restore with --replace if that is what you mean"
        )
    # The restore goes through other connections (SQLite's backup API, psql), which must not
    # wait on a transaction or a lock this one still holds.
    connection.close()
    if vendor == "sqlite":
        _sqlite_restore(path, Path(connection.settings_dict["NAME"]))
    else:
        _postgresql_restore(path, connection.settings_dict)


def holds_record(*, using: str = DEFAULT_DB_ALIAS) -> bool:
    """Tell whether the database has the record's table and at least one entry in it."""
    connection = connections[using]
    table = RecordEntry._meta.db_table
    with connection.cursor() as cursor:
        if table not in connection.introspection.table_names(cursor):
            return False
    return RecordEntry.objects.using(using).exists()


def _backup_kind(path: Path) -> str | None:
    with path.open("rb") as file:
        head = file.read(len(SQLITE_MAGIC))
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PG_DUMP_MAGIC):
        return "postgresql"
    return None


def _sqlite_backup(database: Path, target: Path) -> None:
    source = sqlite3.connect(database, timeout=20)
    try:
        destination = sqlite3.connect(target)
        try:
            # All pages in one step: one read transaction, so one consistent state, while the
            # server's writers queue behind it for the moment the copy takes.
            source.backup(destination)
            # A backup is one self-contained file, not a database and its write-ahead log.
            destination.execute("PRAGMA journal_mode=DELETE")
            _check_sqlite(destination, target)
        finally:
            destination.close()
    finally:
        source.close()


def _sqlite_restore(backup: Path, database: Path) -> None:
    source = sqlite3.connect(f"{backup.resolve().as_uri()}?mode=ro", uri=True)
    try:
        _check_sqlite(source, backup)
        destination = sqlite3.connect(database, timeout=20)
        try:
            # The backup API writes every page of the destination in one transaction: the
            # database is either wholly the old one or wholly the backup's.
            source.backup(destination)
            destination.execute("PRAGMA journal_mode=WAL")
        finally:
            destination.close()
    finally:
        source.close()


def _check_sqlite(database: sqlite3.Connection, path: Path) -> None:
    (verdict,) = database.execute("PRAGMA integrity_check").fetchone()
    if verdict != "ok":
        raise BackupError(f"{path} is damaged: {verdict}")
    tables = {name for (name,) in database.execute("SELECT name FROM sqlite_master")}
    if "django_migrations" not in tables:
        raise BackupError(f"{path} is a SQLite database but not a frombelow one")


def _postgresql_restore(backup: Path, settings: Mapping[str, Any]) -> None:
    # The archive is turned into SQL and applied by psql in ONE transaction together with
    # dropping what the database held: a restore that fails half-way changes nothing.
    with tempfile.TemporaryFile() as unpack_errors:
        pg_restore = subprocess.Popen(
            [_tool("pg_restore"), "--no-owner", "--no-privileges", "--file=-", str(backup)],
            stdout=subprocess.PIPE,
            stderr=unpack_errors,
            env=_pg_environment(settings),
        )
        applied = _apply_sql(pg_restore, settings)
        unpacked = pg_restore.wait()
        unpack_errors.seek(0)
        unpack_message = unpack_errors.read().decode(errors="replace").strip()
    if unpacked != 0:
        raise BackupError(f"pg_restore could not read {backup}: {unpack_message}")
    if applied.returncode != 0:
        raise BackupError(
            f"psql refused the restore, nothing was changed: {applied.stderr.strip()}"
        )


def _apply_sql(
    pg_restore: subprocess.Popen[bytes], settings: Mapping[str, Any]
) -> subprocess.CompletedProcess[str]:
    """Drop the database's schema and apply the archive's SQL, in one psql transaction."""
    if pg_restore.stdout is None:
        raise BackupError("pg_restore gave no output to apply")
    applied = subprocess.run(
        [
            _tool("psql"),
            "--no-psqlrc",
            "--quiet",
            "--single-transaction",
            "--set=ON_ERROR_STOP=1",
            "--command=DROP SCHEMA public CASCADE",
            "--command=CREATE SCHEMA public",
            "--file=-",
        ],
        stdin=pg_restore.stdout,
        capture_output=True,
        text=True,
        env=_pg_environment(settings),
        check=False,
    )
    pg_restore.stdout.close()
    return applied


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"{name} not found: install the PostgreSQL client tools of the server's version "
            "(Debian: postgresql-client)"
        )
    return found


def _pg_environment(settings: Mapping[str, Any]) -> dict[str, str]:
    """Return the environment that points libpq's tools at the configured database."""
    environment = dict(os.environ)
    for variable, key in [
        ("PGDATABASE", "NAME"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
    ]:
        if settings.get(key):
            environment[variable] = str(settings[key])
    return environment


def _run(command: list[str], settings: Mapping[str, Any]) -> None:
    ran = subprocess.run(
        command, capture_output=True, text=True, env=_pg_environment(settings), check=False
    )
    if ran.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {ran.stderr.strip()}")
