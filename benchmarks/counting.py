"""Time frombelow's counts against its peers on the same seeded ballots, and check the targets.

Run `make bench`, or `.venv/bin/python benchmarks/counting.py [--quick] [--only PART]`.

Every library is timed from the same Python list of rankings (tuples of candidate names) to its
result, its own conversion included: for frombelow `Profile.from_rankings` then
`registry.count`. Each timed count runs in a fresh worker process (this script with `--worker`)
that regenerates the same ballots from the seed, so that one library's garbage, caches and
memory do not weigh on the next, a peer that runs too long can be stopped, and the memory figure
is the count's own. The peers are pyrankvote (its STV), votekit (`FastSTV`, its NumPy STV, with
fractional transfers, the fastest of its options) and pref_voting (`stv_scottish`, the same rule
as frombelow's, and `beat_path`, its Schulze).

The targets are checked at the full sizes only; `--quick` runs every part at small sizes, to see
in seconds that the benchmark still works.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

Ranking = tuple[str, ...]
Winners = tuple[str, ...]
CountFunction = Callable[[tuple[str, ...], list[Ranking], int], Winners]

CANDIDATES = 20
SEATS = 9
SEED = 20240501
PEER_TIMEOUT_S = 600.0  # the longest one peer may take on one profile, all its runs together
WARM_UP = 200  # ballots in the untimed count that precedes the timed ones
PARTS = ("stv", "memory", "peers", "schulze", "cli")


# -- The synthetic profile ---------------------------------------------------------------------


def candidate_names(count: int = CANDIDATES) -> tuple[str, ...]:
    """Name `count` candidates C01, C02, ..."""
    return tuple(f"C{i + 1:02d}" for i in range(count))


def generate_rankings(
    ballots: int,
    *,
    candidates: int = CANDIDATES,
    seed: int = SEED,
    zipf: float = 1.0,
    mean_short: float = 2.5,
    long_share: float = 0.1,
    chunk: int = 1 << 16,
) -> list[Ranking]:
    """Draw seeded Plackett-Luce rankings with Zipf strengths and truncated lengths."""
    # Candidate strengths follow Zipf's law (the k-th strongest has strength 1 / k**zipf), shuffled
    # so that strength does not follow candidate order, which rules use to break ties. Each voter
    # ranks by Plackett-Luce: the Gumbel-max trick (sort log strength + Gumbel noise) draws a
    # whole ranking at once. Lengths are truncated as real ballots are: most voters rank a few
    # candidates (geometric, mean `mean_short`), a `long_share` of them rank half or more.
    rng = np.random.default_rng(seed)
    log_strength = -zipf * np.log(np.arange(1, candidates + 1, dtype=np.float64))
    log_strength = log_strength[rng.permutation(candidates)]
    names = np.array(candidate_names(candidates), dtype=object)
    rankings: list[Ranking] = []
    # Chunks keep the generator's own peak small, so that a memory figure taken after it is the
    # count's and not the generator's.
    for start in range(0, ballots, chunk):
        size = min(chunk, ballots - start)
        order = np.argsort(-(log_strength + rng.gumbel(size=(size, candidates))), axis=1)
        short = np.minimum(rng.geometric(1.0 / mean_short, size=size), candidates)
        long = rng.integers(candidates // 2, candidates + 1, size=size)
        lengths = np.where(rng.random(size) < long_share, long, short)
        rows: list[list[str]] = names[order].tolist()
        rankings.extend(
            tuple(row[:length]) for row, length in zip(rows, lengths.tolist(), strict=True)
        )
    return rankings


def describe(rankings: Sequence[Ranking]) -> str:
    """Say how many ballots and distinct rankings a profile has, and how long they are."""
    distinct = len(set(rankings))
    mean = sum(map(len, rankings)) / len(rankings) if rankings else 0.0
    return (
        f"{len(rankings):,} ballots, {distinct:,} distinct rankings, "
        f"{mean:.2f} preferences on average"
    )


# -- The libraries, each from the list of rankings to its winners ------------------------------


def count_frombelow(
    rule: str, candidates: tuple[str, ...], rankings: list[Ranking], seats: int
) -> Winners:
    """Count with frombelow's rule `rule` and return the elected in order of election."""
    from frombelow.core.ballots.profile import Profile
    from frombelow.core.counting import registry
    from frombelow.core.counting.rule import CountOptions

    profile = Profile.from_rankings(candidates, rankings, seats=seats)
    return registry.count(rule, profile, CountOptions(seats=seats, seed=SEED)).elected


