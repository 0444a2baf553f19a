"""Time the federation's weights and a referendum's roll-up at the size of a large confederation.

Run `.venv/bin/python benchmarks/governance.py [--quick] [--runs N]`.

The federation: one confederation over 10 regions, 100 districts, 1,000 local federations and
10,000 assemblies (four levels of councils above the assemblies), and 100 industrial federations
that each take 100 of the assemblies as well, so that the graph is a DAG with many paths. The roll:
1,100,000 members, each in one assembly, and 5% of them in a second one. The referendum: 1,000,000
of them vote. Everything is drawn from a fixed seed. The targets (MODEL.md sections 2 and 5, the
task "well under a second"): weighing every body and rolling the referendum up each take less
than one second, the database read apart. No peer computes these, so there are no ratios.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np

from frombelow.core.federation import Body, BodyKind, Federation, Roll, weigh
from frombelow.core.referendum import ReferendumBallots, decide_referendum, roll_up
from frombelow.core.statutes import Statute

SEED = 20260501
TARGET_S = 1.0


@dataclass(frozen=True)
class Sizes:
    """How large the confederation is."""

    fan_out: int  # member bodies per council at each of the four levels
    industrial: int  # industrial federations, each taking `fan_out ** 2` assemblies
    members: int
    voters: int
    shared: float  # the share of members in a second assembly


FULL = Sizes(fan_out=10, industrial=100, members=1_100_000, voters=1_000_000, shared=0.05)
QUICK = Sizes(fan_out=4, industrial=4, members=20_000, voters=15_000, shared=0.05)


def confederation(
    sizes: Sizes, rng: np.random.Generator
) -> tuple[list[Body], list[tuple[str, str]]]:
    """Draw the bodies and memberships: four levels of councils, then the assemblies."""
    bodies = [Body("confederation", "council")]
    memberships: list[tuple[str, str]] = []
    level = ["confederation"]
    kinds: tuple[BodyKind, ...] = ("council", "council", "council", "assembly")
    for depth, kind in enumerate(kinds):
        below: list[str] = []
        for council in level:
            for i in range(sizes.fan_out):
                name = f"{council}/{i}" if depth else f"r{i}"
                bodies.append(Body(name, kind))
                memberships.append((name, council))
                below.append(name)
        level = below
    assemblies = level
    for i in range(sizes.industrial):
        name = f"industrial-{i}"
        bodies.append(Body(name, "council"))
        memberships.append((name, "confederation"))
        for pick in rng.choice(len(assemblies), sizes.fan_out**2, replace=False):
            memberships.append((assemblies[int(pick)], name))
    return bodies, memberships


def timed(work: Callable[[], object], runs: int) -> list[float]:
    """Return the wall-clock seconds of `runs` runs of `work`."""
    seconds = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        seconds.append(time.perf_counter() - start)
    return seconds


def main(argv: Sequence[str] | None = None) -> int:
    """Build the confederation, time each step, and judge the targets at full size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="small sizes; targets not judged")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    sizes = QUICK if args.quick else FULL
    rng = np.random.default_rng(SEED)
    bodies, memberships = confederation(sizes, rng)
    assemblies = tuple(b.id for b in bodies if b.kind == "assembly")
    members = np.arange(sizes.members, dtype=np.int64)
    codes = rng.integers(0, len(assemblies), sizes.members)
    twice = rng.choice(sizes.members, int(sizes.members * sizes.shared), replace=False)
    second = (codes[twice] + rng.integers(1, len(assemblies), twice.size)) % len(assemblies)
    order = np.argsort(np.concatenate([members, twice]), kind="stable")  # as a database reads it
    roll_members = np.concatenate([members, twice])[order]
    roll_codes = np.concatenate([codes, second])[order]
    taken_at = datetime(2026, 5, 1, tzinfo=UTC)
    voters = np.sort(rng.choice(sizes.members, sizes.voters, replace=False))
    choices = rng.choice(3, sizes.voters, p=[0.48, 0.44, 0.08])

    federation = Federation.of(bodies, memberships)
    roll = Roll(assemblies, roll_members, roll_codes, taken_at)
    ballots = ReferendumBallots(voters, choices)
    councils = [b.id for b in bodies if b.kind == "council"]
    per_path = {c: Statute() for c in councils}
    once = {c: Statute(member_counting="once") for c in councils}
    print(
        f"{len(bodies):,} bodies ({len(assemblies):,} assemblies), {len(memberships):,} "
        f"memberships, {roll.members.size:,} roll rows, {roll.people.size:,} members, "
        f"{sizes.voters:,} ballots"
    )
    steps: list[tuple[str, Callable[[], object], bool]] = [
        ("build the federation graph", lambda: Federation.of(bodies, memberships), False),
        (
            "build the graph and its closure",
            lambda: Federation.of(bodies, memberships).assembly_closure,
            False,
        ),
        ("read the roll", lambda: Roll(assemblies, roll_members, roll_codes, taken_at), False),
        ("weigh, per path", lambda: weigh(federation, roll, per_path), True),
        ("weigh, each member once", lambda: weigh(federation, roll, once), True),
        ("read the ballots", lambda: ReferendumBallots(voters, choices), False),
        (
            "roll the referendum up",
            lambda: roll_up(federation, "confederation", roll, ballots),
            True,
        ),
    ]
    rollup = roll_up(federation, "confederation", roll, ballots)
    double = Statute(double_majority=True)
    steps.append(
        (
            "decide it by double majority",
            lambda: decide_referendum(federation, rollup, double),
            False,
        )
    )
    failed = False
    for name, work, judged in steps:
        seconds = timed(work, args.runs)
        verdict = ""
        if judged and not args.quick:
            verdict = "PASS" if statistics.median(seconds) < TARGET_S else "FAIL"
            failed |= verdict == "FAIL"
        print(
            f"{name:32} median {statistics.median(seconds) * 1000:8.1f} ms  "
            f"best {min(seconds) * 1000:8.1f} ms  {verdict}"
        )
    total = rollup.total
    print(f"federation result: {dict(total)} ({sum(total.values()):,} ballots, each once)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
