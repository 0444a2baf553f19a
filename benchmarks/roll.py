"""Time a membership roll's import: reading the file, the preview, and admitting it in one act.

Run `.venv/bin/python benchmarks/roll.py [--rows N] [--runs R]`.

It migrates a fresh database (SQLite in a temporary directory, or PostgreSQL when DATABASE_URL
is set: give it an empty database), founds an assembly whose statute lets its membership officer
admit, elects the officer through the services, and then, R times, imports a roll of N new
people, each with an e-mail address: the core reads the CSV, the service previews it (nothing
stored), and the import admits every row in one transaction, makes each an account and sends each
an invitation (to Django's in-memory mail backend) once the transaction commits. It prints the
median and the spread of each step. The target: a roll of the core's limit (5,000 rows) admitted
in a few seconds, so that an officer waits on the page, not on a background job. No peer computes
this, so there are no ratios.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta


def main(args: list[str]) -> int:
    """Build the assembly, import the rolls, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args(args)
    os.environ.setdefault("FROMBELOW_DATA_DIR", tempfile.mkdtemp(prefix="fb-roll-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "frombelow.config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core import mail
    from django.core.management import call_command

    from frombelow.core.roll import parse_roll
    from frombelow.core.statutes import Statute
    from frombelow.services import bodies, clock, deciding, elections, invites, roll, votes
    from frombelow.services.standing import MEMBERSHIP_OFFICER

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    call_command("migrate", interactive=False, verbosity=0)
    now = datetime.now(UTC)
    clock.now = lambda: now  # the services' clock, moved by hand as the tests move it
    founders = [bodies.register_member(actor="system", name=f"Founder {i}") for i in range(3)]
    docks = bodies.found_assembly(
        actor=founders[0],
        name="Docks",
        slug=f"docks-{int(time.time())}",
        founders=founders,
        statute=Statute(officer_admits_members=True),
    )
    election = elections.call_election(actor=founders[0], body=docks, office=MEMBERSHIP_OFFICER)
    elections.stand(actor=founders[1], election=election)
    # Open for four days: past the statute's minimum voting period (72 hours by default).
    vote = elections.open_election(
        actor=founders[0], election=election, closes_at=now + timedelta(days=4)
    )
    for voter in founders:
        label = elections.candidate_label(founders[1])
        votes.cast_ballot(actor=voter, vote=vote, ranking=[[label]])
    now += timedelta(days=4)
    deciding.close_vote(actor="system", vote=vote)
    officer = founders[1]

    figures: dict[str, list[float]] = {"read": [], "preview": [], "import": []}
    for run in range(options.runs):
        text = "name,email,member_number\n" + "".join(
            f"Person {run}-{i},p{run}-{i}@example.org,{run}-{i}\n" for i in range(options.rows)
        )
        start = time.perf_counter()
        parse_roll(text)
        figures["read"].append(time.perf_counter() - start)
        start = time.perf_counter()
        seen = roll.preview_roll(actor=officer, assembly=docks, data=text)
        figures["preview"].append(time.perf_counter() - start)
        sent = len(mail.outbox)
        start = time.perf_counter()
        admitted = roll.import_roll(actor=officer, assembly=docks, token=seen.token)
        figures["import"].append(time.perf_counter() - start)
        assert len(admitted) == options.rows
        # Admitting marks the invitations due; `frombelow notify` sends them, outside the act.
        assert invites.send_due_invitations() == options.rows
        assert len(mail.outbox) - sent == options.rows
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    print(f"roll import, {options.rows} rows, {options.runs} runs, {engine}")
    for step, values in figures.items():
        spread = f"{min(values):.3f}-{max(values):.3f}"
        print(f"  {step:<8} median {statistics.median(values):.3f} s  (range {spread} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
