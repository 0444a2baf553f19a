"""The load benchmark still runs at a tiny size against the real server, and nothing fails."""

from __future__ import annotations

import pytest

from benchmarks import load as bench
from tests.server.conftest import ON_POSTGRESQL, ServerDatabase

pytestmark = ON_POSTGRESQL


def test_the_quick_surge_answers_every_cast_and_read_and_prints_its_figures(
    server_database: ServerDatabase, capsys: pytest.CaptureFixture[str]
) -> None:
    db = server_database
    bench.measure(db.url, db.data_dir, bench.QUICK, workers=1, threads=1)  # no timing asserted
    out = capsys.readouterr().out
    members = bench.QUICK.members
    assert f"surge: {members:,} casts within" in out
    assert f"casts: {members:,} answered, p50" in out
    assert out.count("errors: 0") == 2  # the surge and the capacity run
    assert "of the database's own rate" in out
    assert "ms per cast" in out
