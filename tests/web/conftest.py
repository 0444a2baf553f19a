"""Fixtures for the pages: the services' clock, which only the test moves, and the scene."""

from __future__ import annotations

import pytest

from frombelow.services import clock as services_clock
from tests.services.world import Clock


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """Give the test the services' clock, which stands still until the test moves it."""
    fixed = Clock()
    monkeypatch.setattr(services_clock, "now", fixed)
    return fixed
