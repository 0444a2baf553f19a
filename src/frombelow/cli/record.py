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
from pathlib import Path

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


def _export(options: argparse.Namespace) -> int:
    """Write the record and what its counts rest on into a folder."""
    _setup_django()
    from frombelow.services.checkpoints import sign_checkpoint
    from frombelow.services.export import export_record

    sign_checkpoint()  # so that the export ends on a signed checkpoint
    written = export_record(Path(options.directory))
    summary = ", ".join(f"{count} {what}" for what, count in written.items())
    print(f"exported {summary} to {options.directory}")
    return 0


def _verify(options: argparse.Namespace) -> int:
    """Check an exported record with the core alone; exit 0 only if everything holds."""
    from frombelow.core.record.verify import verify_export

    report = verify_export(Path(options.directory))
    for line in report.checked:
        print(f"ok: {line}")
    if report.problem is not None:
        print(f"FAILED: {report.problem}")
        return 1
    print("the record holds")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=PROG, description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands.add_parser("checkpoint", help="sign a checkpoint of the record and print it")
    export = commands.add_parser("export", help="export the record and its counts to a folder")
    export.add_argument("directory", metavar="DIR")
    verify = commands.add_parser("verify", help="check an exported record (no database needed)")
    verify.add_argument("directory", metavar="DIR")
    return parser


HANDLERS: dict[str, Callable[[argparse.Namespace], int]] = {
    "checkpoint": _checkpoint,
    "export": _export,
    "verify": _verify,
}


def run(args: list[str]) -> int:
    """Run one `frombelow record` subcommand."""
    options = _parser().parse_args(args)
    return HANDLERS[options.command](options)