def count_frombelow_stv(
    candidates: tuple[str, ...], rankings: list[Ranking], seats: int
) -> Winners:
    """Count by frombelow's Scottish STV."""
    return count_frombelow("stv-scottish", candidates, rankings, seats)


def count_frombelow_schulze(
    candidates: tuple[str, ...], rankings: list[Ranking], seats: int
) -> Winners:
    """Count by frombelow's Schulze method."""
    return count_frombelow("schulze", candidates, rankings, seats)


def count_pyrankvote_stv(
    candidates: tuple[str, ...], rankings: list[Ranking], seats: int
) -> Winners:
    """Count by pyrankvote's STV, one Ballot per voter (it has no ballot weights)."""
    import pyrankvote

    people = {name: pyrankvote.Candidate(name) for name in candidates}
    ballots = [pyrankvote.Ballot([people[name] for name in ranking]) for ranking in rankings]
    result = pyrankvote.single_transferable_vote(list(people.values()), ballots, seats)
    return tuple(candidate.name for candidate in result.get_winners())


def count_votekit_stv(candidates: tuple[str, ...], rankings: list[Ranking], seats: int) -> Winners:
    """Count by votekit's FastSTV with fractional transfers, duplicates given as weights."""
    import pandas as pd
    from votekit.elections import FastSTV
    from votekit.pref_profile import RankProfile

    # A RankProfile built from a DataFrame of the distinct rankings: about twice as fast as one
    # built from RankBallot objects, so votekit is timed by its faster documented way in.
    tally = Counter(rankings)
    cells = {name: frozenset((name,)) for name in candidates}
    blank = frozenset(("~",))  # votekit's mark for "no preference here"
    columns: dict[str, list[Any]] = {
        f"Ranking_{i + 1}": [cells[r[i]] if i < len(r) else blank for r in tally]
        for i in range(len(candidates))
    }
    columns["Voter Set"] = [frozenset()] * len(tally)
    columns["Weight"] = [float(weight) for weight in tally.values()]
    frame = pd.DataFrame(columns)
    frame.index.name = "Ballot Index"
    profile = RankProfile(df=frame, candidates=candidates, max_ranking_length=len(candidates))
    election = FastSTV(profile, n_seats=seats, transfer="fractional", rng_seed=SEED)
    return tuple(str(name) for group in election.get_elected() for name in sorted(map(str, group)))


def _pref_voting_profile(candidates: tuple[str, ...], rankings: list[Ranking]) -> Any:
    """Build pref_voting's profile of truncated rankings, duplicates given as counts."""
    from pref_voting.profiles_with_ties import ProfileWithTies

    tally = Counter(rankings)
    return ProfileWithTies(
        [{name: rank for rank, name in enumerate(ranking, 1)} for ranking in tally],
        rcounts=list(tally.values()),
        candidates=list(candidates),
    )


def count_pref_voting_stv(
    candidates: tuple[str, ...], rankings: list[Ranking], seats: int
) -> Winners:
    """Count by pref_voting's stv_scottish."""
    import random

    from pref_voting.proportional_methods import stv_scottish

    profile = _pref_voting_profile(candidates, rankings)
    return tuple(stv_scottish(profile, num_seats=seats, rng=random.Random(SEED)))


