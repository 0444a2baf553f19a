"""`frombelow backup` and `frombelow restore`: a backup restored into a fresh database holds the
same record, root for root, and the same rows, on SQLite and on PostgreSQL."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest

REPOSITORY = Path(__file__).resolve().parents[2]
POSTGRES = "postgres://postgres@127.0.0.1:5432"


@dataclass(frozen=True)
class Place:
    """Where one installation keeps its data: a data folder, and a database URL or SQLite."""

    data_dir: Path
    database_url: str | None

    def environment(self) -> dict[str, str]:
        """Return the environment of that installation, with the development settings."""
        environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "frombelow.config.settings",
            "FROMBELOW_DATA_DIR": str(self.data_dir),
        }
        environment.pop("DATABASE_URL", None)
        if self.database_url:
            environment["DATABASE_URL"] = self.database_url
        return environment

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        """Run a command as that installation."""
        return subprocess.run(
            [sys.executable, *args],
            cwd=REPOSITORY,
            env=self.environment(),
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )

    def frombelow(self, *args: str) -> subprocess.CompletedProcess[str]:
        return self.run("-m", "frombelow.cli.main", *args)

    def describe(self) -> dict[str, Any]:
        described = self.run("-m", "tests.cli.backup_world", "describe")
        assert described.returncode == 0, described.stderr
        seen: dict[str, Any] = json.loads(described.stdout)
        return seen


def postgres_databases(names: list[str], drop: bool = False) -> None:
    """Create (or drop) PostgreSQL databases, or skip when no server answers."""
    try:
        with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True, connect_timeout=5) as db:
            for name in names:
                db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                if not drop:
                    db.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as error:
        if drop:
            raise
        pytest.skip(f"no PostgreSQL server at {POSTGRES}: {error}")


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def places(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Place, Place]]:
    """Give a source installation holding a small congress, and a fresh, empty one."""
    root = tmp_path_factory.mktemp(request.param)
    if request.param == "sqlite":
        yield Place(root / "source", None), Place(root / "fresh", None)
        return
    names = [f"frombelow_backup_{secrets.token_hex(4)}_{side}" for side in ("source", "fresh")]
    postgres_databases(names)
    try:
        yield (
            Place(root / "source", f"{POSTGRES}/{names[0]}"),
            Place(root / "fresh", f"{POSTGRES}/{names[1]}"),
        )
    finally:
        postgres_databases(names, drop=True)


@pytest.fixture(scope="module")
def backed_up(places: tuple[Place, Place]) -> tuple[Path, dict[str, Any]]:
    """Build the congress in the source, describe it, and back it up."""
    source, _ = places
    built = source.run("-m", "tests.cli.backup_world", "build")
    assert built.returncode == 0, built.stderr
    before = source.describe()
    backup = source.data_dir / "congress.backup"
    backed = source.frombelow("backup", str(backup))
    assert backed.returncode == 0, backed.stderr
    return backup, before


def test_a_backup_restored_into_a_fresh_database_holds_the_same_record_and_rows(
    places: tuple[Place, Place], backed_up: tuple[Path, dict[str, Any]]
) -> None:
    _, fresh = places
    backup, before = backed_up
    restored = fresh.frombelow("restore", str(backup))
    assert restored.returncode == 0, restored.stderr

    after = fresh.describe()
    assert before["entries"] > 40
    assert after["entries"] == before["entries"]
    assert after["recomputed_root"] == before["recomputed_root"]
    assert after["recomputed_root"] == after["head_root"]
    assert after["counts"] == before["counts"]

    # The fresh database now holds a record: a second restore must be asked for explicitly.
    again = fresh.frombelow("restore", str(backup))
    assert again.returncode == 1
    assert "already holds a record" in again.stderr
    replaced = fresh.frombelow("restore", "--replace", str(backup))
    assert replaced.returncode == 0, replaced.stderr
    assert fresh.describe() == after


def test_the_restored_record_is_still_append_only(
    places: tuple[Place, Place], backed_up: tuple[Path, dict[str, Any]]
) -> None:
    _, fresh = places
    backup, _ = backed_up
    assert fresh.frombelow("restore", "--replace", str(backup)).returncode == 0
    tamper = (
        "import django; django.setup()\n"
        "from frombelow.db.models import RecordEntry\n"
        "RecordEntry.objects.filter(seq=0).update(actor='someone else')\n"
    )
    tampered = fresh.run("-c", tamper)
    assert tampered.returncode != 0
    assert "append-only" in tampered.stderr


def test_restore_refuses_a_file_that_is_not_a_backup_and_changes_nothing(
    places: tuple[Place, Place], backed_up: tuple[Path, dict[str, Any]]
) -> None:
    source, _ = places
    _, before = backed_up
    not_a_backup = source.data_dir / "minutes.txt"
    not_a_backup.write_text("Minutes of the congress\n")
    refused = source.frombelow("restore", "--replace", str(not_a_backup))
    assert refused.returncode == 1
    assert "not a frombelow backup" in refused.stderr
    assert source.describe() == before


def test_restore_refuses_a_backup_from_the_other_kind_of_database(
    places: tuple[Place, Place], backed_up: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    source, _ = places
    backup, before = backed_up
    other = tmp_path / "other.backup"
    head = b"SQLite format 3\x00" if source.database_url else b"PGDMP"
    other.write_bytes(head + backup.read_bytes()[len(head) :])
    refused = source.frombelow("restore", "--replace", str(other))
    assert refused.returncode == 1
    assert "but the database configured is" in refused.stderr
    assert source.describe() == before


def test_a_backup_taken_while_the_database_is_written_is_consistent(
    places: tuple[Place, Place], backed_up: tuple[Path, dict[str, Any]]
) -> None:
    source, fresh = places
    _, before = backed_up
    writer = subprocess.Popen(
        [sys.executable, "-m", "tests.cli.backup_world", "write", "5000"],
        cwd=REPOSITORY,
        env=source.environment(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    overlapped: list[Path] = []
    try:
        assert writer.stdout is not None
        assert writer.stdout.readline() == "writing\n"
        # Two backups taken while the writer is running, then the writer is stopped: a
        # registration cut off by the stop is rolled back whole, as a crashed server's would be.
        for n in range(2):
            backup = source.data_dir / f"busy-{n}.backup"
            taken = source.frombelow("backup", str(backup))
            assert taken.returncode == 0, taken.stderr
            assert writer.poll() is None, "the writer finished before the backup: write more"
            overlapped.append(backup)
    finally:
        writer.terminate()
        writer.communicate(timeout=60)

    for backup in overlapped:
        assert fresh.frombelow("restore", "--replace", str(backup)).returncode == 0
        after = fresh.describe()
        assert after["recomputed_root"] == after["head_root"]
        assert after["entries"] == after["counts"]["frombelow_recordentry"]
        # Each registration is one member and one entry together: a torn copy would part them.
        registered = after["counts"]["frombelow_member"] - before["counts"]["frombelow_member"]
        assert after["entries"] - before["entries"] == registered
