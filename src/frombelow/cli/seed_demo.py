"""`frombelow seed-demo`: create the demo confederation once, through the services."""

from __future__ import annotations

import argparse
import os
import time


def parser() -> argparse.ArgumentParser:
    """Return the command's argument parser."""
    p = argparse.ArgumentParser(
        prog="frombelow seed-demo",
        description=(
            "Create a demo confederation of about 5,000 members (migrate first). Every act goes "
            "through the services and into the record. Running it again changes nothing."
        ),
    )
    p.add_argument("--seed", type=int, default=1, help="seed of the names and sizes (default 1)")
    p.add_argument(
        "--scale", type=float, default=1.0, help="share of the full size, in (0, 1] (default 1)"
    )
    return p


def run(args: list[str]) -> int:
    """Seed the demo and print the logins to try it with."""
    options = parser().parse_args(args)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "frombelow.config.settings")
    import django

    django.setup()
    from frombelow.services.demo import DemoError, seed_demo

    started = time.perf_counter()
    try:
        report = seed_demo(seed=options.seed, scale=options.scale)
    except DemoError as error:
        print(f"frombelow seed-demo: {error}")
        return 1
    if report.created:
        took = time.perf_counter() - started
        print(
            f"Seeded the demo: {report.members} members in {report.bodies} bodies ({took:.0f} s)."
        )
    else:
        print("The demo is already there: nothing changed.")
    print(f"Logins (password {report.password!r}):")
    for username, name in report.logins.items():
        held = report.offices.get(username) or ["no office"]
        print(f"  {username:<9} {name}: {'; '.join(held)}")
    print('What each can do now: the README\'s "Who can do what in the demo".')
    return 0
