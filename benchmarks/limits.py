"""Check the time limits that Schulze and apportionment promise, the count alone.

Run `.venv/bin/python benchmarks/limits.py [--runs N]`; it exits 1 if a limit is missed.

* Schulze: 1,000,000 ballots over 20 candidates (seeded: full rankings for half, the rest cut
  to 5-15 preferences, every tenth with its first two ranked equally, weights 1 but for one
  ballot in a hundred that stands for a delegation) counted from a Profile in at most 1 s.
* Apportionment: 10,000 bodies (seeded Pareto-distributed memberships) and 12,000 seats with a
  minimum of one, by each method, well under a second: at most 0.25 s.

`benchmarks/counting.py` times Schulze end to end against pref_voting, the conversion from Python
rankings included; this script times what the rules themselves do, the median of a few runs.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial

import numpy as np

from frombelow.core.ballots.profile import Profile
from frombelow.core.counting import schulze
from frombelow.core.counting.apportionment import APPORTIONMENT_METHODS, apportion
from frombelow.core.counting.rule import CountOptions

SCHULZE_LIMIT_S = 1.0
APPORTION_LIMIT_S = 0.25


def schulze_profile(ballots: int = 1_000_000, candidates: int = 20, seed: int = 1) -> Profile:
    """Build a seeded profile of weak, partly truncated rankings as arrays."""
    rng = np.random.default_rng(seed)
    prefs = np.argsort(rng.random((ballots, candidates)), axis=1).astype(np.int32)
    lengths = np.where(rng.random(ballots) < 0.5, candidates, rng.integers(5, 16, ballots))
    prefs[np.arange(candidates)[None, :] >= lengths[:, None]] = -1
    tied = np.zeros_like(prefs, dtype=np.bool_)
    tied[::10, 1] = True
    weights = np.where(rng.random(ballots) < 0.01, rng.integers(2, 500, ballots), 1)
    names = tuple(f"candidate {i + 1}" for i in range(candidates))
    return Profile(names, prefs, tied, weights.astype(np.int64))


def median_seconds(run: Callable[[], object], runs: int) -> float:
    """Run once to warm up, then return the median of `runs` timed runs."""
    run()
    seconds = []
    for _ in range(runs):
        start = time.perf_counter()
        run()
        seconds.append(time.perf_counter() - start)
    return statistics.median(seconds)


def main() -> int:
    """Time each limit, print the figures, and return 1 if any is missed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs per figure (median)")
    runs = parser.parse_args().runs
    missed = False

    profile = schulze_profile()
    shape = f"{profile.prefs.shape[0]:,} ballots, {len(profile.candidates)} candidates"
    figure = median_seconds(lambda: schulze.RULE.count(profile, CountOptions(seed=1)), runs)
    pairwise = median_seconds(lambda: schulze.pairwise_matrix(profile), runs)
    verdict = "PASS" if figure <= SCHULZE_LIMIT_S else "FAIL"
    missed |= verdict == "FAIL"
    print(f"schulze count, {shape}: {figure:.3f} s (pairwise matrix {pairwise:.3f} s)", end="")
    print(f"  limit {SCHULZE_LIMIT_S:g} s: {verdict}")

    rng = random.Random(8)
    bodies = {f"section {i}": int(rng.paretovariate(1.2) * 100) for i in range(10_000)}
    for method in APPORTIONMENT_METHODS:
        figure = median_seconds(partial(apportion, method, bodies, 12_000, seed=1), runs)
        verdict = "PASS" if figure <= APPORTION_LIMIT_S else "FAIL"
        missed |= verdict == "FAIL"
        print(f"apportion {method}, 10,000 bodies, 12,000 seats: {figure:.3f} s", end="")
        print(f"  limit {APPORTION_LIMIT_S:g} s: {verdict}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
