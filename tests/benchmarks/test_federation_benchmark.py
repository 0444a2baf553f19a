"""The federation benchmark still runs at a tiny size, and its roll-up counts each ballot once."""

from __future__ import annotations

import pytest

from benchmarks import federation as bench

pytestmark = pytest.mark.django_db


def test_the_quick_benchmark_builds_reads_and_rolls_up_every_ballot_once(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert bench.main(["--quick", "--runs", "1"]) == 0
    out = capsys.readouterr().out
    members = bench.QUICK_SIZES.members
    assert f"({members:,} ballots, each once)" in out
    assert "read + roll up the referendum" in out
    assert "weigh + apportion" in out
