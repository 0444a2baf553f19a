"""Fixtures for the pages: the services' clock, which only the test moves, and the scene."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from frombelow.services import clock as services_clock
from tests.services.world import Clock
from tests.support.once import Built, built_for_the_module
from tests.web.scene import Scene, build


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """Give the test the services' clock, which stands still until the test moves it."""
    fixed = Clock()
    monkeypatch.setattr(services_clock, "now", fixed)
    return fixed


@pytest.fixture(scope="module")
def built_scene(django_db_setup: None, django_db_blocker: Any) -> Iterator[Built[Scene]]:
    """Build the scene once for the module's tests (see tests/support/once.py)."""
    with built_for_the_module(django_db_blocker, build) as built:
        yield built


@pytest.fixture
def scene(built_scene: Built[Scene], clock: Clock, db: None) -> Scene:
    """The scene as built, for this test: its own copy, its clock where the build left it."""
    return built_scene.fresh(clock)