def count_pref_voting_schulze(
    candidates: tuple[str, ...], rankings: list[Ranking], seats: int
) -> Winners:
    """Count by pref_voting's beat_path (Schulze), an unranked candidate below every ranked one."""
    from pref_voting.margin_based_methods import beat_path

    profile = _pref_voting_profile(candidates, rankings)
    profile.use_extended_strict_preference()
    return tuple(beat_path(profile))


@dataclass(frozen=True)
class Library:
    """A way to count: who counts, by which rule, and the function that does it."""

    label: str
    count: CountFunction
    seats: int = SEATS  # Schulze is timed electing one, as pref_voting's beat_path does


LIBRARIES: dict[str, Library] = {
    "frombelow-stv": Library("frombelow stv-scottish", count_frombelow_stv),
    "pyrankvote-stv": Library("pyrankvote single_transferable_vote", count_pyrankvote_stv),
    "votekit-stv": Library("votekit FastSTV (fractional)", count_votekit_stv),
    "pref_voting-stv": Library("pref_voting stv_scottish", count_pref_voting_stv),
    "frombelow-schulze": Library("frombelow schulze", count_frombelow_schulze, seats=1),
    "pref_voting-schulze": Library(
        "pref_voting beat_path (Schulze)", count_pref_voting_schulze, seats=1
    ),
}
STV_PEERS: dict[str, int] = {"pyrankvote-stv": 10, "votekit-stv": 10, "pref_voting-stv": 100}


# -- Measuring, in this process ----------------------------------------------------------------


@dataclass(frozen=True)
class Timing:
    """How long one library took on one profile, over one or more runs, and whom it elected."""

    library: str
    ballots: int
    distinct: int
    seconds: tuple[float, ...]
    winners: Winners

    @property
    def median(self) -> float:
        """Return the median time of the runs."""
        return statistics.median(self.seconds)


@dataclass(frozen=True)
class Memory:
    """The memory one count added: traced Python and NumPy allocations, and resident size."""

    ballots: int
    traced_peak: int  # bytes, tracemalloc's peak during the count
    rss_before: int  # bytes, the process's maximum resident size before the count
    rss_after: int  # bytes, and after it

    @property
    def rss_growth(self) -> int:
        """Return how far the count raised the process's maximum resident size."""
        return self.rss_after - self.rss_before


def time_library(library: str, ballots: int, *, runs: int, budget_s: float) -> Timing:
    """Time up to `runs` counts, stopping early once `budget_s` is spent (at least one run)."""
    count, seats = LIBRARIES[library].count, LIBRARIES[library].seats
    candidates = candidate_names()
    # One untimed count of a small profile first: imports, JIT compilation (votekit's numba) and
    # caches are paid by every library before the clock starts.
    count(candidates, generate_rankings(WARM_UP, seed=SEED + 1), seats)
    rankings = generate_rankings(ballots)
    seconds: list[float] = []
    winners: Winners = ()
    while len(seconds) < runs:
        gc.collect()
        start = time.perf_counter()
        winners = count(candidates, rankings, seats)
        seconds.append(time.perf_counter() - start)
        if sum(seconds) + seconds[-1] > budget_s:
            break
    return Timing(library, ballots, len(set(rankings)), tuple(seconds), winners)


def max_rss() -> int:
    """Return this process's maximum resident size so far, in bytes (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def time_stages(rule: str, ballots: int, *, runs: int, seats: int) -> tuple[float, float]:
    """Return the median times of frombelow's two stages: building the profile, and counting."""
    from frombelow.core.ballots.profile import Profile
    from frombelow.core.counting import registry
    from frombelow.core.counting.rule import CountOptions

    candidates = candidate_names()
    count_frombelow(rule, candidates, generate_rankings(WARM_UP, seed=SEED + 1), seats)
    rankings = generate_rankings(ballots)
    building: list[float] = []
    counting: list[float] = []
    for _ in range(runs):
        gc.collect()
        start = time.perf_counter()
        profile = Profile.from_rankings(candidates, rankings, seats=seats)
        built = time.perf_counter()
        registry.count(rule, profile, CountOptions(seats=seats, seed=SEED))
        building.append(built - start)
        counting.append(time.perf_counter() - built)
    return statistics.median(building), statistics.median(counting)


