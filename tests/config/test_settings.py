"""The database comes from DATABASE_URL, else SQLite in WAL mode with full synchronisation."""

import pytest
from django.db import connection

from frombelow.config.settings.base import database_from_environment


def test_database_url_selects_postgresql(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgres://someone@db.example:5432/congress")
    config = database_from_environment()
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert config["NAME"] == "congress"
    assert config["HOST"] == "db.example"


def test_without_database_url_sqlite_is_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    config = database_from_environment()
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert "journal_mode=WAL" in config["OPTIONS"]["init_command"]


@pytest.mark.django_db
def test_the_database_in_use_survives_power_loss() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
            cursor.execute("PRAGMA synchronous")
            assert cursor.fetchone()[0] == 2  # FULL
        else:
            cursor.execute("SHOW fsync")
            assert cursor.fetchone()[0] == "on"
