"""`frombelow seed-demo`: listed among the commands, refusing a scale outside (0, 1], and
printing each login with the offices they hold."""

from __future__ import annotations

import pytest

from frombelow.cli import seed_demo
from frombelow.cli.main import usage
from frombelow.db.models import Body, RecordEntry
from frombelow.services import demo
from frombelow.services.demo import DemoReport


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


def test_the_logins_are_printed_with_what_each_holds(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    report = DemoReport(
        created=False,
        members=250,
        bodies=21,
        logins={"member": "Dario Petrov 0003", "officer": "Dina Santos 0001"},
        offices={"member": [], "officer": ["secretary of Transport workers North 1"]},
    )
    monkeypatch.setattr(demo, "seed_demo", lambda **_: report)
    assert seed_demo.run([]) == 0
    out = capsys.readouterr().out
    assert "  member    Dario Petrov 0003: no office\n" in out
    assert "  officer   Dina Santos 0001: secretary of Transport workers North 1\n" in out
    assert "Who can do what in the demo" in out
