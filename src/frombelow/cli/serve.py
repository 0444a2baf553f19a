"""`frombelow serve`: the application behind gunicorn, the production WSGI server."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys


def run(args: list[str]) -> int:
    """Migrate, collect static files and serve until interrupted."""
    parser = argparse.ArgumentParser(prog="frombelow serve", description=__doc__)
    parser.add_argument("--bind", default=os.environ.get("FROMBELOW_BIND", "127.0.0.1:8000"))
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "3")))
    parser.add_argument(
        "--notify-every",
        type=int,
        # Invitations wait for it: a minute keeps them arriving while the officer still looks.
        default=int(os.environ.get("FROMBELOW_NOTIFY_EVERY", "60")),
        metavar="SECONDS",
        help="run `frombelow notify` this often beside the server (0: leave it to cron)",
    )
    options = parser.parse_args(args)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "frombelow.config.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    if options.notify_every > 0:
        # The invitations due and the clock-driven notices (votes closing within a day) from a
        # companion process, which stops when the server (this process, once it becomes
        # gunicorn) is gone. Each run finds the reminders already sent remembered (NoticeSent),
        # so running every minute sends each once, as every ten minutes did.
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "frombelow.cli.main",
                "notify",
                "--every",
                str(options.notify_every),
                "--parent",
                str(os.getpid()),
            ]
        )
    print(f"frombelow: serving on http://{options.bind}/", file=sys.stderr, flush=True)
    gunicorn = os.path.join(os.path.dirname(sys.executable), "gunicorn")
    os.execv(
        gunicorn,
        [
            gunicorn,
            "frombelow.config.wsgi:application",
            "--bind",
            options.bind,
            "--workers",
            str(options.workers),
            "--access-logfile",
            "-",
        ],
    )
