"""`frombelow restore FILE`: replace the whole database with a backup (stop the server first)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


def run(args: list[str]) -> int:
    """Restore the configured database from a backup file."""
    parser = argparse.ArgumentParser(prog="frombelow restore", description=__doc__)
    parser.add_argument("file", type=Path, help="a file written by `frombelow backup`")
    parser.add_argument(
        "--replace",
        action="store_true",
        help="replace a database that already holds a record (it is lost unless backed up)",
    )
    options = parser.parse_args(args)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "frombelow.config.settings")
    import django

    django.setup()
    from frombelow.services.backup import BackupError, restore_database

    try:
        restore_database(options.file, replace=options.replace)
    except BackupError as error:
        print(f"frombelow restore: {error}", file=sys.stderr)
        return 1
    print(
        f"frombelow restore: restored {options.file}; run `frombelow manage migrate` "
        "if this version of frombelow is newer than the backup",
        file=sys.stderr,
    )
    return 0
