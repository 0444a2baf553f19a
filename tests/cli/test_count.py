"""`frombelow count` prints a returning officer's sheet or JSON lines, and refuses bad input
with one line naming the file, never a traceback."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from frombelow.cli.main import main
from frombelow.core.ballots.blt import read_blt
from frombelow.core.counting.registry import RULES, count
from frombelow.core.counting.rule import CountOptions
from frombelow.core.counting.serialize import result_from_dict
from tests.shared_data import PROJECT_ROOT, elections_dir

TIED = '3 1\n2 1 0\n2 2 0\n3 3 0\n0\n"Ana"\n"Ben"\n"Chen"\n"Tied vote"\n'


def calton() -> Path:
    """Return the Calton ward's ballot file."""
    return elections_dir("glasgow2007") / "Calton-2007.blt"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run `frombelow count ARGS` in this process; return its status, stdout and stderr."""
    status = main(["count", *args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_the_sheet_of_a_scottish_count_shows_every_stage(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, err = run(capsys, str(calton()), "--method", "stv-scottish", "--seed", "9")
    assert (status, err) == (0, "")
    assert out.startswith("CALTON\n======\n")
    assert f"File:        {calton()}\n" in out
    assert "Method:      stv-scottish (Scottish STV" in out
    assert "Seats:       3\nValid votes: 5199.00000\nQuota:       1300.00000\n" in out
    assert re.search(r"^George Redmond +1982\.00000 +1300\.00000 ", out, re.MULTILINE)
    assert re.search(r"^Non-transferable +0\.00000 +158\.62549 ", out, re.MULTILINE)
    assert re.search(r"^Loss to truncation +0\.00000 +0\.01362 ", out, re.MULTILINE)
    assert re.search(r"^Total( +5199\.00000){6}$", out, re.MULTILINE)
    assert re.search(r"^Gary Barton .* excluded at stage 3$", out, re.MULTILINE)
    assert "  1. count first preferences (George Redmond reached the quota)." in out
    assert "Elected, in order: George Redmond, Alison E Thewliss, Ruth Simpson\n" in out
    assert "Tie-breaks: none\n" in out
    assert out.endswith("Seed: 9 (any lot is drawn again with --seed 9)\n")
    # Ten stages do not fit one page: the table comes in two blocks of stages, each fitting.
    blocks = out.split("\n\n")[1:3]
    assert [block.split()[1] for block in blocks] == ["1", "7"]
    assert all(len(line) <= 100 for block in blocks for line in block.splitlines())


def test_json_holds_the_whole_result_exactly(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(
        capsys, str(calton()), "--method", "stv-scottish", "--format", "json", "--seed", "3"
    )
    assert status == 0
    [line] = out.splitlines()
    data = json.loads(line)
    assert data["file"] == str(calton())
    assert (data["method"], data["seats"], data["quota"]) == ("stv-scottish", 3, "1300.00000")
    assert data["valid_votes"] == "5199.00000"
    assert data["rounds"][1]["votes"]["Ruth Simpson"] == "1035.05847"
    assert data["rounds"][0]["elected"] == ["George Redmond"]
    assert data["rounds"][2]["excluded"] == ["Gary Barton"]
    assert set(data) >= {"tie_breaks", "seed", "ranking", "outcome", "details"}
    del data["file"]
    expected = count("stv-scottish", read_blt(calton()), CountOptions(seats=3, seed=3))
    assert result_from_dict(data) == expected


def test_a_folder_counts_every_ward_in_order_as_droop_elects(
    capsys: pytest.CaptureFixture[str],
) -> None:
    folder = elections_dir("glasgow2007")
    status, out, err = run(capsys, str(folder), "--method", "stv-scottish", "--format", "json")
    assert (status, err) == (0, "")
    results = [json.loads(line) for line in out.splitlines()]
    assert [Path(r["file"]).name for r in results] == sorted(p.name for p in folder.glob("*.blt"))
    for result in results:
        reference = Path(result["file"]).with_suffix(".reference.txt").read_text()
        elected = re.findall(r"^Action: Elect[^:]*: (.+)$", reference, re.MULTILINE)
        assert set(result["elected"]) == set(elected), result["file"]
        assert f"Quota: {result['quota']}\n" in reference


def test_seats_default_to_the_files_own_or_one(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    csv = tmp_path / "branch.csv"
    csv.write_text("Ana,Ben\nBen\nBen,Ana\n", encoding="utf-8")
    _, out, _ = run(capsys, str(calton()), str(csv), "--method", "plurality", "--format", "json")
    assert [json.loads(line)["seats"] for line in out.splitlines()] == [3, 1]
    _, out, _ = run(capsys, str(calton()), "--method", "irv", "--seats", "1", "--format", "json")
    assert json.loads(out)["elected"] == ["George Redmond"]


def test_a_lot_is_recorded_and_drawn_again_from_its_seed(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "tied.blt"
    path.write_text(TIED, encoding="utf-8")
    outs = [run(capsys, str(path), "--method", "irv", "--seed", "42")[1] for _ in range(2)]
    assert outs[0] == outs[1]
    assert re.search(
        r"^  stage \d+, exclusion: Ana, Ben tied; \w+ chosen by lot \(seed 42\)$", outs[0], re.M
    )
    _, out, _ = run(capsys, str(path), "--method", "irv", "--format", "json")
    seed = json.loads(out)["seed"]
    assert isinstance(seed, int)
    assert json.loads(
        run(capsys, str(path), "--method", "irv", "--format", "json", "--seed", str(seed))[1]
    ) == json.loads(out)


def test_a_motion_takes_electorate_quorum_and_threshold(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "motion.csv"
    path.write_text("count\n30,yes\n20,no\n3,abstain\n", encoding="utf-8")
    args = [str(path), "--method", "majority", "--electorate", "100", "--format", "json"]
    carried = json.loads(run(capsys, *args, "--quorum", "50%", "--threshold", "simple")[1])
    assert carried["outcome"] == "carried"
    assert carried["details"]["quorum needed"] == "50"
    lost = json.loads(run(capsys, *args, "--threshold", "two-thirds")[1])
    assert lost["outcome"] == "lost"
    inquorate = json.loads(run(capsys, *args, "--quorum", "0.6")[1])
    assert inquorate["outcome"] == "inquorate"
    status, out, _ = run(capsys, str(path), "--method", "majority")
    assert status == 0
    assert "Outcome: carried\n" in out
    assert "Elected, in order" not in out


def test_help_lists_every_rule_with_its_summary(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "--help")
    assert status == 0
    assert out.startswith("usage: frombelow count")
    for name, rule in RULES.items():
        assert re.search(rf"^  {re.escape(name)} +{re.escape(rule.summary)}$", out, re.MULTILINE)


def test_progress_names_each_file_only_when_asked(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    for name in ("a.blt", "b.blt"):
        (tmp_path / name).write_text(TIED, encoding="utf-8")
    _, _, err = run(capsys, str(tmp_path), "--method", "plurality", "--seed", "1")
    assert err == ""  # stderr is no terminal here
    _, _, err = run(capsys, str(tmp_path), "--method", "plurality", "--seed", "1", "--progress")
    assert err == f"[1/2] {tmp_path / 'a.blt'}\n[2/2] {tmp_path / 'b.blt'}\n"


# -- Refusals ----------------------------------------------------------------------------------


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    """Write a good file, a malformed one, one of an unknown type, and an empty folder."""
    paths = {
        "good": tmp_path / "good.blt",
        "bad": tmp_path / "bad.blt",
        "unknown": tmp_path / "notes.txt",
        "latin": tmp_path / "latin.csv",
        "empty": tmp_path / "empty",
    }
    paths["good"].write_text(TIED, encoding="utf-8")
    paths["bad"].write_text('3 1\n1 12 0\n0\n"A"\n"B"\n"C"\n"T"\n', encoding="utf-8")
    paths["unknown"].write_text("hello", encoding="utf-8")
    paths["latin"].write_bytes(b"Jos\xe9\n")
    paths["empty"].mkdir()
    return paths


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["{good}", "--method", "borda"], "unknown counting rule 'borda'; the rules are: "),
        (["{good}"], "the following arguments are required: --method"),
        (["--method", "irv"], "the following arguments are required: FILE"),
        (["{good}", "--method", "irv", "--seats", "0"], "argument --seats: '0' is not a whole"),
        (["{good}", "--method", "irv", "--seed", "x"], "argument --seed: invalid int value: 'x'"),
        (["{good}", "--method", "irv", "--format", "xml"], "argument --format: invalid choice"),
        (["{good}", "--method", "majority", "--quorum", "3/2"], "'3/2' is not a share between"),
        (["{good}", "--method", "majority", "--threshold", "most"], "threshold 'most' is neither"),
        (["{good}", "--method", "irv", "--frobnicate"], "unrecognized arguments: --frobnicate"),
        (["{missing}", "--method", "irv"], "{missing}: cannot read the file"),
        (["{bad}", "--method", "irv"], "{bad}, line 2: preference 12 names no candidate"),
        (["{unknown}", "--method", "irv"], "{unknown}: not a ballot file this program reads"),
        (["{latin}", "--method", "irv"], "{latin}, line 1: not UTF-8 text (byte 0xe9)"),
        (["{empty}", "--method", "irv"], "{empty}: no ballot files"),
        (["{good}", "--method", "irv", "--seats", "4"], "{good}: 4 seats, but only 3 candidates"),
        (["{good}", "--method", "irv", "--seats", "2"], "{good}: irv fills one seat"),
        (["{good}", "--method", "majority"], "{good}: "),
        (["{good}", "--method", "stv-scottish", "--seats", "1"], None),
    ],
)
def test_bad_input_is_refused_with_one_line_and_status_2(
    capsys: pytest.CaptureFixture[str],
    files: dict[str, Path],
    args: list[str],
    message: str | None,
) -> None:
    places = {name: str(path) for name, path in files.items()} | {
        "missing": str(files["good"].parent / "missing.blt")
    }
    status, out, err = run(capsys, *(arg.format(**places) for arg in args))
    if message is None:  # the control: the same file counts
        assert (status, err) == (0, "")
        return
    assert status == 2
    assert out == ""
    assert "Traceback" not in err
    assert err.count("\n") == 1
    assert err.startswith("frombelow count: ")
    assert message.format(**places) in err


def test_a_bad_file_does_not_stop_the_others(
    capsys: pytest.CaptureFixture[str], files: dict[str, Path]
) -> None:
    status, out, err = run(
        capsys, str(files["bad"]), str(files["good"]), "--method", "plurality", "--format", "json"
    )
    assert status == 2
    assert json.loads(out)["file"] == str(files["good"])
    assert err.startswith(f"frombelow count: {files['bad']}, line 2:")


# -- The console script ------------------------------------------------------------------------


def test_the_console_script_counts_without_django(tmp_path: Path) -> None:
    script = PROJECT_ROOT / ".venv" / "bin" / "frombelow"
    if not script.exists():
        pytest.skip(f"the console script is not installed at {script}")
    path = tmp_path / "tied.blt"
    path.write_text(TIED, encoding="utf-8")
    done = subprocess.run(
        [str(script), "count", str(path), "--method", "plurality", "--format", "json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (done.returncode, done.stderr) == (0, "")
    assert json.loads(done.stdout)["elected"] == ["Chen"]
    refused = subprocess.run(
        [str(script), "count", str(path), "--method", "borda"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert refused.returncode == 2
    assert refused.stderr.startswith("frombelow count: unknown counting rule 'borda'")
    assert "Traceback" not in refused.stderr


def test_a_count_imports_nothing_of_django(tmp_path: Path) -> None:
    path = tmp_path / "tied.blt"
    path.write_text(TIED, encoding="utf-8")
    program = (
        "import sys\n"
        "from frombelow.cli.main import main\n"
        f"status = main(['count', {str(path)!r}, '--method', 'stv-scottish', '--seed', '1'])\n"
        "loaded = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\n"
        "assert status == 0 and not loaded, (status, loaded)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr


def test_a_moving_quota_gets_its_own_row(capsys: pytest.CaptureFixture[str]) -> None:
    _, meek, _ = run(capsys, str(calton()), "--method", "stv-meek")
    assert re.search(r"^Quota +1299\.750000001 +1257\.", meek, re.MULTILINE)
    _, scottish, _ = run(capsys, str(calton()), "--method", "stv-scottish")
    assert not re.search(r"^Quota ", scottish, re.MULTILINE)  # fixed: given once, above


def test_a_one_stage_count_shows_no_transfer_rows(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, str(calton()), "--method", "schulze")
    assert "Non-transferable" not in out
    assert "Ranking: 1. George Redmond  2. Ruth Simpson  3. Alison E Thewliss" in out
    assert re.search(r"^George Redmond +9  elected at stage 1$", out, re.MULTILINE)
