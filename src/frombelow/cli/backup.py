"""`frombelow backup FILE`: a consistent copy of the whole database, safe while the server runs."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


def run(args: list[str]) -> int:
    """Back the configured database up into one file."""
    parser = argparse.ArgumentParser(prog="frombelow backup", description=__doc__)
    parser.add_argument("file", type=Path, help="where to write the backup")
    options = parser.parse_args(args)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "frombelow.config.settings")
    import django

    django.setup()
    from frombelow.services.backup import BackupError, backup_database

    try:
        backup_database(options.file)
    except BackupError as error:
        print(f"frombelow backup: {error}", file=sys.stderr)
        return 1
    print(f"frombelow backup: wrote {options.file}", file=sys.stderr)
    return 0
