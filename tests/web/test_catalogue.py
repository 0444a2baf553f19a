"""The Spanish catalogue is complete, and its compiled .mo says what the .po says.

The .mo is committed so that a fresh install needs no GNU gettext; this test catches a .po edited
without recompiling (`frombelow manage compilemessages`).
"""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path

from django.utils import translation

import frombelow.web
from frombelow.db.models import Amendment, Decision, Mandate, Motion, Petition

LOCALE = Path(frombelow.web.__file__).parent / "locale"


def entries(po: Path) -> list[tuple[str, str]]:
    """Return the (msgid, msgstr) pairs of a .po file, the header and plural forms aside."""
    pairs = []
    for block in po.read_text(encoding="utf-8").split("\n\n"):
        fields: dict[str, str] = {}
        key = ""
        for line in block.splitlines():
            if match := re.match(r"^(msgid|msgid_plural|msgstr(?:\[\d\])?) (\".*\")$", line):
                key = match.group(1)
                fields[key] = ast.literal_eval(match.group(2))
            elif line.startswith('"') and key:
                fields[key] += ast.literal_eval(line)
        if fields.get("msgid") and "msgid_plural" not in fields:
            pairs.append((fields["msgid"], fields.get("msgstr", "")))
    return pairs


def test_every_spanish_string_is_translated_and_compiled() -> None:
    po = LOCALE / "es" / "LC_MESSAGES" / "django.po"
    with (LOCALE / "es" / "LC_MESSAGES" / "django.mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    pairs = entries(po)
    assert len(pairs) > 100
    untranslated = [msgid for msgid, msgstr in pairs if not msgstr]
    assert untranslated == []
    stale = [msgid for msgid, msgstr in pairs if compiled.gettext(msgid) != msgstr]
    assert stale == []
    assert "fuzzy" not in po.read_text(encoding="utf-8")


def test_the_kinds_and_states_the_pages_show_are_in_spanish_too() -> None:
    shown = (Motion.Kind, Motion.Status, Amendment.Status, Decision.Outcome, Petition.Kind)
    same_in_both = {"General"}
    for choices in (*shown, Mandate.Kind):
        for member in choices:
            english = str(member.label)
            with translation.override("es"):
                spanish = str(member.label)
            assert spanish != english or english in same_in_both, (choices.__qualname__, english)
    with translation.override("es"):
        assert str(Mandate.Kind.BOUND.label) == "Imperativo"
