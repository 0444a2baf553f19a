"""Where the real election data lies: `../shared/data/` beside the project, never copied in."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(
    os.environ.get("FROMBELOW_SHARED_DATA", PROJECT_ROOT.parent / "shared" / "data")
).resolve()
ELECTIONS = SHARED_DATA / "elections"


def elections_dir(name: str) -> Path:
    """Return a folder of the shared election data, skipping the test where it is absent."""
    folder = ELECTIONS / name
    if not folder.is_dir():
        pytest.skip(
            f"real election data not found at {folder}: it lies in ../shared/data beside the "
            "project (or set FROMBELOW_SHARED_DATA)"
        )
    return folder
