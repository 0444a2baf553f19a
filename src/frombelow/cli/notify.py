"""`frombelow notify`: count the votes past their close, call and open the elections due, and
send the invitations due and the notices the clock calls for.

The notices of acts (a vote opened, a mandate decided, a recall petition) go out when the act
commits; a vote closing is no act, so this command looks for those votes, and for what waits for
members (an agenda's mandates, an election's candidacies, a ratification, a decision past its
date), and sends the daily digests to those who chose them. Admitting a member only
marks their invitation due (a roll's thousands of e-mails stay out of the officer's request), so
this command sends those too. It remembers every notice and invitation it sent, so running it
again, from cron or from `frombelow serve` (every minute), sends nothing twice.
"""

from __future__ import annotations

import argparse
import os
import sys
import time


def parser() -> argparse.ArgumentParser:
    """Return the command line of `frombelow notify`."""
    p = argparse.ArgumentParser(prog="frombelow notify", description=__doc__)
    p.add_argument(
        "--every",
        type=int,
        default=0,
        metavar="SECONDS",
        help="keep running, sending every SECONDS (default: send once and exit)",
    )
    p.add_argument(
        "--parent",
        type=int,
        default=0,
        metavar="PID",
        help="with --every: stop when process PID (the server that started it) is gone",
    )
    return p


def run(args: list[str]) -> int:
    """Count, open and send what is due once, or every --every seconds."""
    options = parser().parse_args(args)
    if options.every < 0:
        print("frombelow notify: --every is a number of seconds, 0 or more", file=sys.stderr)
        return 2
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "frombelow.config.settings")
    import django

    django.setup()
    from frombelow.services import clock, deciding, digest, elections, invites, notices

    while True:
        # Votes past their close are counted first, so that an election they fill is no longer
        # due; then the elections due are called or opened, whether or not anyone acts.
        counted = deciding.close_due_votes(clock.now())
        deciding.open_due_motions(clock.now())  # then the motions no secretary put by the deadline
        opened = elections.open_due_elections(clock.now())
        invited = invites.send_due_invitations()
        sent = notices.send_closing_notices()
        # After the elections are called: an election taking candidacies is told of at once.
        sent += notices.send_due_notices() + digest.send_digests()
        print(
            f"frombelow notify: {invited} invitations, {sent} notices sent, "
            f"{counted} votes counted, {opened} elections called or opened",
            file=sys.stderr,
            flush=True,
        )
        if not options.every:
            return 0
        # Wait in steps of a second, so that a companion whose server is gone stops at once.
        deadline = time.monotonic() + options.every
        while time.monotonic() < deadline:
            if options.parent and os.getppid() != options.parent:
                return 0
            time.sleep(1)
