"""Data built once for a test module and seen afresh by each of its tests.

A federation in the middle of its life takes about a second to build through the services, and
the API and page suites built it again for each of their several hundred tests. Django's
`TestCase.setUpTestData` answers this for test classes; this is the same for pytest modules. The
data is built inside a transaction held open for the module; each test runs, as every `db` test
does, in a transaction nested in it (a savepoint) that is rolled back after it, so each test
starts from the data as built; the module's transaction is rolled back at its end.

A test sees the data as copies (`copy.deepcopy`), so that one test refreshing or changing an
object in memory cannot leak into the next, and the services' clock as it stood when the build
ended.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

import pytest
from django.db import transaction

from frombelow.services import clock as services_clock
from tests.services.world import Clock

T = TypeVar("T")


@dataclass(frozen=True)
class Built(Generic[T]):
    """What was built for the module, and the services' time when the build ended."""

    data: T
    now: datetime

    def fresh(self, clock: Clock) -> T:
        """Return a copy of the data for one test, and set its clock where the build left it."""
        clock.now = self.now
        return copy.deepcopy(self.data)


@contextmanager
def built_for_the_module(django_db_blocker: Any, build: Callable[[Clock], T]) -> Iterator[Built[T]]:
    """Build the data by the services on their own clock, in a transaction held for the module.

    The transaction passes for one of Django's test transactions (`_from_testcase`): the
    services' durable transactions refuse to nest in any other, and this one is, like the
    test's, only a frame that is never committed.
    """
    clock = Clock()
    with django_db_blocker.unblock():
        held = transaction.atomic()
        held._from_testcase = True  # type: ignore[attr-defined]
        with held:
            try:
                with pytest.MonkeyPatch.context() as patch:
                    patch.setattr(services_clock, "now", clock)
                    built = Built(build(clock), clock.now)
                yield built
            finally:
                transaction.set_rollback(True)
