"""The governance benchmark still runs, at small sizes, and rolls every ballot up once."""

from __future__ import annotations

import pytest

from benchmarks import governance


def test_the_benchmark_runs_at_small_sizes(capsys: pytest.CaptureFixture[str]) -> None:
    assert governance.main(["--quick", "--runs", "1"]) == 0
    out = capsys.readouterr().out
    assert "roll the referendum up" in out
    assert "(15,000 ballots, each once)" in out
