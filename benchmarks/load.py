"""A congress surge against the production server on PostgreSQL: throughput and latency.

Run `DATABASE_URL=postgres://... .venv/bin/python benchmarks/load.py [--quick]`. Beside the
database that DATABASE_URL names, on the same server, it makes a scratch database (dropped at the
end), migrates it, and builds a congress through the services: one assembly of 2,000 members,
each with an API token, and two motions open to their vote. Then it serves it as production does:
gunicorn with `frombelow serve`'s three sync workers, the production settings, behind a proxy the
client plays (`X-Forwarded-Proto`, `X-Forwarded-For`).

* **The surge.** Every member casts on the first motion at a moment drawn uniformly within one
  minute (seeded), each cast under its idempotency key, while 100 members watch the live tally
  through the API (`GET /api/v1/votes/{id}/tally`), each every 5 s as the session page's HTMX
  fragment polls, from a random offset. Each request is sent at its moment by a pool of 200
  threads; its latency runs from the request's send to the answer's last byte.
* **The capacity.** Then 500 members cast on the second motion as fast as 16 clients can, each
  sending its next cast when the last is answered: the casts per second the server sustains.
  The CPU time gunicorn's processes spent on it, per cast, is printed too: unlike the latency,
  it does not grow with the other work on a shared machine.
* **The database's own rate.** In the same run, before the surge, a plain psycopg loop inserts
  rows into a scratch table, one transaction per row, with the server's durability (each commit
  waits for the disk): the ceiling for writes that each commit alone. The capacity is printed as
  a share of it.

Targets (issue 6): no error, and the surge's 99th percentile under 500 ms. It prints the load
average at its start and end (the machine is shared) and exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import psycopg
from tests.support.congress import Congress, Reply, build, call, cast
from tests.support.scratch import postgres_settings, scratch_database
from tests.support.server import ProductionServer

SEED = 20261204
P99_TARGET_S = 0.5


@dataclass(frozen=True)
class Sizes:
    members: int
    window_s: float
    readers: int
    read_every_s: float
    capacity_clients: int
    capacity_casts: int


# members, the surge's window, watchers, their polling period, closed-loop clients, their casts
FULL = Sizes(2000, 60.0, 100, 5.0, 16, 500)
QUICK = Sizes(60, 5.0, 5, 1.0, 4, 60)


@dataclass
class Tape:
    """Each request's latency and answer, by kind ("cast", "tally"), and how late each left."""

    seconds: dict[str, list[float]] = field(default_factory=dict)
    answers: Counter[tuple[str, str]] = field(default_factory=Counter)
    late_s: list[float] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def run(self, kind: str, request: Callable[[], Reply], ok: int) -> None:
        """Send one request and note what came back; an exception is an error too."""
        try:
            reply = request()
        except Exception as error:  # any failure to answer is an error to report
            with self.lock:
                self.answers[kind, type(error).__name__] += 1
            return
        with self.lock:
            self.answers[kind, str(reply.status)] += 1
            if reply.status == ok:
                self.seconds.setdefault(kind, []).append(reply.seconds)

    def errors(self) -> int:
        ok = {"cast": "201", "tally": "200"}
        return sum(n for (kind, answer), n in self.answers.items() if answer != ok[kind])


def percentile(values: Sequence[float], share: float) -> float:
    """Return the nearest-rank percentile (share in 0..1) of the values."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(share * len(ordered)) - 1))]


def insert_rate(url: str, seconds: float) -> float:
    """Return the rows per second a plain loop commits one at a time into a scratch table."""
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("CREATE TABLE load_probe (id bigserial PRIMARY KEY, at timestamptz)")
        rows, started = 0, time.perf_counter()
        while time.perf_counter() - started < seconds:
            connection.execute("INSERT INTO load_probe (at) VALUES (now())")  # one commit each
            rows += 1
        elapsed = time.perf_counter() - started
        connection.execute("DROP TABLE load_probe")
    return rows / elapsed


def surge(server: ProductionServer, congress: Congress, sizes: Sizes) -> tuple[Tape, float]:
    """Run the surge on the first motion; return the tape and its length in seconds."""
    rng = random.Random(SEED)
    vote = congress.votes[0]
    plan: list[tuple[float, str, Callable[[], Reply], int]] = []
    for index, token in enumerate(congress.tokens):
        choice = rng.choice(("yes", "no", "abstain"))

        def send(token: str = token, choice: str = choice, key: str = f"surge-{index}") -> Reply:
            return cast(server.address, vote, token, choice, key)

        plan.append((rng.uniform(0, sizes.window_s), "cast", send, 201))
    watchers = rng.sample(congress.tokens, sizes.readers)
    for token in watchers:
        moment = rng.uniform(0, sizes.read_every_s)
        while moment < sizes.window_s:

            def read(token: str = token) -> Reply:
                return call(server.address, "GET", f"/api/v1/votes/{vote}/tally", token)

            plan.append((moment, "tally", read, 200))
            moment += sizes.read_every_s
    plan.sort(key=lambda step: step[0])
    tape = Tape()
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=200) as pool:
        for moment, kind, request, ok in plan:
            delay = started + moment - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            tape.late_s.append(max(0.0, -delay))
            pool.submit(tape.run, kind, request, ok)
    return tape, time.perf_counter() - started


def capacity(server: ProductionServer, congress: Congress, sizes: Sizes) -> tuple[Tape, float]:
    """Cast members' ballots on the second motion from closed-loop clients."""
    vote = congress.votes[1]
    tape = Tape()
    tokens = list(enumerate(congress.tokens))[: sizes.capacity_casts]
    clients = sizes.capacity_clients

    def client(share: Sequence[tuple[int, str]]) -> None:
        for index, token in share:

            def send(token: str = token, key: str = f"capacity-{index}") -> Reply:
                return cast(server.address, vote, token, "yes", key)

            tape.run("cast", send, 201)

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(tokens[i::clients],)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return tape, time.perf_counter() - started