def measure_memory(ballots: int, *, seats: int = SEATS) -> Memory:
    """Measure the memory frombelow's Scottish STV adds on `ballots` ballots held in memory."""
    candidates = candidate_names()
    count_frombelow_stv(candidates, generate_rankings(WARM_UP, seed=SEED + 1), seats)
    rankings = generate_rankings(ballots)
    gc.collect()
    # Resident size first, untraced: tracemalloc's own bookkeeping would swell it.
    before = max_rss()
    count_frombelow_stv(candidates, rankings, seats)
    after = max_rss()
    gc.collect()
    tracemalloc.start()
    count_frombelow_stv(candidates, rankings, seats)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return Memory(ballots, peak, before, after)


def write_profile_blt(path: Path, ballots: int, *, seats: int = SEATS) -> None:
    """Write the synthetic profile of `ballots` ballots as a BLT file."""
    from frombelow.core.ballots.blt import write_blt
    from frombelow.core.ballots.profile import Profile

    profile = Profile.from_rankings(
        candidate_names(), generate_rankings(ballots), seats=seats, title="frombelow benchmark"
    )
    with path.open("w", encoding="utf-8") as stream:
        write_blt(profile, stream)


# -- Measuring, in a fresh worker process ------------------------------------------------------


@dataclass(frozen=True)
class Timeout:
    """A worker that did not finish within its time limit."""

    library: str
    ballots: int
    limit_s: float


def run_worker(job: dict[str, Any], timeout_s: float) -> dict[str, Any] | None:
    """Run one job in a fresh process; return its answer, or None when it ran out of time."""
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", json.dumps(job)]
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=timeout_s, check=False
        )
    except subprocess.TimeoutExpired:
        return None
    if done.returncode != 0:
        raise RuntimeError(f"worker {job} failed:\n{done.stderr.strip()}")
    answer: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return answer


def time_in_worker(
    library: str, ballots: int, *, runs: int, budget_s: float, timeout_s: float
) -> Timing | Timeout:
    """Time a library in a fresh process, giving up after `timeout_s`."""
    job = {
        "job": "time",
        "library": library,
        "ballots": ballots,
        "runs": runs,
        "budget_s": budget_s,
    }
    answer = run_worker(job, timeout_s)
    if answer is None:
        return Timeout(library, ballots, timeout_s)
    return Timing(
        answer["library"],
        answer["ballots"],
        answer["distinct"],
        tuple(answer["seconds"]),
        tuple(answer["winners"]),
    )


def work(job: dict[str, Any]) -> dict[str, Any]:
    """Do one worker job and return its answer as JSON-ready values."""
    if job["job"] == "time":
        return asdict(
            time_library(job["library"], job["ballots"], runs=job["runs"], budget_s=job["budget_s"])
        )
    if job["job"] == "stages":
        building, counting = time_stages(
            job["rule"], job["ballots"], runs=job["runs"], seats=job["seats"]
        )
        return {"building": building, "counting": counting}
    if job["job"] == "memory":
        return asdict(measure_memory(job["ballots"]))
    if job["job"] == "blt":
        write_profile_blt(Path(job["path"]), job["ballots"])
        return {}
    raise ValueError(f"unknown worker job {job['job']!r}")


# -- The report --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """One line of the report: what was measured, the figure, the target and the verdict."""

    part: str
    what: str
    figure: str
    target: str = ""
    # PASS or FAIL against the target, "n/a (quick)" at small sizes, ERROR where the measurement
    # could not be made, empty where there is no target.
    verdict: str = ""


