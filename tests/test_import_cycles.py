"""No import circle anywhere in `src/frombelow`: modules form layers, inside packages too.

Imports inside functions and under `TYPE_CHECKING` count: an import moved into a function to
dodge a circle is still a circle.
"""

from __future__ import annotations

from collections.abc import Mapping, Set

import grimp
import pytest


def circles(imports: Mapping[str, Set[str]]) -> list[list[str]]:
    """Return each group of modules that import one another in a circle (Tarjan's SCCs)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for imported in sorted(imports.get(module, ())):
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == module:
                    break
            if len(group) > 1 or module in imports.get(module, ()):
                found.append(sorted(group))

    for module in sorted(imports):
        if module not in index:
            visit(module)
    return found


@pytest.fixture(scope="module")
def imports() -> dict[str, set[str]]:
    graph = grimp.build_graph("frombelow", cache_dir=None)
    return {
        module: {m for m in graph.find_modules_directly_imported_by(module) if m in graph.modules}
        for module in graph.modules
    }


def test_no_module_of_frombelow_imports_itself_through_others(
    imports: dict[str, set[str]],
) -> None:
    assert circles(imports) == []


def test_a_back_import_is_found() -> None:
    # The check itself: votes importing the deciding service that imports votes is a circle.
    graph = {
        "services.deciding": {"services.votes", "services.sessions"},
        "services.sessions": {"services.votes"},
        "services.votes": {"services.motions", "services.deciding"},
        "services.motions": set(),
    }
    assert circles(graph) == [["services.deciding", "services.sessions", "services.votes"]]
    graph["services.votes"].discard("services.deciding")
    assert circles(graph) == []
