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


# The functions that take the act they guard as words (`Words` in a refusal), and the position of
# that argument: their callers' literal phrases ("casting a ballot") go into the catalogue too.
ACTS = {
    "as_member": 2,
    "require_participant": 4,
    "require_officer": 5,
    "require_secretary": 4,
    "require_admitting_officer": 3,
    "require_second_factor": 3,
    "_keeper": 3,
}


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
        keywords += ["--keyword=Words"]
        keywords += [f"--keyword={name}:{position}" for name, position in ACTS.items()]
        self.xgettext_options = [*makemessages.Command.xgettext_options, *keywords]
        return super().handle(*args, **options)
