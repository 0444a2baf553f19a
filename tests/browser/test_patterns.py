"""Every `pattern` attribute in the templates is a regular expression the browser accepts.

Browsers compile a pattern with the `v` flag, which refuses what the older syntax let pass (a bare
`-` at the end of a character class): such a pattern is ignored, the field goes unchecked, and the
console reports an error, which fails the stories that type into it.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import frombelow.web

TEMPLATES = Path(frombelow.web.__file__).parent / "templates"
PATTERN = re.compile(r'\spattern="([^"]*)"')


def patterns() -> dict[str, str]:
    """Return each template's pattern attributes, by where they are."""
    found = {}
    for template in sorted(TEMPLATES.rglob("*.html")):
        for n, line in enumerate(template.read_text().splitlines(), start=1):
            for match in PATTERN.finditer(line):
                found[f"{template.relative_to(TEMPLATES)}:{n}"] = match.group(1)
    return found


def test_every_pattern_attribute_compiles_as_the_browser_compiles_it(browser: Any) -> None:
    found = patterns()
    assert found  # the scan reads the templates
    tab = browser.new_page()
    try:
        refused = tab.evaluate(
            """(patterns) => Object.entries(patterns).filter(([, p]) => {
                try { new RegExp(`^(?:${p})$`, "v"); return false; } catch { return true; }
            })""",
            found,
        )
    finally:
        tab.close()
    assert refused == []