@dataclass
class Report:
    """The figures of one benchmark run, printed as they come and as a table at the end."""

    checked: bool  # whether targets are judged (full sizes) or only shown (--quick)
    figures: list[Figure] = field(default_factory=list)

    def note(self, part: str, what: str, figure: str) -> None:
        """Record and print a figure that has no target."""
        self.add(Figure(part, what, figure))

    def judge(self, part: str, what: str, figure: str, target: str, passed: bool) -> None:
        """Record and print a figure against its target."""
        verdict = ("PASS" if passed else "FAIL") if self.checked else "n/a (quick)"
        self.add(Figure(part, what, figure, target, verdict))

    def error(self, part: str, what: str, figure: str) -> None:
        """Record and print a measurement that could not be made."""
        self.add(Figure(part, what, figure, verdict="ERROR"))

    def add(self, figure: Figure) -> None:
        """Record and print one figure."""
        self.figures.append(figure)
        target = f"  target {figure.target}: {figure.verdict}" if figure.target else ""
        print(f"[{figure.part}] {figure.what}: {figure.figure}{target}", flush=True)

    def table(self) -> str:
        """Return the figures as a table."""
        rows = [("part", "what", "figure", "target", "verdict")]
        rows += [(f.part, f.what, f.figure, f.target, f.verdict) for f in self.figures]
        widths = [max(len(row[i]) for row in rows) for i in range(5)]
        lines = [
            "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
            for row in rows
        ]
        lines.insert(1, "  ".join("-" * w for w in widths))
        return "\n".join(lines)

    @property
    def failed(self) -> bool:
        """Tell whether any target failed or any measurement could not be made."""
        return any(f.verdict in {"FAIL", "ERROR"} for f in self.figures)


def seconds_text(timing: Timing) -> str:
    """Write a timing as its median, the number of runs and the fastest run."""
    runs = len(timing.seconds)
    if runs == 1:
        return f"{timing.median:.3f} s (1 run)"
    return f"median {timing.median:.3f} s of {runs} runs (min {min(timing.seconds):.3f} s)"


def agreement(reference: Winners, other: Winners) -> str:
    """Say whether two counts elected the same candidates, and which differ."""
    if set(reference) == set(other):
        return "same candidates elected"
    only_ref = ", ".join(sorted(set(reference) - set(other)))
    only_other = ", ".join(sorted(set(other) - set(reference)))
    return f"differ: frombelow only {only_ref or '-'}; peer only {only_other or '-'}"


# -- The parts of the benchmark ----------------------------------------------------------------

MB = 10**6
STV_TARGET_S = 1.0
MEMORY_TARGET_MB = 400
SCHULZE_TARGET_S = 1.0
CLI_TARGET_S = 5.0
WORKER_TIMEOUT_S = 900.0  # for frombelow's own workers, which should take seconds


@dataclass(frozen=True)
class Sizes:
    """How many ballots each part counts, and how many times."""

    stv: int  # frombelow's Scottish STV, for the speed and memory targets
    peers: int  # the comparison with the peers
    probe: int  # a peer that runs out of time at `peers` is tried at this size
    schulze: int  # frombelow's Schulze, for its speed target
    schulze_peer: int  # pref_voting's Schulze, against frombelow's at the same size
    cli: int  # ballots in the BLT file that `frombelow count` reads
    runs: int = 5
    cli_runs: int = 3
    peer_budget_s: float = 60.0  # a peer stops repeating its runs once this is spent


FULL = Sizes(
    stv=1_000_000,
    peers=100_000,
    probe=10_000,
    schulze=1_000_000,
    schulze_peer=10_000,
    cli=1_000_000,
)
QUICK = Sizes(
    stv=20_000,
    peers=5_000,
    probe=1_000,
    schulze=20_000,
    schulze_peer=1_000,
    cli=20_000,
    runs=3,
    cli_runs=1,
    peer_budget_s=10.0,
)