def server_cpu_s(server: ProductionServer) -> float:
    """Return the CPU seconds gunicorn's master and workers have used so far (Linux /proc)."""
    assert server.process is not None
    master = server.process.pid
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended while we looked
            continue
        pid, parent = int(stat.parent.name), int(fields[1])
        if master in (pid, parent):
            total += int(fields[11]) + int(fields[12])  # utime + stime, in clock ticks
    return total / os.sysconf("SC_CLK_TCK")


def describe(label: str, values: Sequence[float]) -> str:
    if not values:
        return f"{label}: none answered"
    ms = [1000 * v for v in values]
    return (
        f"{label}: {len(ms):,} answered, p50 {percentile(ms, 0.5):.0f} ms, "
        f"p95 {percentile(ms, 0.95):.0f} ms, p99 {percentile(ms, 0.99):.0f} ms, "
        f"max {max(ms):.0f} ms, mean {statistics.fmean(ms):.0f} ms"
    )


def load_average() -> str:
    return " ".join(f"{v:.2f}" for v in os.getloadavg())


def measure(url: str, data_dir: Path, sizes: Sizes, workers: int, threads: int) -> bool:
    """Build the congress, run the surge and the capacity run; print the figures."""
    print(f"load average at the start: {load_average()} ({os.cpu_count()} CPUs)", flush=True)
    built = time.perf_counter()
    congress = build(url, data_dir, data_dir / "congress.json", voters=sizes.members, votes=2)
    print(f"congress of {sizes.members:,} members built in {time.perf_counter() - built:.0f} s")
    rate = insert_rate(url, 5.0)
    print(f"database alone: {rate:,.0f} single-row transactions per second")
    print(f"gunicorn: {workers} workers of {threads} thread(s) each")
    with ProductionServer(url, data_dir, workers=workers, threads=threads) as server:
        tape, elapsed = surge(server, congress, sizes)
        casts = len(tape.seconds.get("cast", []))
        reads = len(tape.seconds.get("tally", []))
        print(
            f"surge: {sizes.members:,} casts within {sizes.window_s:.0f} s and "
            f"{reads:,} tally reads by {sizes.readers} watchers, over {elapsed:.1f} s: "
            f"{casts / elapsed:.1f} casts/s, {(casts + reads) / elapsed:.1f} requests/s"
        )
        print("  " + describe("casts", tape.seconds.get("cast", [])))
        print("  " + describe("tally reads", tape.seconds.get("tally", [])))
        print(f"  answers: {dict(sorted(tape.answers.items()))}; errors: {tape.errors()}")
        print(f"  the client sent requests up to {1000 * max(tape.late_s):.0f} ms late")
        cpu = server_cpu_s(server)
        full, full_s = capacity(server, congress, sizes)
        cpu = server_cpu_s(server) - cpu
        done = len(full.seconds.get("cast", []))
        print(
            f"capacity: {done:,} casts by {sizes.capacity_clients} closed-loop clients in "
            f"{full_s:.1f} s: {done / full_s:.1f} casts/s, "
            f"{done / full_s / rate:.3f} of the database's own rate"
        )
        print("  " + describe("casts", full.seconds.get("cast", [])))
        print(f"  answers: {dict(sorted(full.answers.items()))}; errors: {full.errors()}")
        print(
            f"  gunicorn's own CPU time: {1000 * cpu / max(done, 1):.0f} ms per cast "
            "(the database's apart)"
        )
    print(f"load average at the end: {load_average()}")
    p99 = percentile(tape.seconds["cast"], 0.99) if casts else float("inf")
    passed = tape.errors() == 0 and full.errors() == 0 and p99 < P99_TARGET_S
    verdict = "PASS" if passed else "FAIL"
    print(f"target: no error and the surge's cast p99 < {P99_TARGET_S * 1000:.0f} ms: {verdict}")
    return passed


def main(args: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="benchmarks/load.py", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="60 members in 5 s; no target")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (as serve)")
    parser.add_argument("--threads", type=int, default=1, help="threads per worker (as serve)")
    options = parser.parse_args(args)
    settings = postgres_settings("benchmarks/load.py")
    if settings is None:
        return 2
    data_dir = Path(tempfile.mkdtemp(prefix="frombelow-load-"))
    name = f"{settings['NAME']}_load"
    with scratch_database(settings, name, data_dir) as scratch:
        sizes = QUICK if options.quick else FULL
        passed = measure(scratch, data_dir, sizes, options.workers, options.threads)
    return 0 if passed or options.quick else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
