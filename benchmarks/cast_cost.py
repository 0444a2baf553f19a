"""What one cast through the API costs: statements, commits and CPU time, in one process.

Run `DATABASE_URL=postgres://... .venv/bin/python benchmarks/cast_cost.py [--casts N]
[--show]` (SQLite without DATABASE_URL is refused: the load target is PostgreSQL's). Beside the
database that DATABASE_URL names it makes a scratch database (dropped at the end), builds a
congress of N members with tokens and one motion open to their vote (`tests.support.congress`),
then casts each member's ballot through Django's test client as the load benchmark's clients do
(`POST /api/v1/votes/{id}/ballots`, bearer token, `Idempotency-Key`, behind the proxy's headers).
It prints the statements and commits per cast, and this process's CPU time per cast (client and
server together; the database's own time apart). `--show` prints the statements of one cast,
`--profile` where the time went (sorted by CAST_COST_SORT, default tottime).
It runs the development settings; `FROMBELOW_CHECKPOINT_EVERY=1` paces checkpoints as production.
Unlike a latency, these counts do not depend on what else the machine runs.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.support.congress import build
from tests.support.scratch import environment, postgres_settings, scratch_database


@contextmanager
def counting_commits(counter: list[int]) -> Iterator[None]:
    """Count the commits of Django's atomic blocks (a statement in autocommit commits alone)."""
    from django.db.backends.base.base import BaseDatabaseWrapper

    original: Callable[..., Any] = BaseDatabaseWrapper.commit

    def commit(self: BaseDatabaseWrapper) -> None:
        counter[0] += 1
        original(self)

    BaseDatabaseWrapper.commit = commit  # type: ignore[method-assign]  # counted, then put back
    try:
        yield
    finally:
        BaseDatabaseWrapper.commit = original  # type: ignore[method-assign]  # as it was


def measure(url: str, data_dir: Path, casts: int, show: bool, profile: bool) -> None:
    congress = build(url, data_dir, data_dir / "congress.json", voters=casts, votes=1)
    os.environ.update(environment(url, data_dir))
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(
        headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "192.0.2.10"},
        SERVER_NAME="127.0.0.1",
    )
    vote = congress.votes[0]
    statements = 0
    commits = [0]
    cpu = 0.0
    profiler = cProfile.Profile()
    for index, token in enumerate(congress.tokens):
        with counting_commits(commits), CaptureQueriesContext(connection) as queries:
            started = time.process_time()
            if profile:
                profiler.enable()
            reply = client.post(
                f"/api/v1/votes/{vote}/ballots",
                {"ranking": [["yes"]]},
                content_type="application/json",
                headers={"Authorization": f"Bearer {token}", "Idempotency-Key": f"cost-{index}"},
            )
            profiler.disable()
            cpu += time.process_time() - started
        if reply.status_code != 201:
            raise SystemExit(f"cast {index} answered {reply.status_code}: {reply.content!r}")
        statements += len(queries)
        if show and index == casts // 2:
            for query in queries.captured_queries:
                print("   ", query["sql"][:160])
    from django.conf import settings

    print(f"{casts} casts on PostgreSQL, each through the API in this process:")
    print(f"  checkpoints at most every {settings.RECORD_CHECKPOINT_EVERY_S:g} s (0: each write)")
    print(f"  statements per cast: {statements / casts:.1f}")
    print(f"  atomic blocks committed per cast: {commits[0] / casts:.2f}")
    print(f"  CPU time per cast (client and server): {1000 * cpu / casts:.1f} ms")
    if profile:
        stats = pstats.Stats(profiler).sort_stats(os.environ.get("CAST_COST_SORT", "tottime"))
        stats.print_stats(30)
        stats.print_callers("exec|compile")


def main(args: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="benchmarks/cast_cost.py", description=__doc__)
    parser.add_argument("--casts", type=int, default=300, help="members, each casting once")
    parser.add_argument("--show", action="store_true", help="print one cast's statements")
    parser.add_argument("--profile", action="store_true", help="print the casts' cProfile")
    options = parser.parse_args(args)
    settings = postgres_settings("benchmarks/cast_cost.py")
    if settings is None:
        return 2
    data_dir = Path(tempfile.mkdtemp(prefix="frombelow-cast-cost-"))
    with scratch_database(settings, f"{settings['NAME']}_cost", data_dir) as scratch:
        measure(scratch, data_dir, options.casts, options.show, options.profile)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
