"""`frombelow record ...`: sign, export and verify the record; check receipts; witness a log.

`verify`, `receipt-check` and `witness` import only `frombelow.core` and the standard library,
never Django, so that anyone can run them without the installation's database; `checkpoint` and
`export` read the database through the services.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable

PROG = "frombelow record"


def _setup_django() -> None:
    """Start Django for the subcommands that read the database."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "frombelow.config.settings")
    import django

    django.setup()


def _checkpoint(options: argparse.Namespace) -> int:
    """Sign a checkpoint of the record as it stands and print it."""
    _setup_django()
    from frombelow.services.checkpoints import sign_checkpoint

    sys.stdout.write(sign_checkpoint().note)
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=PROG, description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands.add_parser("checkpoint", help="sign a checkpoint of the record and print it")
    return parser


HANDLERS: dict[str, Callable[[argparse.Namespace], int]] = {
    "checkpoint": _checkpoint,
}


def run(args: list[str]) -> int:
    """Run one `frombelow record` subcommand."""
    options = _parser().parse_args(args)
    return HANDLERS[options.command](options)
