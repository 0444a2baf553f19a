"""The stored real elections that the golden tests count, and how to run a check over them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.shared_data import elections_dir

# The 21 wards of Glasgow City Council, 3 May 2007, each with Droop's reference count.
GLASGOW_WARDS = (
    "Anderston-City",
    "Baillieston",
    "Calton",
    "Canal",
    "Craigton",
    "Drumchapel-Anniesland",
    "East-Centre",
    "Garscadden-Scotsounhill",
    "Govan",
    "Greater-Pollock",
    "Hillhead",
    "Langside",
    "Linn",
    "Maryhill-Kelvin",
    "Newlands-Auldburn",
    "North-East",
    "Partick-West",
    "Pollokshields",
    "Shettleston",
    "Southside-Central",
    "Springburn",
)

# The 1,100 Scottish elections lie in one folder per number of candidates: 3_cands ... 14_cands.
SCOTLAND_GROUPS = tuple(f"{n}_cands" for n in range(3, 15))


def check_every_election(group: str, check: Callable[[Path], None]) -> None:
    """Run `check` on every Scottish election with that many candidates, naming a failing file."""
    folder = elections_dir("scotland") / "blt_files" / group
    paths = sorted(folder.glob("*.blt"))
    if not paths:
        pytest.skip(f"no elections with {group.replace('_', ' ')} in {folder}")
    for path in paths:
        try:
            check(path)
        except AssertionError as error:
            raise AssertionError(f"{path.name}: {error}") from error
