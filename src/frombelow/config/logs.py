"""Where the server's log goes: stderr, which gunicorn, systemd or a container keeps."""

from __future__ import annotations

import logging
import sys
from typing import TextIO


class StderrHandler(logging.StreamHandler[TextIO]):
    """Write each record to `sys.stderr` as it is when the record is written, not as it was when
    logging was set up: whatever takes stderr over later (a test's capture) gets the log."""

    def __init__(self, level: int = logging.NOTSET) -> None:
        logging.Handler.__init__(self, level)

    @property
    def stream(self) -> TextIO:  # type: ignore[override]  # read-only: always stderr now
        """The process's stderr now."""
        return sys.stderr
