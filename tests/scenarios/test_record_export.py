"""A congress exported and verified by a process that imports nothing but `frombelow.core`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from frombelow.core.record.verify import VOTES, WEIGHTS, verify_export
from frombelow.db.models import Checkpoint, RecordEntry
from frombelow.services.export import export_record
from tests.scenarios.record_world import hold_congress, signing_each_entry
from tests.services.world import Clock

pytestmark = pytest.mark.django_db

VERIFY = """
import sys
from frombelow.cli.main import main
code = main(["record", "verify", sys.argv[1]])
loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("django", "frombelow"))
outside = [m for m in loaded if m.startswith("django") or not m.startswith(
    ("frombelow.core", "frombelow.cli")) and m != "frombelow"]
print("modules outside the core:", outside)
sys.exit(code if not outside else 3)
"""


def _verify_in_a_clean_process(directory: Path) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO", "DATABASE"))}
    return subprocess.run(
        [sys.executable, "-c", VERIFY, str(directory)],
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
        check=False,
    )


def test_a_congress_exported_verifies_without_django(
    clock: Clock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    signing_each_entry(monkeypatch, tmp_path)
    hold_congress(clock)
    assert Checkpoint.objects.count() > 1  # one per write batch
    written = export_record(tmp_path / "export")
    assert written["entries"] == RecordEntry.objects.count()
    assert written["votes"] >= 10
    assert written["weight snapshots"] >= 1
    done = _verify_in_a_clean_process(tmp_path / "export")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "modules outside the core: []" in done.stdout
    assert "the record holds" in done.stdout
    assert "1 council items: 3 delegation votes" in done.stdout
    assert "1 council elections recounted" in done.stdout
    assert "4 delegates' casts" in done.stdout
    # Two sessions opened: the first, which elected the federation's secretary, and the congress.
    assert "2 roll snapshots rebuilt" in done.stdout
    report = verify_export(tmp_path / "export")
    assert report.ok
    assert (tmp_path / "export" / VOTES).stat().st_size > 0
    assert (tmp_path / "export" / WEIGHTS).stat().st_size > 0


def test_a_changed_export_fails_and_names_the_entry(
    clock: Clock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    signing_each_entry(monkeypatch, tmp_path)
    hold_congress(clock)
    export = tmp_path / "export"
    export_record(export)
    lines = (export / "entries.jsonl").read_bytes().split(b"\n")
    lines[3] = lines[3].replace(b'"actor":"', b'"actor":"x', 1)
    (export / "entries.jsonl").write_bytes(b"\n".join(lines))
    done = _verify_in_a_clean_process(export)
    assert done.returncode == 1
    assert "FAILED: entry 3: changed" in done.stdout


@pytest.mark.slow  # the demo takes a minute or two to seed on the shared machine
def test_the_demo_confederation_exported_verifies_without_django(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from frombelow.services.demo import seed_demo

    signing_each_entry(monkeypatch, tmp_path)
    seed_demo(seed=1, scale=0.05)
    written = export_record(tmp_path / "export")
    assert written["votes"] > 0
    done = _verify_in_a_clean_process(tmp_path / "export")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "modules outside the core: []" in done.stdout
    assert "the record holds" in done.stdout
