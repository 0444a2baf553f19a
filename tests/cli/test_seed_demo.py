"""`frombelow seed-demo`: listed among the commands, and refusing a scale outside (0, 1]."""

from __future__ import annotations

import pytest

from frombelow.cli import seed_demo
from frombelow.cli.main import usage
from frombelow.db.models import Body, RecordEntry


def test_the_command_is_listed() -> None:
    assert "seed-demo" in usage()


@pytest.mark.django_db
def test_a_scale_outside_the_full_demo_is_refused_and_nothing_is_written(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert seed_demo.run(["--scale", "2"]) == 1
    assert "the scale is a share of the full demo in (0, 1], not 2.0" in capsys.readouterr().out
    assert not Body.objects.exists()
    assert not RecordEntry.objects.exists()
