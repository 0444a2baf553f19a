"""Time reading a BLT file of a million ballot lines, against a plain line-by-line reader.

Run `.venv/bin/python benchmarks/ballot_files.py [--ballots N]`. Two seeded files of one ballot
per line and 20 candidates are written to a temporary folder: "full", every ballot a complete
random ranking (nearly all lines distinct: the worst case), and "truncated", rankings of the
lengths real voters give (geometric, mean 2.5, a tenth ranking half or more: many repeats). Each
is read by `read_blt` and by a plain Python reader that parses every line into a tuple and counts
them in a dict, as a short script would. Wall and CPU seconds are printed (on a shared machine the
CPU time is the steadier figure), with the peak memory of `read_blt` in its own process.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import numpy as np

CANDIDATES = 20
SEED = 20240501


def write_file(path: Path, ballots: int, *, full: bool) -> None:
    """Write a seeded BLT file of `ballots` lines of weight 1."""
    rng = np.random.default_rng(SEED)
    orders = np.argsort(rng.random((ballots, CANDIDATES)), axis=1) + 1
    if full:
        lengths = np.full(ballots, CANDIDATES)
    else:
        short = np.minimum(rng.geometric(1 / 2.5, size=ballots), CANDIDATES)
        long = rng.integers(CANDIDATES // 2, CANDIDATES + 1, size=ballots)
        lengths = np.where(rng.random(ballots) < 0.1, long, short)
    with path.open("w", encoding="utf-8") as out:
        out.write(f"{CANDIDATES} 9\n")
        for row, length in zip(orders.tolist(), lengths.tolist(), strict=True):
            out.write("1 " + " ".join(map(str, row[:length])) + " 0\n")
        out.write("0\n")
        out.write("".join(f'"C{i + 1:02d}"\n' for i in range(CANDIDATES)) + '"bench"\n')


def read_plainly(path: Path) -> int:
    """Read the ballot lines one by one into a dict of rankings; return how many distinct."""
    rankings: Counter[tuple[int, ...]] = Counter()
    with path.open(encoding="utf-8") as lines:
        next(lines)
        for line in lines:
            numbers = [int(token) for token in line.split()]
            if numbers == [0]:
                break
            rankings[tuple(numbers[1:-1])] += numbers[0]
    return len(rankings)


def measure(path: Path, reader: str) -> dict[str, float]:
    """Read `path` with `reader` in this process; return wall and CPU seconds and peak memory."""
    from frombelow.core.ballots.blt import read_blt

    wall, cpu = time.perf_counter(), time.process_time()
    rows = read_blt(path).weights.size if reader == "frombelow" else read_plainly(path)
    return {
        "wall": time.perf_counter() - wall,
        "cpu": time.process_time() - cpu,
        "rows": rows,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def in_worker(path: Path, reader: str) -> dict[str, float]:
    """Measure in a fresh process, so that each reading starts from the same empty heap."""
    command = [sys.executable, __file__, "--worker", reader, str(path)]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    figures: dict[str, float] = json.loads(done.stdout)
    return figures


def main() -> None:
    """Write the files, read each both ways, print the figures."""
    parser = argparse.ArgumentParser(description="Time reading a BLT file of many ballot lines.")
    parser.add_argument("--ballots", type=int, default=1_000_000)
    parser.add_argument("--worker", nargs=2, metavar=("READER", "PATH"), help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.worker:
        print(json.dumps(measure(Path(arguments.worker[1]), arguments.worker[0])))
        return
    with tempfile.TemporaryDirectory(prefix="frombelow-blt-") as folder:
        for kind in ("full", "truncated"):
            path = Path(folder) / f"{kind}.blt"
            write_file(path, arguments.ballots, full=kind == "full")
            size = path.stat().st_size / 2**20
            ours, plain = in_worker(path, "frombelow"), in_worker(path, "plain")
            print(
                f"{kind:>9}: {arguments.ballots:,} lines, {size:.0f} MB, {ours['rows']:,.0f} rows"
                f" | read_blt {ours['wall']:.2f} s wall, {ours['cpu']:.2f} s CPU,"
                f" peak {ours['peak_mb']:.0f} MB"
                f" | plain reader {plain['wall']:.2f} s wall, {plain['cpu']:.2f} s CPU"
                f" | {plain['cpu'] / ours['cpu']:.1f}x faster (CPU)"
            )


if __name__ == "__main__":
    main()