@dataclass
class Bench:
    """One run of the benchmark: its sizes, its report, and the winners seen so far."""

    sizes: Sizes
    report: Report
    timeout_s: float = PEER_TIMEOUT_S
    winners: dict[tuple[str, int], Winners] = field(default_factory=dict)

    def time(self, library: str, ballots: int, *, peer: bool = False) -> Timing | Timeout:
        """Time a library in a worker; a peer gets the peer time limit and budget."""
        timing = time_in_worker(
            library,
            ballots,
            runs=self.sizes.runs,
            budget_s=self.sizes.peer_budget_s if peer else 60.0,
            timeout_s=self.timeout_s if peer else WORKER_TIMEOUT_S,
        )
        if isinstance(timing, Timing):
            self.winners[library, ballots] = timing.winners
        return timing


def installed(library: str) -> bool:
    """Tell whether a peer's package can be imported."""
    from importlib.util import find_spec

    return find_spec(library.split("-")[0]) is not None


def part_stv(bench: Bench) -> None:
    """Time frombelow's Scottish STV on the large profile."""
    n = bench.sizes.stv
    timing = bench.time("frombelow-stv", n)
    if isinstance(timing, Timeout):
        bench.report.error("stv", f"stv-scottish, {n:,} ballots", "timed out")
        return
    bench.report.note("stv", "profile", describe_timing(timing))
    bench.report.judge(
        "stv",
        f"stv-scottish, {n:,} ballots, {SEATS} seats",
        seconds_text(timing),
        f"<= {STV_TARGET_S:g} s",
        timing.median <= STV_TARGET_S,
    )
    note_stages(bench, "stv", "stv-scottish", n, SEATS)


def note_stages(bench: Bench, part: str, rule: str, ballots: int, seats: int) -> None:
    """Say how a frombelow count's time splits between building the profile and counting."""
    job = {"job": "stages", "rule": rule, "ballots": ballots, "runs": bench.sizes.runs}
    answer = run_worker(job | {"seats": seats}, WORKER_TIMEOUT_S)
    if answer is None:
        bench.report.error(part, f"{rule}: stages", "timed out")
        return
    bench.report.note(
        part,
        f"{rule}, {ballots:,} ballots: stages",
        f"Profile.from_rankings median {answer['building']:.3f} s, "
        f"the count median {answer['counting']:.3f} s",
    )


def part_memory(bench: Bench) -> None:
    """Measure the memory frombelow's Scottish STV adds on the large profile."""
    n = bench.sizes.stv
    answer = run_worker({"job": "memory", "ballots": n}, WORKER_TIMEOUT_S)
    if answer is None:
        bench.report.error("memory", f"{n:,} ballots", "timed out")
        return
    memory = Memory(**answer)
    target = f"<= {MEMORY_TARGET_MB} MB"
    bench.report.note(
        "memory", "resident size before the count", f"{memory.rss_before / MB:.0f} MB"
    )
    bench.report.judge(
        "memory",
        f"stv-scottish, {n:,} ballots: tracemalloc peak",
        f"{memory.traced_peak / MB:.0f} MB",
        target,
        memory.traced_peak <= MEMORY_TARGET_MB * MB,
    )
    bench.report.judge(
        "memory",
        f"stv-scottish, {n:,} ballots: max RSS growth",
        f"{memory.rss_growth / MB:.0f} MB",
        target,
        memory.rss_growth <= MEMORY_TARGET_MB * MB,
    )


def part_peers(bench: Bench) -> None:
    """Time the peers' STV against frombelow's on the same profile, and compare winners."""
    n = bench.sizes.peers
    ours = bench.time("frombelow-stv", n)
    if isinstance(ours, Timeout):
        bench.report.error("peers", f"stv-scottish, {n:,} ballots", "timed out")
        return
    bench.report.note("peers", "profile", describe_timing(ours))
    bench.report.note("peers", f"frombelow stv-scottish, {n:,} ballots", seconds_text(ours))
    for library, factor in STV_PEERS.items():
        compare_peer(bench, library, ours, factor, "peers")


