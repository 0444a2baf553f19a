"""`frombelow manage ...`: Django's management commands with frombelow's settings."""

from __future__ import annotations

import os


def run(args: list[str]) -> int:
    """Run one Django management command."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "frombelow.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["frombelow manage", *args])
    return 0
