"""Time what counting a limited post costs in the database cache, against the in-memory one.

Run `FROMBELOW_DATA_DIR=... [DATABASE_URL=postgres://...] .venv/bin/python
benchmarks/rate_limits.py [--posts N]`. It makes the cache's table if missing (as migration 0010
does) and counts N posts twice in each cache: each from a new requester (the cache's `add`: the
first post of a window) and all from one requester (`get` and `set`: every later post). It prints
the median and 99th percentile per post in milliseconds, then empties the table.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "frombelow.config.settings")
django.setup()

from django.conf import settings  # noqa: E402  (after django.setup)
from django.core.cache import caches  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import RequestFactory, override_settings  # noqa: E402
from django_ratelimit.core import get_usage  # noqa: E402

from frombelow.http.ratelimit import requester  # noqa: E402

MEMORY = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "bench"}


def timed(posts: int, address: Callable[[int], str]) -> list[float]:
    """Count `posts` posts, the i-th from `address(i)`; return each one's milliseconds."""
    factory = RequestFactory()
    seconds = []
    for i in range(posts):
        request = factory.post("/votes/1/cast/", REMOTE_ADDR=address(i))
        start = time.perf_counter()
        get_usage(
            request, group="cast", key=requester, rate="1000000/h", method="POST", increment=True
        )
        seconds.append((time.perf_counter() - start) * 1000)
    return seconds


def describe(name: str, milliseconds: list[float]) -> str:
    ordered = sorted(milliseconds)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return f"{name:<34} median {statistics.median(ordered):7.3f} ms   p99 {p99:7.3f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=2000)
    posts = parser.parse_args().posts
    call_command("createcachetable", verbosity=0)
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    print(f"{posts} posts per line; database: {engine}")
    for label, alias, cache in (
        ("database cache (limits)", "limits", settings.CACHES["limits"]),
        ("in-memory cache", "bench", MEMORY),
    ):
        with override_settings(CACHES={**settings.CACHES, alias: cache}, RATELIMIT_USE_CACHE=alias):
            caches[alias].clear()
            first = timed(posts, lambda i: f"10.{i // 65536 % 256}.{i // 256 % 256}.{i % 256}")
            later = timed(posts, lambda i: "192.0.2.1")
            caches[alias].clear()
        print(describe(f"{label}, first post", first))
        print(describe(f"{label}, later posts", later))


if __name__ == "__main__":
    main()