def compare_peer(bench: Bench, library: str, ours: Timing, factor: int, part: str) -> None:
    """Time one peer at frombelow's size, print the ratio against its target and the winners."""
    label = LIBRARIES[library].label
    n = ours.ballots
    target = f">= {factor}x" if factor else ""
    if not installed(library):
        bench.report.add(Figure(part, label, "not installed (make bench installs it)", target))
        return
    try:
        theirs = bench.time(library, n, peer=True)
    except RuntimeError as error:
        # A peer that fails (a tie it refuses to break, a changed API) is reported, not fatal.
        bench.report.error(part, f"{label}, {n:,} ballots", last_line(str(error)))
        return
    if isinstance(theirs, Timeout):
        # The peer's time exceeds the limit, so the ratio is at least limit / ours.
        bound = theirs.limit_s / ours.median
        bench.report.judge(
            part,
            f"{label} / frombelow, {n:,} ballots",
            f"> {bound:.0f}x (stopped after {theirs.limit_s:.0f} s)",
            target,
            bound >= factor,
        )
        probe = bench.time(library, bench.sizes.probe, peer=True)
        managed = (
            f"{probe.ballots:,} ballots in {probe.median:.2f} s"
            if isinstance(probe, Timing)
            else f"not even {probe.ballots:,} ballots in {probe.limit_s:.0f} s"
        )
        bench.report.note(part, f"{label}: largest size counted", managed)
        return
    ratio = theirs.median / ours.median
    bench.report.note(part, f"{label}, {n:,} ballots", seconds_text(theirs))
    what = f"{label} / frombelow, {n:,} ballots"
    if factor:
        bench.report.judge(part, what, f"{ratio:.1f}x", target, ratio >= factor)
    else:
        bench.report.note(part, what, f"{ratio:.1f}x")
    bench.report.note(part, f"{label}: winners", agreement(ours.winners, theirs.winners))


def part_schulze(bench: Bench) -> None:
    """Time frombelow's Schulze on the large profile, and pref_voting's on a smaller one."""
    n = bench.sizes.schulze
    timing = bench.time("frombelow-schulze", n)
    if isinstance(timing, Timeout):
        bench.report.error("schulze", f"schulze, {n:,} ballots", "timed out")
        return
    bench.report.note("schulze", "profile", describe_timing(timing))
    bench.report.judge(
        "schulze",
        f"schulze, {n:,} ballots",
        seconds_text(timing),
        f"<= {SCHULZE_TARGET_S:g} s",
        timing.median <= SCHULZE_TARGET_S,
    )
    note_stages(bench, "schulze", "schulze", n, 1)
    small = bench.time("frombelow-schulze", bench.sizes.schulze_peer)
    if isinstance(small, Timing):
        bench.report.note(
            "schulze", f"frombelow schulze, {small.ballots:,} ballots", seconds_text(small)
        )
        compare_peer(bench, "pref_voting-schulze", small, 0, "schulze")


