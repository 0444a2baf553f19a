"""`makemessages` that also gathers the refusals the rules raise, for the one catalogue.

A refusal is raised as `SomeError("template", name=value)` (see `frombelow.core.errors`); telling
xgettext that each refusal's class is a keyword puts every template into the catalogue next to the
pages' strings, so translators see them all in one file. Run it from `src/frombelow`:

    cd src/frombelow && ../../.venv/bin/frombelow manage makemessages -l es --no-obsolete
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

from django.core.management.commands import makemessages

import frombelow
from frombelow.core.errors import DomainError

# The packages whose refusals reach a reader: pages and API answers. The command line and the
# verifier speak to an operator, in English.
SPEAKING = (
    "frombelow.core",
    "frombelow.db",
    "frombelow.services",
    "frombelow.api",
    "frombelow.web",
)


def refusal_kinds() -> frozenset[str]:
    """Return the names of every refusal class: `DomainError` and all that derive from it."""
    for module in pkgutil.walk_packages(frombelow.__path__, "frombelow."):
        if module.name.startswith(SPEAKING) and ".management" not in module.name:
            importlib.import_module(module.name)
    kinds: set[type[DomainError]] = set()
    waiting: list[type[DomainError]] = [DomainError]
    while waiting:
        kind = waiting.pop()
        kinds.add(kind)
        waiting.extend(kind.__subclasses__())
    return frozenset(kind.__name__ for kind in kinds)


class Command(makemessages.Command):
    def handle(self, *args: Any, **options: Any) -> str | None:
        keywords = [f"--keyword={name}" for name in sorted(refusal_kinds())]
        self.xgettext_options = [*makemessages.Command.xgettext_options, *keywords]
        return super().handle(*args, **options)
