"""The stories run on the services' clock, which only the story moves."""

from __future__ import annotations

import pytest

from frombelow.services import clock as services_clock
from tests.services.world import Clock


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """Give the story the services' clock, which stands still until the story moves it."""
    fixed = Clock()
    monkeypatch.setattr(services_clock, "now", fixed)
    return fixed