def part_cli(bench: Bench) -> None:
    """Time `frombelow count` on a BLT file of the large profile, the whole process."""
    n = bench.sizes.cli
    program = Path(sys.executable).with_name("frombelow")
    with tempfile.TemporaryDirectory(prefix="frombelow-bench-") as folder:
        path = Path(folder) / f"profile-{n}.blt"
        if run_worker({"job": "blt", "ballots": n, "path": str(path)}, WORKER_TIMEOUT_S) is None:
            bench.report.error("cli", f"writing {n:,} ballots as BLT", "timed out")
            return
        bench.report.note("cli", "BLT file", f"{path.stat().st_size / MB:.1f} MB, {n:,} ballots")
        command = [str(program), "count", str(path), "--method", "stv-scottish"]
        command += ["--format", "json", "--seed", str(SEED)]
        seconds: list[float] = []
        output = ""
        for _ in range(bench.sizes.cli_runs):
            start = time.perf_counter()
            done = subprocess.run(command, capture_output=True, text=True, check=False)
            seconds.append(time.perf_counter() - start)
            if done.returncode != 0:
                message = f"exit {done.returncode}: {last_line(done.stderr)}"
                bench.report.error("cli", "frombelow count", message)
                return
            output = done.stdout
    timing = Timing("frombelow count", n, 0, tuple(seconds), cli_winners(output))
    bench.report.judge(
        "cli",
        f"frombelow count --method stv-scottish, {n:,} ballots",
        seconds_text(timing),
        f"<= {CLI_TARGET_S:g} s",
        timing.median <= CLI_TARGET_S,
    )
    counted = bench.winners.get(("frombelow-stv", n))
    if counted is not None:
        bench.report.note(
            "cli", "winners against the in-memory count", agreement(counted, timing.winners)
        )


def last_line(text: str) -> str:
    """Return the last non-empty line of a program's output, where its error is."""
    lines = [line for line in text.splitlines() if line.strip()]
    return lines[-1].strip() if lines else ""


def cli_winners(output: str) -> Winners:
    """Read the elected candidates from `frombelow count --format json`."""
    document = json.loads(output)
    results = document if isinstance(document, list) else [document]
    return tuple(results[0]["elected"])


def describe_timing(timing: Timing) -> str:
    """Describe the profile a timing was taken on."""
    return (
        f"{timing.ballots:,} ballots, {CANDIDATES} candidates, "
        f"{timing.distinct:,} distinct rankings"
    )


PART_FUNCTIONS: dict[str, Callable[[Bench], None]] = {
    "stv": part_stv,
    "memory": part_memory,
    "peers": part_peers,
    "schulze": part_schulze,
    "cli": part_cli,
}


def machine() -> str:
    """Describe the machine and the libraries' versions."""
    from importlib.metadata import PackageNotFoundError, version

    model = "unknown CPU"
    with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
        for line in cpuinfo:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    versions = []
    for package in ("numpy", "pyrankvote", "votekit", "pref_voting"):
        try:
            versions.append(f"{package} {version(package)}")
        except PackageNotFoundError:
            versions.append(f"{package} absent")
    return (
        f"{os.cpu_count()} CPUs ({model}), {memory:.0f} GiB memory, load average {load()}; "
        f"Python {sys.version.split()[0]}; {', '.join(versions)}"
    )


def load() -> str:
    """Return the load average over 1, 5 and 15 minutes: other work on the machine skews times."""
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def run_parts(parts: Sequence[str], sizes: Sizes, *, checked: bool, timeout_s: float) -> Report:
    """Run the named parts of the benchmark and return their report."""
    bench = Bench(sizes, Report(checked), timeout_s)
    for part in parts:
        PART_FUNCTIONS[part](bench)
    return bench.report


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark; exit 1 when a target fails or a measurement cannot be made."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="small sizes; targets not judged")
    parser.add_argument("--only", choices=PARTS, help="run one part")
    parser.add_argument(
        "--timeout", type=float, default=PEER_TIMEOUT_S, help="seconds a peer may take"
    )
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(work(json.loads(args.worker))))
        return 0
    sizes = QUICK if args.quick else FULL
    print(f"machine: {machine()}")
    print(f"profile: Plackett-Luce, Zipf strengths, truncated; seed {SEED}; {SEATS} seats")
    parts = (args.only,) if args.only else PARTS
    report = run_parts(parts, sizes, checked=not args.quick, timeout_s=args.timeout)
    print()
    print(report.table())
    print(f"\nload average at the end: {load()} (on {os.cpu_count()} CPUs)")
    return 1 if report.failed else 0


if __name__ == "__main__":
    sys.exit(main())
